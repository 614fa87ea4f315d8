"""The national payment platform beside VNPay: the init message and its checksum (recomputed here with hashlib over
explicitly listed fields), the confirmation callback (idempotent; forged, tampered, unknown and foreign ones change
nothing and get "99"), a platform that fails on init, and reconciliation through get bill. The simulator
(`simulators/payment_platform.py`) plays the platform; `test_payment_platform_live.py` drives the whole journey."""

import datetime as dt
import hashlib
import json
from unittest import mock

import httpx
import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Status
from motcua.integrations.client import reset_breakers
from motcua.integrations.tests.loopback import Answer, loopback  # noqa: F401 (fixture)
from motcua.payments import actions, callbacks, invoices, reconciliation
from motcua.payments.models import GatewayCallback, Invoice, Payment, Receipt
from simulators.payment_platform import PlatformSimulator, SimulatorConfig

KEY = "PAYGOV-TEST-HASH-KEY"
PARTNER = "000.00.00.H19"
URL = reverse("payments:paygov_ipn")
INIT_FIELDS = ["LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "LoaiHinhThanhToan", "MaKenhThanhToan",
               "MaThietBi", "NgonNgu", "MaTienTe", "MaNganHang", "ThongTinGiaoDich", "ThoiGianGD", "Ip"]
CONFIRM_FIELDS = ["LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich", "MaNganHang",
                  "ThoiGianGD", "ThongTinGiaoDich"]


def sha(message, names, key=KEY):
    return hashlib.sha256("|".join([str(message[name]) for name in names] + [key]).encode()).hexdigest()


def configure(settings, base_url, **system):
    settings.MOTCUA_INTEGRATION_SYSTEMS = {"paygov": {"base_url": base_url, "read_timeout": 1.0,
                                                      "max_attempts": 2, "backoff_base": 0.0, **system}}
    settings.MOTCUA_PAYGOV_PARTNER_CODE = PARTNER
    settings.MOTCUA_PAYGOV_HASH_KEY = KEY
    settings.MOTCUA_PAYGOV_CALLBACK_ALLOWED_IPS = []
    settings.MOTCUA_PAYGOV_PAYMENT_HOSTS = []


@pytest.fixture(autouse=True)
def _fresh_breakers():
    reset_breakers()
    yield
    reset_breakers()


@pytest.fixture
def simulator(settings):
    with PlatformSimulator(SimulatorConfig(partner_code=PARTNER, key=KEY)) as sim:
        configure(settings, sim.url)
        yield sim


def start(dossier, **kwargs):
    invoice = invoices.invoice_for_pause(dossier)
    return actions.start_online_payment(invoice, provider="paygov", return_url="https://dvc/r",
                                        client_ip="203.113.0.7", **kwargs)


def confirmation(payment, *, code="00", amount=None, key=KEY, partner=PARTNER, reference=None, number="GD0000000001"):
    body = {"LoaiBanTin": "XacNhanGiaoDich", "MaLoi": code, "MaDoiTac": partner,
            "MaThamChieu": payment.txn_ref if reference is None else reference,
            "SoTien": str(payment.amount if amount is None else amount), "MaTienTe": "VND", "MaGiaoDich": number,
            "MaNganHang": "NCB", "ThoiGianGD": "20261202093015", "ThongTinGiaoDich": "Thanh toan"}
    body["MaXacThuc"] = sha(body, CONFIRM_FIELDS, key)
    return body


