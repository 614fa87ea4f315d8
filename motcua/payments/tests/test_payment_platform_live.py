"""The whole journey over HTTP, on a live server: our client opens the payment at the payment-platform simulator, the
payer pays on its page, the simulator sends its confirmation callback(s) to our endpoint and returns the browser.
Duplicated callbacks settle once (one payment, one receipt, one dossier event — notifications hang on that event);
a callback with a wrong checksum changes nothing, and the reconciliation's get bill then settles the payment."""

import httpx
import pytest
from django.utils import timezone

from motcua.dossiers.models import Status
from motcua.integrations.client import reset_breakers
from motcua.payments import actions, invoices, reconciliation
from motcua.payments.models import GatewayCallback, Invoice, Payment, Receipt
from motcua.payments.tests.test_payment_platform import KEY, PARTNER, configure
from simulators.payment_platform import PlatformSimulator, SimulatorConfig


@pytest.fixture
def platform(units_restored, live_server, settings):
    reset_breakers()
    config = SimulatorConfig(partner_code=PARTNER, key=KEY,
                             callback_url=f"{live_server.url}/thanh-toan/paygov/ipn/",
                             return_url=f"{live_server.url}/thanh-toan/paygov/ket-qua/")
    with PlatformSimulator(config) as sim:
        configure(settings, sim.url)
        yield sim
    reset_breakers()


def outcome(payment):
    payment.refresh_from_db()
    invoice = Invoice.objects.get(pk=payment.invoice_id)
    dossier = invoice.dossier
    return (payment.state, invoice.state, dossier.status, dossier.events.filter(action="record_payment").count(),
            Receipt.objects.filter(payment__invoice=invoice).count(), invoice.payments.count())


def open_payment(dossier):
    invoice = invoices.invoice_for_pause(dossier)
    return actions.start_online_payment(invoice, provider="paygov", return_url="unused", client_ip="203.113.0.7")


def test_pay_through_the_simulator_with_duplicated_callbacks(platform, paused_dossier):
    platform.state.faults.update({"duplicate_callbacks": 1})
    payment, url = open_payment(paused_dossier)
    page = httpx.get(url, timeout=10)
    assert page.status_code == 200 and "25.000.000 đồng" in page.text

    response = httpx.post(url, data={"outcome": "pay"}, timeout=30, follow_redirects=False)
    assert response.status_code == 303
    callbacks = platform.state.snapshot()["transactions"][payment.txn_ref]["callbacks"]
    assert [c["reply_code"] for c in callbacks] == ["00", "00", "00"]
    assert outcome(payment) == (Payment.State.SUCCEEDED, Invoice.State.PAID, Status.IN_OTHER_AGENCY, 1, 1, 1)
    assert list(GatewayCallback.objects.filter(payment=payment).values_list("answer_code", flat=True)
                .order_by("pk")) == ["00", "02", "02"]

    back = httpx.get(response.headers["location"], timeout=10)  # the browser return, on our server
    assert back.status_code == 200 and "Đã xác nhận thanh toán" in back.text


def test_a_callback_with_a_wrong_checksum_is_refused_and_get_bill_settles(platform, paused_dossier):
    platform.state.faults.update({"bad_checksum_callbacks": 1})
    payment, url = open_payment(paused_dossier)
    assert httpx.post(url, data={"outcome": "pay"}, timeout=30, follow_redirects=False).status_code == 303
    [callback] = platform.state.snapshot()["transactions"][payment.txn_ref]["callbacks"]
    assert (callback["valid_checksum"], callback["reply_code"]) == (False, "99")
    assert outcome(payment) == (Payment.State.PENDING, Invoice.State.UNPAID, Status.PAUSED_FOR_FEES, 0, 0, 1)

    report = reconciliation.reconcile(timezone.localdate(payment.created_at), provider="paygov")
    assert [m["kind"] for m in report.mismatches] == ["settled_missing_notification"]
    assert outcome(payment) == (Payment.State.SUCCEEDED, Invoice.State.PAID, Status.IN_OTHER_AGENCY, 1, 1, 1)
