"""The same IPN ten times at once (PostgreSQL, real transactions): exactly one payment transition."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Status
from motcua.payments import actions, invoices
from motcua.payments.models import Payment
from motcua.payments.tests.helpers import ipn

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks under real concurrency")


def test_ten_concurrent_notifications_settle_once(units_restored, transactional_db, paused_dossier):
    invoice = invoices.invoice_for_pause(paused_dossier)
    payment, _url = actions.start_online_payment(invoice, provider="vnpay", return_url="https://dvc/r")
    params = ipn(payment)
    barrier = threading.Barrier(10)

    def notify(_):
        try:
            barrier.wait()
            return Client().get(reverse("payments:vnpay_ipn"), params).json()["RspCode"]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = sorted(pool.map(notify, range(10)))
    assert answers == ["00"] + ["02"] * 9
    payment.refresh_from_db()
    paused_dossier.refresh_from_db()
    assert payment.state == Payment.State.SUCCEEDED
    assert paused_dossier.status == Status.IN_OTHER_AGENCY
    assert paused_dossier.events.filter(action="record_payment").count() == 1
