"""Behind a reverse proxy (`MOTCUA_CLIENT_IP_HEADER`), the gateways' allow-lists, the callbacks' records and the
payer's `vnp_IpAddr` see the client's address from the proxy's header, as every other per-address check does —
not the proxy's own address."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from motcua.payments import actions, invoices
from motcua.payments.models import GatewayCallback, Payment
from motcua.payments.tests.helpers import ipn

PROXY = "10.0.0.1"
GATEWAY = "113.160.92.202"


@pytest.fixture
def behind_a_proxy(settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"


@pytest.fixture
def open_payment(paused_dossier):
    invoice = invoices.invoice_for_pause(paused_dossier)
    payment, _url = actions.start_online_payment(invoice, provider="vnpay", return_url="https://dvc/r")
    return payment


def test_the_vnpay_allow_list_sees_the_gateways_address(client, open_payment, settings, behind_a_proxy):
    url = reverse("payments:vnpay_ipn")
    # The proxy's own address is not the gateway's, even if it were listed.
    settings.MOTCUA_VNPAY_IPN_ALLOWED_IPS = [PROXY]
    refused = client.get(url, ipn(open_payment), REMOTE_ADDR=GATEWAY, HTTP_X_REAL_IP="203.0.113.9")
    assert refused.json()["RspCode"] == "03"
    settings.MOTCUA_VNPAY_IPN_ALLOWED_IPS = [GATEWAY]
    answer = client.get(url, ipn(open_payment), REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=GATEWAY)
    assert answer.json() == {"RspCode": "00", "Message": "Confirm Success"}
    open_payment.refresh_from_db()
    assert open_payment.state == Payment.State.SUCCEEDED
    assert list(GatewayCallback.objects.order_by("pk").values_list("remote_addr", "answer_code")) == [
        ("203.0.113.9", "03"), (GATEWAY, "00")]


def test_a_header_that_is_no_address_is_refused_by_the_allow_list(client, open_payment, settings, behind_a_proxy):
    settings.MOTCUA_VNPAY_IPN_ALLOWED_IPS = [GATEWAY]
    answer = client.get(reverse("payments:vnpay_ipn"), ipn(open_payment), REMOTE_ADDR=GATEWAY,
                        HTTP_X_REAL_IP="not-an-address")
    assert answer.json()["RspCode"] == "03"
    assert GatewayCallback.objects.get().remote_addr is None


def test_the_payment_platform_allow_list_sees_the_callers_address(client, db, settings, behind_a_proxy):
    settings.MOTCUA_PAYGOV_CALLBACK_ALLOWED_IPS = [GATEWAY]
    url = reverse("payments:paygov_ipn")
    client.post(url, {"MaThamChieu": "X"}, content_type="application/json", REMOTE_ADDR=GATEWAY,
                HTTP_X_REAL_IP=PROXY)
    client.post(url, {"MaThamChieu": "X"}, content_type="application/json", REMOTE_ADDR=PROXY,
                HTTP_X_REAL_IP=GATEWAY)
    # First: refused for its address (03); second: past the allow-list, refused for its checksum instead.
    assert list(GatewayCallback.objects.order_by("pk").values_list("remote_addr", "answer_code")) == [
        (PROXY, "03"), (GATEWAY, "97")]


def test_vnp_ip_addr_is_the_payers_address(client, paused_dossier, behind_a_proxy):
    invoice = invoices.invoice_for_pause(paused_dossier)
    response = client.post(reverse("payments:dossier", args=[paused_dossier.code]),
                           {"s": paused_dossier.lookup_secret, "invoice": invoice.number, "provider": "vnpay"},
                           REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.113.0.7")
    assert response.status_code == 302
    assert dict(parse_qsl(urlsplit(response["Location"]).query))["vnp_IpAddr"] == "203.113.0.7"
    assert Payment.objects.get().client_ip == "203.113.0.7"
