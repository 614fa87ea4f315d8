"""Paying from the mobile app: the app lists what is owed, starts a VNPay payment (the URL is signed on the
server) and the gateway's notification settles it; another citizen sees and starts nothing."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.identity.tokens import issue_token
from motcua.payments.invoices import invoice_obligation
from motcua.payments.models import Payment
from motcua.payments.tests.conftest import HASH_SECRET, TMN_CODE
from motcua.payments.tests.helpers import gateway_sign, ipn
from motcua.portal.tests.test_api import api, files_b64


@pytest.fixture(autouse=True)
def vnpay_terminal(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}
    settings.MOTCUA_VNPAY_TMN_CODE = TMN_CODE
    settings.MOTCUA_VNPAY_HASH_SECRET = HASH_SECRET
    settings.MOTCUA_VNPAY_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    settings.MOTCUA_VNPAY_IPN_ALLOWED_IPS = []


@pytest.fixture
def owed(client, citizen, demo_catalog):
    token = issue_token(citizen)
    body = {"procedure_code": "1.001193", "agency_eid": "000.01.70.H19", "form_data": BIRTH_FORM,
            "documents": files_b64()}
    code = api(client, "POST", "/me/dossiers", token, body).json()["code"]
    invoice = invoice_obligation(Dossier.objects.get(code=code), amount=150_000, description="Lệ phí bản sao")
    return token, code, invoice


def test_the_app_starts_a_signed_vnpay_payment_and_the_ipn_settles_it(client, owed):
    token, code, invoice = owed
    listed = api(client, "GET", f"/me/dossiers/{code}/invoices", token).json()
    assert [(i["number"], i["outstanding"], i["state"]) for i in listed] == [(invoice.number, 150_000, "unpaid")]

    started = api(client, "POST", f"/me/dossiers/{code}/payments", token, {"invoice": invoice.number})
    assert started.status_code == 201
    url = started.json()["payment_url"]
    params = dict(parse_qsl(urlsplit(url).query))
    assert url.startswith("https://sandbox.vnpayment.vn/") and params["vnp_Amount"] == "15000000"
    assert params["vnp_SecureHash"] == gateway_sign(params)  # signed with the terminal's secret, on the server
    again = api(client, "POST", f"/me/dossiers/{code}/payments", token, {"invoice": invoice.number}).json()
    assert again["order_reference"] == started.json()["order_reference"]  # a retry reuses the open attempt

    payment = Payment.objects.get(txn_ref=started.json()["order_reference"])
    answer = client.get("/thanh-toan/vnpay/ipn/", ipn(payment)).json()
    assert answer["RspCode"] == "00"
    settled = api(client, "GET", f"/me/dossiers/{code}/invoices", token).json()[0]
    assert settled["state"] == "paid" and settled["outstanding"] == 0 and len(settled["receipts"]) == 1
    refused = api(client, "POST", f"/me/dossiers/{code}/payments", token, {"invoice": invoice.number})
    assert refused.status_code == 409 and refused.json()["code"] == "already_paid"


def test_another_citizen_can_neither_see_nor_start_a_payment(client, owed, other_citizen):
    _token, code, invoice = owed
    theirs = issue_token(other_citizen)
    assert api(client, "GET", f"/me/dossiers/{code}/invoices", theirs).status_code == 404
    assert api(client, "POST", f"/me/dossiers/{code}/payments", theirs, {"invoice": invoice.number}).status_code == 404
    assert not Payment.objects.exists()


def test_an_unknown_provider_is_refused_in_both_languages(client, owed):
    token, code, invoice = owed
    response = api(client, "POST", f"/me/dossiers/{code}/payments", token, {"invoice": invoice.number,
                                                                           "provider": "bitcoin"})
    assert response.status_code == 409
    body = response.json()
    assert body["message_vi"] and body["message_en"] and not Payment.objects.exists()
