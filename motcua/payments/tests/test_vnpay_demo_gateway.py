"""The DEMO stand-in for VNPay's payment page (MOTCUA_DEMO_PAYMENTS): it takes the payment URL our client builds,
refuses a bad signature, pays (00) or cancels (24) through our IPN handler, sends the payer back with a signed
result, and is refused in production."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.payments.invoices import create_invoice
from motcua.payments.models import GatewayCallback, Invoice, Payment, Receipt
from motcua.payments.tests.conftest import TMN_CODE
from motcua.payments.tests.helpers import gateway_sign

ROOT = Path(__file__).resolve().parents[3]
DEMO_PAGE = "/thanh-toan/vnpay-demo/"


@pytest.fixture
def demo_gateway(settings):
    settings.MOTCUA_DEMO_PAYMENTS = True
    settings.MOTCUA_VNPAY_PAYMENT_URL = f"http://testserver{DEMO_PAGE}"


@pytest.fixture
def invoice(demo_catalog, demo_agencies, clerk):
    return create_invoice(land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30)), actor=clerk)


def start_paying(client, invoice):
    """The applicant presses "pay online (VNPay)": the redirect to the gateway's payment URL."""
    dossier = invoice.dossier
    response = client.post(reverse("payments:dossier", args=[dossier.code]),
                           {"invoice": invoice.number, "provider": "vnpay", "s": dossier.lookup_secret})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"http://testserver{DEMO_PAGE}?")
    return location.removeprefix("http://testserver")


def returned_params(response):
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("payments:vnpay_return")
    params = dict(parse_qsl(location.query))
    assert params["vnp_SecureHash"] == gateway_sign(params)  # signed as VNPay signs, checked independently
    return params


def test_the_demo_page_shows_the_order_and_paying_goes_through_the_ipn(client, demo_gateway, invoice):
    url = start_paying(client, invoice)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="demo-payment-notice"' in text and "Trang thanh toán DEMO: không dùng tiền thật." in text
    amount = f"{invoice.total:,}".replace(",", ".")
    assert f'<strong id="demo-amount">{amount} đồng</strong>' in text
    assert TMN_CODE in text and Payment.objects.get().txn_ref in text
    assert ">Thanh toán</button>" in text and ">Hủy</button>" in text

    back = client.post(url, {"outcome": "pay"})
    params = returned_params(back)
    assert params["vnp_ResponseCode"] == "00" and params["vnp_TransactionStatus"] == "00"
    assert params["vnp_Amount"] == str(invoice.total * 100) and params["vnp_TmnCode"] == TMN_CODE
    payment = Payment.objects.get()
    assert payment.state == Payment.State.SUCCEEDED and payment.method == Payment.Method.ONLINE
    assert payment.provider_txn_no == params["vnp_TransactionNo"]
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PAID and invoice.paid_amount == invoice.total
    assert GatewayCallback.objects.get().answer_code == "00"  # through the IPN handler, kept like any IPN
    assert "Đã xác nhận thanh toán" in client.get(back["Location"]).content.decode()

    # Paying the same order again (the back button, a double click): the IPN handler answers 02, nothing changes.
    again = client.post(url, {"outcome": "pay"})
    assert again.status_code == 302
    assert list(GatewayCallback.objects.order_by("pk").values_list("answer_code", flat=True)) == ["00", "02"]
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1
    payment.refresh_from_db()
    assert payment.provider_txn_no == params["vnp_TransactionNo"]


def test_a_bad_signature_is_refused_with_a_clear_message(client, demo_gateway, invoice):
    url = start_paying(client, invoice)
    amount = f"vnp_Amount={invoice.total * 100}"
    assert amount in url
    tampered = url.replace(amount, "vnp_Amount=100")  # pay 1 đồng instead
    for response in (client.get(tampered), client.post(tampered, {"outcome": "pay"})):
        assert response.status_code == 400
        text = response.content.decode()
        assert "Sai chữ ký (vnp_SecureHash): yêu cầu thanh toán bị từ chối." in text
        assert 'id="demo-pay"' not in text
    assert client.get(url.split("&vnp_SecureHash=")[0]).status_code == 400  # no hash at all
    assert not GatewayCallback.objects.exists()
    assert Payment.objects.get().state == Payment.State.PENDING


def test_cancel_answers_24_and_nothing_is_paid(client, demo_gateway, invoice):
    url = start_paying(client, invoice)
    params = returned_params(client.post(url, {"outcome": "cancel"}))
    assert params["vnp_ResponseCode"] == "24" and params["vnp_TransactionStatus"] == "02"
    payment = Payment.objects.get()
    assert payment.state == Payment.State.FAILED and not Receipt.objects.exists()
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.UNPAID and invoice.paid_amount == 0
    # The payer may try again: a new order, which the demo page accepts.
    retry = start_paying(client, invoice)
    assert retry != url and client.get(retry).status_code == 200


def test_the_page_does_not_exist_without_the_demo_setting(client, settings, invoice):
    settings.MOTCUA_VNPAY_PAYMENT_URL = f"http://testserver{DEMO_PAGE}"
    settings.MOTCUA_DEMO_PAYMENTS = False
    url = start_paying(client, invoice)
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "pay"}).status_code == 404
    assert Payment.objects.get().state == Payment.State.PENDING


def _django_setup(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "SECRET_KEY", "DATABASE_URL"))}
    clean.update(DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_VAR_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=120, check=False)


def test_production_refuses_the_demo_gateway(tmp_path):
    production = {"MOTCUA_PRODUCTION": "true", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "dichvucong.dongnai.gov.vn",
                  "MOTCUA_VIRUS_SCAN": "false"}
    assert _django_setup(tmp_path, **production).returncode == 0
    refused = _django_setup(tmp_path, MOTCUA_DEMO_PAYMENTS="true", **production)
    assert refused.returncode != 0 and "MOTCUA_DEMO_PAYMENTS" in refused.stderr
