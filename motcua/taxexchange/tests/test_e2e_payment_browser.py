"""In Debian's Chromium at 360×740: a citizen's online land-use-right transfer, paused for its financial obligations
after the tax authority's notice arrived electronically. On her dossier page and on the payment page she sees the
amount of each obligation (as the notice gives them, in đồng written the Vietnamese way), the total, the deadline
and the pay button; pressing it reaches the payment provider (the DEMO VNPay page), and paying resumes the dossier.
axe-core finds no violation and no page scrolls sideways."""

import json
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.actions import Applicant, Upload
from motcua.dossiers.models import Channel, Dossier, Status
from motcua.dossiers.tests.helpers import LAND_FORM, LAND_PAPERS
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 (fixture)
from motcua.integrations.tests.loopback import Answer
from motcua.payments.models import Invoice
from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script, browser_page  # noqa: F401
from motcua.taxexchange import actions
from motcua.taxexchange.models import Source, TaxTransfer
from motcua.taxexchange.tests.helpers import notice_for, tax_system

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("forget_committed_call_records"),
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by .ci/run")]


@pytest.fixture
def notified(units_restored, demo_catalog, demo_agencies, clerk, specialist, other_citizen, settings, loopback):
    """tranthibinh's online transfer at the tax step: the form sent (the dossier paused), then the notice pushed."""
    tax_system(settings, loopback.url)
    loopback.answer(Answer(body=json.dumps({"error_code": 0, "message": "Đã tiếp nhận"}).encode()))
    dossier = dossier_actions.submit_dossier(
        procedure=demo_catalog["1.013831"], channel=Channel.ONLINE,
        applicant=Applicant(name="Trần Thị Bình", id_number="075195004321", phone="0987654321"),
        competent_agency=demo_agencies["land_office"], actor=other_citizen, form_data=LAND_FORM,
        uploads=[Upload(code, f"{code}.pdf", b"%PDF-1.4 demo") for code in LAND_PAPERS], assurance_level=2)
    dossier = dossier_actions.receive_dossier(dossier, actor=clerk)
    dossier = dossier_actions.forward_dossier(dossier, actor=clerk)
    dossier_actions.forward_dossier(dossier, actor=specialist)  # the tax step's job sends the form and pauses
    assert TaxTransfer.objects.get(dossier=dossier).state == TaxTransfer.State.SENT
    assert actions.record_notice(notice_for(dossier), source=Source.PUSH).accepted
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.PAUSED_FOR_FEES
    return dossier


@pytest.fixture
def signed_in(live_server, browser_page, other_citizen):  # noqa: F811
    client = Client()
    client.force_login(other_citizen)
    browser_page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                       "url": live_server.url}])
    return browser_page


def test_the_citizen_sees_the_amounts_and_reaches_the_payment_provider(
        notified, live_server, signed_in, axe_script, settings):  # noqa: F811
    settings.MOTCUA_DEMO_PAYMENTS = True
    settings.MOTCUA_VNPAY_TMN_CODE = "MOTCUADEMO"
    settings.MOTCUA_VNPAY_HASH_SECRET = "TEST-ONLY-DEMO-HASH-SECRET-0123456789"
    settings.MOTCUA_VNPAY_PAYMENT_URL = f"{live_server.url}/thanh-toan/vnpay-demo/"
    settings.MOTCUA_VNPAY_IPN_ALLOWED_IPS = []
    page = signed_in
    page.goto(f"{live_server.url}/ho-so-cua-toi/{notified.code}/")
    section = page.locator("section.tax-notice")
    text = section.inner_text()
    # The notice's obligations and amounts (40,000,000 + 10,000,000 đồng), its deadline and reference.
    assert "Thuế thu nhập cá nhân từ chuyển nhượng bất động sản" in text and "40.000.000" in text
    assert "Lệ phí trước bạ nhà, đất" in text and "10.000.000" in text
    assert "50.000.000" in text and "Hạn nộp" in text and "31/12/2026" in text and "TT0000000001" in text
    with translation.override("vi"):
        assert page.locator("p.status-tag").first.inner_text() == str(Status.PAUSED_FOR_FEES.label)
    assert_accessible(page, axe_script, "dossier page with a tax notice")

    section.get_by_role("link", name="Nộp tiền trực tuyến").click()
    page.wait_for_url(f"{live_server.url}/thanh-toan/{notified.code}/")
    body = page.locator("main").inner_text()
    assert "40.000.000" in body and "10.000.000" in body and "31/12/2026" in body
    assert_accessible(page, axe_script, "payment page")

    page.get_by_role("button", name="Thanh toán trực tuyến (VNPAY)").click()
    page.wait_for_url(f"{live_server.url}/thanh-toan/vnpay-demo/**")
    assert "50.000.000" in page.locator("main").inner_text()
    assert_accessible(page, axe_script, "payment provider (DEMO VNPay page)")

    page.get_by_role("button", name="Thanh toán").first.click()
    page.wait_for_url(f"{live_server.url}/thanh-toan/vnpay/ket-qua/**")
    invoice = Invoice.objects.get(dossier=notified, purpose=Invoice.Purpose.OBLIGATION)
    assert invoice.state == Invoice.State.PAID
    dossier = Dossier.objects.get(pk=notified.pk)
    assert dossier.status != Status.PAUSED_FOR_FEES and dossier.current_step["key"] == "cap_nhat"
    page.goto(f"{live_server.url}/ho-so-cua-toi/{notified.code}/")
    assert "Đã nộp" in page.locator("section.tax-notice").inner_text()