def call(client, body):
    response = client.post(URL, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    return response.json()


def state(payment):
    payment.refresh_from_db()
    payment.invoice.refresh_from_db()
    dossier = payment.invoice.dossier
    dossier.refresh_from_db()
    resumed = dossier.events.filter(action="record_payment").count()
    return (payment.state, payment.invoice.state, dossier.status, resumed,
            Receipt.objects.filter(payment__invoice=payment.invoice).count())


UNPAID = (Payment.State.PENDING, Invoice.State.UNPAID, Status.PAUSED_FOR_FEES, 0, 0)
PAID = (Payment.State.SUCCEEDED, Invoice.State.PAID, Status.IN_OTHER_AGENCY, 1, 1)


# --- init ----------------------------------------------------------------------------------------------------------

def test_not_offered_until_configured(paused_dossier):
    with pytest.raises(invoices.PaymentError) as refused:
        start(paused_dossier)
    assert refused.value.code == "provider_unavailable"


def test_init_body_and_checksum_match_an_independent_sha256(paused_dossier, settings, loopback):  # noqa: F811
    configure(settings, loopback.url)
    page = f"{loopback.url}/thanh-toan/abc"
    loopback.answer(Answer(body=json.dumps({"MaLoi": "00", "MoTaLoi": "ok", "UrlThanhToan": page}).encode()))
    payment, url = start(paused_dossier)
    assert url == page
    [received] = loopback.received
    assert received.method == "POST" and received.path == "/init"
    assert received.headers["content-type"] == "application/json"
    body = json.loads(received.body)
    assert body["MaXacThuc"] == sha(body, INIT_FIELDS)
    assert list(body)[:14] == INIT_FIELDS
    assert (body["MaDoiTac"], body["MaThamChieu"], body["SoTien"], body["Ip"]) == (
        PARTNER, payment.txn_ref, "25000000", "203.113.0.7")
    assert 0 < len(body["MaThamChieu"]) <= 20 and body["ThoiGianGD"] == payment.create_date
    bill = body["ThongTinBienLai"]
    dossier = paused_dossier
    assert (bill["MaHoSo"], bill["MaDonVi"], bill["MaTTHC"]) == (
        dossier.code, dossier.receiving_agency.eid_code, dossier.procedure_version.procedure.national_code)
    assert [line["SoTien"] for line in bill["PhiLePhi"]] == ["25000000"]
    # A second click while the attempt is open: the same page, no second init of the same MaThamChieu.
    again, url_again = start(paused_dossier)
    assert (again.pk, url_again) == (payment.pk, page) and len(loopback.received) == 1


def test_a_payment_page_on_another_host_is_refused(paused_dossier, settings, loopback):  # noqa: F811
    configure(settings, loopback.url)
    loopback.answer(Answer(body=b'{"MaLoi": "00", "UrlThanhToan": "https://evil.example/pay"}'))
    with pytest.raises(invoices.PaymentError) as refused:
        start(paused_dossier)
    assert refused.value.code == "provider_error"
    assert not Payment.objects.exclude(gateway_url="").exists()


@pytest.mark.parametrize("fault", [{"fail_next": 5}, {"timeout": True}, {"malformed_next": 5}, {"down": True}])
def test_platform_failing_on_init_tells_the_citizen_and_loses_nothing(client, paused_dossier, simulator, fault):
    simulator.state.faults.update(fault)
    page = reverse("payments:dossier", args=[paused_dossier.code])
    invoice = invoices.invoice_for_pause(paused_dossier)
    response = client.post(page, {"s": paused_dossier.lookup_secret, "invoice": invoice.number,
                                  "provider": "paygov"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Cổng thanh toán tạm thời không phản hồi" in text and "not responding" not in text
    [attempt] = Payment.objects.all()
    assert attempt.state == Payment.State.PENDING and attempt.gateway_url == ""
    # Not reused: the next click opens a new reference.
    assert attempt.expires_at is not None and attempt.expires_at <= timezone.now()
    assert state(attempt) == UNPAID
    # The platform is back: the citizen tries again and is sent to its payment page.
    simulator.state.reset()
    response = client.post(page, {"s": paused_dossier.lookup_secret, "invoice": invoice.number, "provider": "paygov"})
    assert response.status_code == 302 and response["Location"].startswith(f"{simulator.url}/thanh-toan/")
    retry = Payment.objects.exclude(pk=attempt.pk).get()
    assert retry.txn_ref != attempt.txn_ref and retry.gateway_url == response["Location"]


def test_the_fees_page_offers_both_methods_in_vietnamese(client, paused_dossier, simulator):
    invoices.invoice_for_pause(paused_dossier)
    page = client.get(reverse("payments:dossier", args=[paused_dossier.code]), {"s": paused_dossier.lookup_secret})
    text = page.content.decode()
    assert "Thanh toán trực tuyến (VNPAY)" in text
    assert "Thanh toán qua Cổng Dịch vụ công quốc gia" in text and "Chọn hình thức thanh toán" in text


# --- the confirmation callback ---------------------------------------------------------------------------------------

@pytest.fixture
def open_payment(paused_dossier, simulator):
    payment, _url = start(paused_dossier)
    return payment


def test_a_valid_confirmation_pays_once_and_replays_change_nothing(client, open_payment):
    body = confirmation(open_payment)
    answer = call(client, body)
    assert (answer["MaLoi"], answer["MaDoiTac"], answer["MaThamChieu"], answer["ThoiGianGD"]) == (
        "00", PARTNER, open_payment.txn_ref, "20261202093015")
    assert answer["MaXacThuc"] == body["MaXacThuc"] and answer["MoTaLoi"] == "Thành công"
    assert state(open_payment) == PAID
    open_payment.refresh_from_db()
    assert (open_payment.provider_txn_no, open_payment.bank_code, open_payment.response_code) == (
        "GD0000000001", "NCB", "00")
    event = open_payment.invoice.dossier.events.get(action="record_payment")
    assert event.note == f"paygov:{open_payment.txn_ref}"
    # The platform resends it (it did not get our answer): acknowledged, nothing changes.
    assert [call(client, body)["MaLoi"] for _ in range(3)] == ["00"] * 3
    assert state(open_payment) == PAID
    assert GatewayCallback.objects.filter(payment=open_payment).count() == 4
    assert not any("MaXacThuc" in c.params for c in GatewayCallback.objects.all())
    # A different outcome for the same reference afterwards: refused, still paid.
    assert call(client, confirmation(open_payment, code="01", number=""))["MaLoi"] == "99"
    assert state(open_payment) == PAID


@pytest.mark.parametrize("forge", ["wrong_key", "tampered_amount", "tampered_reference", "missing", "not_hex",
                                   "signed_wrong_amount", "unknown_reference", "foreign_partner", "other_currency",
                                   "object_field"])
def test_forged_or_wrong_confirmations_change_nothing(client, open_payment, forge):
    body = confirmation(open_payment)
    if forge == "wrong_key":
        body = confirmation(open_payment, key="not-our-key")
    elif forge == "tampered_amount":
        body["SoTien"] = "1000"
    elif forge == "tampered_reference":
        body["MaThamChieu"] = "261202OTHER"
    elif forge == "missing":
        del body["MaXacThuc"]
    elif forge == "not_hex":
        body["MaXacThuc"] = "z" * 64
    elif forge == "signed_wrong_amount":
        body = confirmation(open_payment, amount=1000)
    elif forge == "unknown_reference":
        body = confirmation(open_payment, reference="261202NOSUCHREF")
    elif forge == "foreign_partner":
        body = confirmation(open_payment, partner="000.00.00.H99")
    elif forge == "object_field":
        body["MaGiaoDich"] = {"$gt": ""}
    elif forge == "other_currency":
        body["MaTienTe"] = "USD"
        body["MaXacThuc"] = sha(body, CONFIRM_FIELDS)
    answer = call(client, body)
    assert answer["MaLoi"] == "99" and answer["MoTaLoi"]
    assert state(open_payment) == UNPAID
    callback = GatewayCallback.objects.get()
    assert callback.answer_code != "00" and "MaXacThuc" not in callback.params
    signed_by_us = forge in ("signed_wrong_amount", "unknown_reference", "other_currency")
    assert callback.verified == signed_by_us
    # The genuine confirmation still goes through afterwards.
    assert call(client, confirmation(open_payment))["MaLoi"] == "00"


def test_unreadable_callbacks_are_refused_before_anything(client, open_payment):
    for data in (b"not json", b"[]", b"{" + b" " * 70_000 + b"}", b"[" * 60_000):
        response = client.post(URL, data=data, content_type="application/json")
        assert response.status_code == 400 and response.json()["MaLoi"] == "99"
    assert client.get(URL, confirmation(open_payment)).status_code == 405
    assert state(open_payment) == UNPAID and not GatewayCallback.objects.exists()


def test_callers_outside_the_allow_list_are_refused(client, open_payment, settings):
    settings.MOTCUA_PAYGOV_CALLBACK_ALLOWED_IPS = ["10.0.0.5"]
    assert call(client, confirmation(open_payment))["MaLoi"] == "99"
    assert state(open_payment) == UNPAID


def test_failure_then_a_new_attempt(client, open_payment, paused_dossier):
    assert call(client, confirmation(open_payment, code="02", number=""))["MaLoi"] == "00"
    assert state(open_payment)[:2] == (Payment.State.FAILED, Invoice.State.UNPAID)
    again, _url = start(paused_dossier)
    assert again.txn_ref != open_payment.txn_ref
    assert call(client, confirmation(again, number="GD0000000002"))["MaLoi"] == "00"
    assert state(again) == PAID


def test_a_confirmation_for_an_expired_attempt_is_applied_as_vnpays_is(client, open_payment):
    Payment.objects.filter(pk=open_payment.pk).update(state=Payment.State.EXPIRED)
    assert call(client, confirmation(open_payment))["MaLoi"] == "00"
    assert state(open_payment) == PAID


def test_the_browser_return_changes_nothing(client, open_payment):
    with mock.patch("motcua.payments.tasks.confirm_payment_task") as confirm:
        page = client.get(reverse("payments:paygov_return"), confirmation(open_payment))
    assert page.status_code == 200 and "đang được cổng thanh toán xác nhận" in page.content.decode()
    confirm.enqueue.assert_called_once_with(open_payment.pk)
    assert state(open_payment) == UNPAID
    assert client.get(reverse("payments:paygov_return"), confirmation(open_payment, key="x")).status_code == 400


# --- get bill ------------------------------------------------------------------------------------------------------

def test_reconciliation_settles_a_payment_whose_callback_never_came(paused_dossier, simulator):
    simulator.state.faults.update({"skip_callbacks": 1})
    payment, url = start(paused_dossier)
    assert httpx.post(url, data={"outcome": "pay"}, timeout=10).status_code == 200  # no return URL configured
    assert state(payment) == UNPAID
    day = timezone.localdate(payment.created_at)
    report = reconciliation.reconcile(day, provider="paygov", at=payment.created_at + dt.timedelta(days=1))
    assert [m["kind"] for m in report.mismatches] == ["settled_missing_notification"]
    assert report.settled == 1 and state(payment) == PAID
    payment.refresh_from_db()
    paid_at_platform = simulator.state.snapshot()["transactions"][payment.txn_ref]
    assert payment.provider_txn_no == paid_at_platform["transaction_no"]
    # Again: nothing more happens.
    report = reconciliation.reconcile(day, provider="paygov", at=payment.created_at + dt.timedelta(days=1))
    assert report.settled == 0 and report.matched == 1 and state(payment) == PAID


def test_check_again_path_and_unpaid_attempts(paused_dossier, simulator):
    payment, _url = start(paused_dossier)
    assert callbacks.confirm_pending(payment).state == Payment.State.PENDING  # opened, not paid: not found
    later = payment.expires_at + dt.timedelta(hours=1)
    report = reconciliation.reconcile(timezone.localdate(payment.created_at), provider="paygov", at=later)
    assert report.mismatches == [] and report.matched == 1
    payment.refresh_from_db()
    assert payment.state == Payment.State.EXPIRED


def test_an_unsigned_bill_is_not_trusted(paused_dossier, settings, loopback):  # noqa: F811
    configure(settings, loopback.url)
    loopback.answer(Answer(body=json.dumps({"MaLoi": "00", "UrlThanhToan": f"{loopback.url}/p"}).encode()))
    payment, _url = start(paused_dossier)
    forged = confirmation(payment)
    forged["MaXacThuc"] = sha(forged, CONFIRM_FIELDS, key="guess")
    loopback.answer(Answer(body=json.dumps({**forged, "MoTaLoi": ""}).encode()))
    report = reconciliation.reconcile(timezone.localdate(payment.created_at), provider="paygov")
    assert [m["kind"] for m in report.mismatches] == ["query_failed"]
    assert state(payment) == UNPAID
