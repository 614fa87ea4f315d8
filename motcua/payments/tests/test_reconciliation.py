"""Daily reconciliation of invoices and payments against the gateway (querydr on a local stand-in, or a
statement), listing every mismatch; a payment the gateway took without notifying us is settled."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.models import Status
from motcua.payments import actions, callbacks, invoices, reconciliation
from motcua.payments.models import Invoice, Payment
from motcua.payments.providers import GatewayResult
from motcua.payments.tests.conftest import HASH_SECRET, TMN_CODE
from motcua.payments.tests.helpers import ipn

ANSWER_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
                 "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
                 "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount")


class QueryStandIn:
    """VNPay's querydr API: answers from `transactions` (txn_ref → (status, amount VND, number)), signed."""

    def __init__(self):
        self.transactions = {}
        self.unsigned = False
        self.requests = []

    def answer(self, body):
        self.requests.append(body)
        known = self.transactions.get(body["vnp_TxnRef"])
        answer = {"vnp_ResponseId": "r1", "vnp_Command": "querydr", "vnp_ResponseCode": "00" if known else "91",
                  "vnp_Message": "ok", "vnp_TmnCode": TMN_CODE, "vnp_TxnRef": body["vnp_TxnRef"],
                  "vnp_Amount": str(known[1] * 100) if known else "", "vnp_BankCode": "NCB",
                  "vnp_PayDate": "20261202093015", "vnp_TransactionNo": known[2] if known else "",
                  "vnp_TransactionType": "01", "vnp_TransactionStatus": known[0] if known else "",
                  "vnp_OrderInfo": body["vnp_OrderInfo"], "vnp_PromotionCode": "", "vnp_PromotionAmount": ""}
        if not self.unsigned:
            data = "|".join(answer[field] for field in ANSWER_FIELDS)
            answer["vnp_SecureHash"] = hmac.new(HASH_SECRET.encode(), data.encode(), hashlib.sha512).hexdigest()
        return answer


