"""The national payment platform's stub keeps the same contract: signed redirect, signed notification
through the same checks, and no query until it is specified."""

import hashlib
import hmac
from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.payments import actions
from motcua.payments.models import Invoice, Payment
from motcua.payments.paygov import NationalPlatformProvider
from motcua.payments.providers import ProviderUnavailable

SECRET = "PAYGOV-TEST-SECRET"


@pytest.fixture
def paygov(settings):
    settings.MOTCUA_PAYGOV_URL = "https://thanhtoan.dichvucong.gov.vn/pay"
    settings.MOTCUA_PAYGOV_PARTNER_CODE = "DONGNAI"
    settings.MOTCUA_PAYGOV_SECRET_KEY = SECRET


def signed(params, secret=SECRET):
    data = "&".join(f"{k}={params[k]}" for k in sorted(params))
    return {**params, "Signature": hmac.new(secret.encode(), data.encode(), hashlib.sha256).hexdigest()}


def test_not_offered_until_configured(paused_dossier):
    invoice = actions.invoice_for_pause(paused_dossier)
    with pytest.raises(actions.PaymentError) as refused:
        actions.start_online_payment(invoice, provider="paygov", return_url="https://dvc/r")
    assert refused.value.code == "provider_unavailable"


def test_pay_through_the_national_platform(client, paused_dossier, paygov):
    invoice = actions.invoice_for_pause(paused_dossier)
    payment, url = actions.start_online_payment(invoice, provider="paygov", return_url="https://dvc/r")
    params = dict(parse_qsl(urlsplit(url).query))
    assert params["OrderId"] == payment.txn_ref and params["Amount"] == "25000000"
    signature = params.pop("Signature")
    assert signature == signed(params)["Signature"]

    notification = signed({"PartnerCode": "DONGNAI", "OrderId": payment.txn_ref, "Amount": "25000000",
                           "ResultCode": "00", "TransactionId": "PG-1", "PayDate": "20261202100000"})
    forged = {**notification, "Amount": "1"}
    assert client.post("/thanh-toan/paygov/ipn/", forged).json()["ResultCode"] == "97"
    assert client.post("/thanh-toan/paygov/ipn/", notification).json()["ResultCode"] == "00"
    assert client.post("/thanh-toan/paygov/ipn/", notification).json()["ResultCode"] == "02"
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.state == Payment.State.SUCCEEDED and invoice.state == Invoice.State.PAID
    with pytest.raises(ProviderUnavailable):
        NationalPlatformProvider().query(payment)
