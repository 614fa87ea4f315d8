"""Our VNPay signatures equal those of npm `vnpay` 2.5.0 (an independent implementation) for the same
parameters: the payment URL, callbacks verified both ways, and the querydr request and answer."""

import datetime as dt
import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest

from motcua.payments.models import Invoice, Payment
from motcua.payments.tests.conftest import HASH_SECRET, TMN_CODE
from motcua.payments.vnpay import VNPayProvider, canonical, sign, verify_params

HERE = Path(__file__).parent / "vnpay_js"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.skipif(shutil.which("npm") is None, reason="npm is needed for the npm vnpay cross-check")


@pytest.fixture(scope="module")
def npm_vnpay():
    if not (HERE / "node_modules" / "vnpay").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True,
                       timeout=300)

    def call(request):
        result = subprocess.run(["node", "crosscheck.mjs"], cwd=HERE, input=json.dumps(request), text=True,
                                capture_output=True, check=True, timeout=60)
        return json.loads(result.stdout)

    return call


CONFIG = {"tmnCode": TMN_CODE, "secureSecret": HASH_SECRET, "vnpayHost": "https://sandbox.vnpayment.vn"}
CASES = [
    # (amount in VND, TxnRef, order info, return URL)
    (450_000, "261130A1B2C3D4E5", "Thanh toan 000.00.01.H19-261130-0001-LP",
     "https://dvc.dongnai.gov.vn/thanh-toan/vnpay/ket-qua/"),
    (25_000_000, "2611-30.X_y", "Nop thue: TNCN, LPTB / ho so so 12",
     "http://127.0.0.1:8000/thanh-toan/vnpay/ket-qua/?a=1&b=c d"),
    (1, "Q261130FFFFFFFFFF", "Phi", "https://example.vn/r?x=%C4%91"),
]


def payment_for(amount, txn_ref):
    invoice = Invoice(number="HD-1", total=amount)
    return Payment(invoice=invoice, amount=amount, txn_ref=txn_ref, create_date="20261130090000",
                   expire_date="20261130091500", client_ip="203.113.0.7")


@pytest.mark.parametrize(("amount", "txn_ref", "order", "return_url"), CASES)
def test_payment_url_signature_equals_npm_vnpay(npm_vnpay, amount, txn_ref, order, return_url):
    ours = VNPayProvider()
    payment = payment_for(amount, txn_ref)
    params = ours.payment_params(payment, return_url=return_url)
    params["vnp_OrderInfo"] = order
    data = canonical(params)
    our_url = f"https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?{data}&vnp_SecureHash={sign(data, HASH_SECRET)}"

    npm_data = {key: value for key, value in params.items()
                if key not in ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_CurrCode")}
    npm_data["vnp_Amount"] = amount  # npm multiplies by 100 itself
    theirs = npm_vnpay({"op": "build", "config": CONFIG, "data": npm_data})["url"]

    assert dict(parse_qsl(urlsplit(our_url).query))["vnp_SecureHash"] == \
        dict(parse_qsl(urlsplit(theirs).query))["vnp_SecureHash"]
    assert our_url == theirs  # the whole URL, byte for byte


def test_the_real_payment_url_verifies_in_npm_vnpay(npm_vnpay, db):
    payment = payment_for(450_000, "261130ABCDEF0123")
    url = VNPayProvider().payment_url(payment, return_url="https://dvc.dongnai.gov.vn/thanh-toan/vnpay/ket-qua/")
    query = dict(parse_qsl(urlsplit(url).query))
    assert npm_vnpay({"op": "verify", "config": CONFIG, "query": query})["isVerified"] is True


def test_callbacks_verify_both_ways(npm_vnpay):
    callback = {"vnp_Amount": "45000000", "vnp_BankCode": "NCB", "vnp_CardType": "ATM",
                "vnp_OrderInfo": "Thanh toan ho so 000.00.01.H19-261130-0001", "vnp_PayDate": "20261130091000",
                "vnp_ResponseCode": "00", "vnp_TmnCode": TMN_CODE, "vnp_TransactionNo": "14626789",
                "vnp_TransactionStatus": "00", "vnp_TxnRef": "261130ABCDEF0123"}
    signed_by_us = {**callback, "vnp_SecureHash": sign(canonical(callback), HASH_SECRET)}
    assert npm_vnpay({"op": "verify", "config": CONFIG, "query": signed_by_us})["isVerified"] is True
    tampered = {**signed_by_us, "vnp_Amount": "4500000000"}
    assert npm_vnpay({"op": "verify", "config": CONFIG, "query": tampered})["isVerified"] is False
    # npm signs a URL; its parameters are a callback our verifier accepts.
    url = npm_vnpay({"op": "build", "config": CONFIG, "data": {
        "vnp_Amount": 450_000, "vnp_IpAddr": "127.0.0.1", "vnp_TxnRef": "261130ABCDEF0123",
        "vnp_OrderInfo": "Thanh toan le phi", "vnp_OrderType": "other", "vnp_Locale": "vn",
        "vnp_ReturnUrl": "https://dvc.dongnai.gov.vn/r", "vnp_CreateDate": "20261130090000"}})["url"]
    assert verify_params(dict(parse_qsl(urlsplit(url).query)), HASH_SECRET)


def test_querydr_request_and_answer_signatures_equal_npm_vnpay(npm_vnpay):
    """npm's queryDr posts to a local stand-in: its request hash equals ours over the same fields, and it
    accepts the answer we sign (and refuses it when one field is changed)."""
    ours = VNPayProvider()
    received = []
    answer = {"vnp_ResponseId": "b1f2", "vnp_Command": "querydr", "vnp_ResponseCode": "00",
              "vnp_Message": "QueryDR Success", "vnp_TmnCode": TMN_CODE, "vnp_TxnRef": "261130ABCDEF0123",
              "vnp_Amount": "45000000", "vnp_BankCode": "NCB", "vnp_PayDate": "20261130091000",
              "vnp_TransactionNo": "14626789", "vnp_TransactionType": "01", "vnp_TransactionStatus": "00",
              "vnp_OrderInfo": "Truy van", "vnp_PromotionCode": "", "vnp_PromotionAmount": ""}
    answer["vnp_SecureHash"] = ours.answer_signature(answer)
    state = {"answer": answer}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            body = json.dumps(state["answer"]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"http://127.0.0.1:{server.server_address[1]}"
    payment = Payment(txn_ref="261130ABCDEF0123", create_date="20261130090000")
    mine = ours.query_request(payment, request_id="A1B2C3", now=dt.datetime(2026, 11, 30, 10, tzinfo=VN))
    query = {key: mine[key] for key in ("vnp_RequestId", "vnp_IpAddr", "vnp_TxnRef", "vnp_OrderInfo",
                                        "vnp_TransactionDate", "vnp_CreateDate")}
    try:
        result = npm_vnpay({"op": "querydr", "config": {**CONFIG, "queryDrAndRefundHost": host}, "query": query})
        assert result["isVerified"] is True
        state["answer"] = {**answer, "vnp_Amount": "1"}
        assert npm_vnpay({"op": "querydr", "config": {**CONFIG, "queryDrAndRefundHost": host},
                          "query": query})["isVerified"] is False
    finally:
        server.shutdown()
        server.server_close()
    request = received[0]
    assert request["vnp_SecureHash"] == mine["vnp_SecureHash"]
    assert {key: str(value) for key, value in request.items()} == mine
