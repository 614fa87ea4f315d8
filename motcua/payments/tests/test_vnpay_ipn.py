"""The VNPay IPN: verified in constant time, checked for order and amount, idempotent, answering VNPay's codes.
Replayed, forged, amount-tampered and out-of-order callbacks change nothing."""

import hashlib
from unittest import mock

import pytest
from django.urls import reverse

from motcua.dossiers.models import Status
from motcua.payments import actions, invoices
from motcua.payments.models import GatewayCallback, Invoice, Payment
from motcua.payments.tests.helpers import gateway_sign, ipn

URL = reverse("payments:vnpay_ipn")


@pytest.fixture
def open_payment(paused_dossier):
    invoice = invoices.invoice_for_pause(paused_dossier)
    payment, _url = actions.start_online_payment(invoice, provider="vnpay", return_url="https://dvc/r",
                                                 client_ip="203.113.0.7")
    return payment


def call(client, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.json()


def state(payment):
    payment.refresh_from_db()
    payment.invoice.refresh_from_db()
    dossier = payment.invoice.dossier
    dossier.refresh_from_db()
    return payment.state, payment.invoice.state, dossier.status, dossier.events.filter(action="record_payment").count()


def test_a_valid_notification_pays_and_resumes_the_dossier(client, open_payment):
    assert call(client, ipn(open_payment)) == {"RspCode": "00", "Message": "Confirm Success"}
    assert state(open_payment) == (Payment.State.SUCCEEDED, Invoice.State.PAID, Status.IN_OTHER_AGENCY, 1)
    open_payment.refresh_from_db()
    assert (open_payment.provider_txn_no, open_payment.bank_code, open_payment.card_type) == ("14626789", "NCB", "ATM")
    assert open_payment.receipt.number.startswith("BL-")
    event = open_payment.invoice.dossier.events.get(action="record_payment")
    assert event.actor is None and event.note == f"vnpay:{open_payment.txn_ref}"


def test_replays_answer_02_and_change_nothing(client, open_payment):
    params = ipn(open_payment)
    answers = [call(client, params)["RspCode"] for _ in range(10)]
    assert answers == ["00"] + ["02"] * 9
    assert state(open_payment) == (Payment.State.SUCCEEDED, Invoice.State.PAID, Status.IN_OTHER_AGENCY, 1)
    assert open_payment.invoice.payments.count() == 1
    assert GatewayCallback.objects.filter(payment=open_payment).count() == 10


@pytest.mark.parametrize("forge", [
    "wrong_secret", "sha256", "md5_2_0_with_hash_type", "missing_hash", "empty_hash", "unknown_terminal",
    "tampered_after_signing", "hash_of_other_order", "truncated_hash",
])
def test_forged_notifications_answer_97_and_change_nothing(client, open_payment, forge):
    params = ipn(open_payment)
    if forge == "wrong_secret":
        params = ipn(open_payment, secret="not-our-secret")
    elif forge == "sha256":
        params["vnp_SecureHash"] = gateway_sign(params, digest=hashlib.sha256)
    elif forge == "md5_2_0_with_hash_type":
        params["vnp_SecureHashType"] = "MD5"
        params["vnp_SecureHash"] = gateway_sign(params, digest=hashlib.md5)
    elif forge == "missing_hash":
        del params["vnp_SecureHash"]
    elif forge == "empty_hash":
        params["vnp_SecureHash"] = ""
    elif forge == "unknown_terminal":
        params = ipn(open_payment, vnp_TmnCode="OTHER001")
    elif forge == "tampered_after_signing":
        params["vnp_TransactionNo"] = "99999999"
    elif forge == "hash_of_other_order":
        other = ipn(open_payment, vnp_TxnRef="OTHERORDER")
        params["vnp_SecureHash"] = other["vnp_SecureHash"]
    elif forge == "truncated_hash":
        params["vnp_SecureHash"] = params["vnp_SecureHash"][:64]
    answer = call(client, params)
    assert answer == {"RspCode": "97", "Message": "Invalid signature"}
    assert state(open_payment) == (Payment.State.PENDING, Invoice.State.UNPAID, Status.PAUSED_FOR_FEES, 0)
    callback = GatewayCallback.objects.get()
    assert not callback.verified and "vnp_SecureHash" not in callback.params


def test_amount_tampering(client, open_payment):
    # Signed correctly but for another amount: 04.
    assert call(client, ipn(open_payment, amount=1_000))["RspCode"] == "04"
    # The amount changed in a signed notification: 97.
    params = ipn(open_payment)
    params["vnp_Amount"] = "100000"
    assert call(client, params)["RspCode"] == "97"
    assert state(open_payment) == (Payment.State.PENDING, Invoice.State.UNPAID, Status.PAUSED_FOR_FEES, 0)
    # The genuine one still goes through.
    assert call(client, ipn(open_payment))["RspCode"] == "00"


def test_unknown_order_answers_01(client, open_payment):
    params = ipn(open_payment, vnp_TxnRef="261130NOSUCHORDER")
    assert call(client, params) == {"RspCode": "01", "Message": "Order not found"}
    assert state(open_payment)[0] == Payment.State.PENDING


def test_out_of_order_outcomes_never_regress(client, open_payment, paused_dossier):
    # Success, then a late failure notification: 02, still paid.
    assert call(client, ipn(open_payment))["RspCode"] == "00"
    assert call(client, ipn(open_payment, success=False))["RspCode"] == "02"
    assert state(open_payment)[:2] == (Payment.State.SUCCEEDED, Invoice.State.PAID)


def test_failure_then_late_success_is_left_for_reconciliation(client, paused_dossier):
    invoice = invoices.invoice_for_pause(paused_dossier)
    payment, _ = actions.start_online_payment(invoice, provider="vnpay", return_url="https://dvc/r")
    assert call(client, ipn(payment, success=False))["RspCode"] == "00"
    assert state(payment) == (Payment.State.FAILED, Invoice.State.UNPAID, Status.PAUSED_FOR_FEES, 0)
    assert call(client, ipn(payment))["RspCode"] == "02"
    assert state(payment)[0] == Payment.State.FAILED
    # The payer tries again: a new order reference, which pays.
    again, _ = actions.start_online_payment(invoice, provider="vnpay", return_url="https://dvc/r")
    assert again.txn_ref != payment.txn_ref
    assert call(client, ipn(again, transaction_no="14626790"))["RspCode"] == "00"
    assert state(again) == (Payment.State.SUCCEEDED, Invoice.State.PAID, Status.IN_OTHER_AGENCY, 1)


def test_signatures_are_compared_in_constant_time(client, open_payment):
    import hmac

    with mock.patch("motcua.payments.vnpay.hmac.compare_digest", wraps=hmac.compare_digest) as compare:
        call(client, ipn(open_payment))
    assert compare.called


def test_ip_allow_list(client, open_payment, settings):
    settings.MOTCUA_VNPAY_IPN_ALLOWED_IPS = ["113.160.92.202"]
    assert call(client, ipn(open_payment)) == {"RspCode": "03", "Message": "IP prohibited"}
    assert state(open_payment)[0] == Payment.State.PENDING


def test_the_return_url_never_changes_anything(client, open_payment):
    """The browser return carries the same signed parameters, but only the IPN (or a query) settles."""
    with mock.patch("motcua.payments.tasks.confirm_payment_task") as confirm:
        response = client.get(reverse("payments:vnpay_return"), ipn(open_payment))
    assert response.status_code == 200
    assert "đang được cổng thanh toán xác nhận" in response.content.decode() or "being confirmed" in \
        response.content.decode()
    assert state(open_payment) == (Payment.State.PENDING, Invoice.State.UNPAID, Status.PAUSED_FOR_FEES, 0)
    confirm.enqueue.assert_called_once_with(open_payment.pk)
    forged = ipn(open_payment, secret="x")
    assert client.get(reverse("payments:vnpay_return"), forged).status_code == 400