@pytest.fixture
def querydr(settings):
    standin = QueryStandIn()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            data = json.dumps(standin.answer(body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.MOTCUA_VNPAY_API_URL = f"http://127.0.0.1:{server.server_address[1]}/merchant_webapi/api/transaction"
    yield standin
    server.shutdown()
    server.server_close()


def open_payment(dossier, **kwargs):
    invoice = invoices.invoice_for_pause(dossier)
    payment, _url = actions.start_online_payment(invoice, provider="vnpay", return_url="https://dvc/r", **kwargs)
    return payment


def test_a_missed_notification_is_settled_by_querydr(client, paused_dossier, querydr):
    payment = open_payment(paused_dossier)
    querydr.transactions[payment.txn_ref] = ("00", payment.amount, "14626789")
    report = reconciliation.reconcile(timezone.localdate())
    assert (report.payments_checked, report.settled) == (1, 1)
    assert [m["kind"] for m in report.mismatches] == ["settled_missing_notification"]
    assert report.mismatches[0]["resolved"] is True
    payment.refresh_from_db()
    paused_dossier.refresh_from_db()
    assert payment.state == Payment.State.SUCCEEDED and payment.provider_txn_no == "14626789"
    assert paused_dossier.status == Status.IN_OTHER_AGENCY
    # The late IPN then finds the order confirmed; a second run finds everything matching.
    assert client.get("/thanh-toan/vnpay/ipn/", ipn(payment)).json()["RspCode"] == "02"
    again = reconciliation.reconcile(timezone.localdate())
    assert (again.matched, again.settled, again.mismatches) == (1, 0, [])
    assert again.pk == report.pk


def test_the_payer_coming_back_triggers_a_query(client, paused_dossier, querydr):
    payment = open_payment(paused_dossier)
    querydr.transactions[payment.txn_ref] = ("00", payment.amount, "14626789")
    response = client.get("/thanh-toan/vnpay/ket-qua/", ipn(payment))  # no IPN yet; the job asks VNPay
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.state == Payment.State.SUCCEEDED
    assert len(querydr.requests) == 1


def test_mismatches_are_listed(paused_dossier, clerk, querydr):
    ok = open_payment(paused_dossier)
    querydr.transactions[ok.txn_ref] = ("00", ok.amount, "111")
    callbacks.process_callback("vnpay", ipn(ok, transaction_no="111"))
    # Paid here (IPN) although the gateway has no such transaction: forged IPNs would look like this.
    fees = invoices.create_invoice(paused_dossier)
    ghost, _ = actions.start_online_payment(fees, provider="vnpay", return_url="https://dvc/r")
    callbacks.process_callback("vnpay", ipn(ghost, transaction_no="222"))
    # A second attempt on the already-paid obligation, also taken by the gateway: paid twice.
    obligation = Invoice.objects.get(pk=ok.invoice_id)
    twice = Payment.objects.create(invoice=obligation, provider="vnpay", method="online", amount=ok.amount,
                                   txn_ref="261202TWICE", create_date="20261202090000", created_at=timezone.now())
    querydr.transactions["261202TWICE"] = ("00", ok.amount, "333")
    report = reconciliation.reconcile(timezone.localdate())
    kinds = sorted(m["kind"] for m in report.mismatches)
    assert kinds == ["overpaid", "paid_here_not_at_gateway", "settled_missing_notification"]
    overpaid = next(m for m in report.mismatches if m["kind"] == "overpaid")
    assert overpaid["invoice"] == obligation.number and overpaid["paid"] == 2 * ok.amount
    assert "hoàn tiền" in overpaid["message_vi"] and "refund" in overpaid["message_en"]
    twice.refresh_from_db()
    assert twice.state == Payment.State.SUCCEEDED


def test_amount_differences_and_unsigned_answers(paused_dossier, querydr):
    payment = open_payment(paused_dossier)
    querydr.transactions[payment.txn_ref] = ("00", 1_000, "444")
    report = reconciliation.reconcile(timezone.localdate())
    assert [m["kind"] for m in report.mismatches] == ["amount_differs"]
    payment.refresh_from_db()
    assert payment.state == Payment.State.PENDING  # never settled on a different amount

    querydr.unsigned = True
    querydr.transactions[payment.txn_ref] = ("00", payment.amount, "444")
    report = reconciliation.reconcile(timezone.localdate())
    assert [m["kind"] for m in report.mismatches] == ["query_failed"]
    payment.refresh_from_db()
    assert payment.state == Payment.State.PENDING  # an unsigned answer is not believed


def test_unpaid_expired_attempts_expire(paused_dossier, querydr):
    opened = timezone.now() - dt.timedelta(hours=2)
    payment = open_payment(paused_dossier, at=opened)
    # The day the attempt was made (between 00:00 and 02:00 in Hà Nội that is yesterday, not today).
    report = reconciliation.reconcile(timezone.localdate(opened))
    assert report.mismatches == [] and report.matched == 1
    payment.refresh_from_db()
    assert payment.state == Payment.State.EXPIRED


def test_statement_mode_for_gateways_without_a_query(paused_dossier):
    payment = open_payment(paused_dossier)
    statement = [GatewayResult(txn_ref=payment.txn_ref, amount_minor=payment.amount * 100, success=True,
                               provider_txn_no="555"),
                 GatewayResult(txn_ref="NOT-OURS", amount_minor=100_000, success=True)]
    report = reconciliation.reconcile(timezone.localdate(), statement=statement)
    assert sorted(m["kind"] for m in report.mismatches) == ["settled_missing_notification", "unknown_at_gateway"]


def test_the_daily_command(paused_dossier, querydr, capsys):
    payment = open_payment(paused_dossier)
    querydr.transactions[payment.txn_ref] = ("00", payment.amount, "666")
    call_command("reconcile_payments", "--date", timezone.localdate().isoformat())
    out = capsys.readouterr().out
    assert "settled 1" in out and "settled_missing_notification" in out
