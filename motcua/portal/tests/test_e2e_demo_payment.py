"""In Debian's Chromium at 360×740, on the demo as scripts/demo.sh sets it up (setup_demo, the DEMO VNPay page):
the citizen opens the home page (search, look-up, sign-in), signs in, finds in "my dossiers" her dossier that owes
fees with the amount and the online-payment link, pays through the DEMO VNPay page, comes back to a page saying
it is paid (the invoice is paid online in the database), downloads the receipt, and signs out. axe-core finds no
accessibility violation on the home page, the fees page and the DEMO payment page."""

from pathlib import Path

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.payments.models import Invoice, Payment
from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script  # noqa: F401
from motcua.portal.tests.test_e2e_demo_signing import PASSWORD, browser, phone  # noqa: F401
from motcua.signing.tests.helpers import run_demo_setup

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by .ci/run")


def test_demo_citizen_pays_her_fees_online_and_signs_out(
        units_restored, live_server, settings, browser, axe_script, tmp_path):  # noqa: F811
    run_demo_setup(settings, tmp_path / "demo-signing", PASSWORD)
    base = live_server.url
    # What scripts/demo.sh sets: the DEMO VNPay page of this server, a demo terminal and secret.
    settings.MOTCUA_PUBLIC_URL = base
    settings.MOTCUA_DEMO_PAYMENTS = True
    settings.MOTCUA_VNPAY_TMN_CODE = "MOTCUADEMO"
    settings.MOTCUA_VNPAY_HASH_SECRET = "DEMO-ONLY-VNPAY-HASH-SECRET-NOT-FOR-PRODUCTION"
    settings.MOTCUA_VNPAY_PAYMENT_URL = f"{base}/thanh-toan/vnpay-demo/"
    settings.MOTCUA_VNPAY_IPN_ALLOWED_IPS = []
    dossier = Dossier.objects.get(idempotency_key="demo:land:online-fees")
    invoice = Invoice.objects.get(dossier=dossier)
    assert invoice.state == Invoice.State.UNPAID and invoice.total == 427_500

    page = phone(browser)
    page.goto(f"{base}/")
    assert page.locator("form[role=search] input[name=q]").is_visible()
    assert page.locator("form[action='/tra-cuu/'] input[name=ma]").is_visible()
    assert page.locator("form[action='/tra-cuu/'] input[name=s]").is_visible()
    sign_in_link = page.locator("#main a[href='/dang-nhap/']")
    assert sign_in_link.is_visible()
    assert_accessible(page, axe_script, "home page")

    sign_in_link.click()
    page.fill("#id_username", "tranthibinh")
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_password) button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/ho-so-cua-toi/")
    item = page.locator("li", has=page.locator(f"a[href='/ho-so-cua-toi/{dossier.code}/']"))
    assert "Số tiền còn phải nộp: 427.500 đồng" in item.inner_text()
    pay_link = item.locator("a.button", has_text="Thanh toán trực tuyến")
    assert pay_link.get_attribute("href") == reverse("payments:dossier", args=[dossier.code])
    pay_link.click()
    page.wait_for_url(f"{base}/thanh-toan/{dossier.code}/")
    assert_accessible(page, axe_script, "fees page")

    page.click("button[name=provider][value=vnpay]")
    page.wait_for_url(f"{base}/thanh-toan/vnpay-demo/?*")
    assert page.locator("#demo-payment-notice").is_visible()
    assert "DEMO" in page.locator("#demo-payment-notice").inner_text()
    assert page.locator("#demo-amount").inner_text() == "427.500 đồng"
    assert_accessible(page, axe_script, "DEMO VNPay payment page")
    page.click("#demo-pay")
    page.wait_for_url(f"{base}/thanh-toan/vnpay/ket-qua/?*")
    assert "Đã xác nhận thanh toán" in page.locator("main").inner_text()

    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PAID and invoice.paid_amount == 427_500
    payment = Payment.objects.get(invoice=invoice)
    assert (payment.provider, payment.method, payment.state) == ("vnpay", Payment.Method.ONLINE,
                                                                 Payment.State.SUCCEEDED)
    receipt_href = page.locator("#receipt-link").get_attribute("href")
    assert receipt_href and payment.receipt.number in receipt_href
    receipt = page.request.get(f"{base}{receipt_href}")
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")

    # The header's sign-out: back on a page for someone signed out.
    page.click("header form.sign-out button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("form.sign-out").count() == 0
    assert page.locator("header a[href='/dang-nhap/']").is_visible()
    page.goto(f"{base}/ho-so-cua-toi/")
    assert page.url.startswith(f"{base}/dang-nhap/")
