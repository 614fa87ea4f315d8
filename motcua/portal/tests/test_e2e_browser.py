"""In Debian's Chromium at 360×740 (a cheap phone): sign in through the local OIDC provider, submit a birth
registration with an upload, find it in "my dossiers", answer a supplement request; and axe-core finds no
accessibility violation on the catalog, form, my-dossiers and look-up pages."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.selectors import lookup_path
from motcua.identity.tests.conftest import start_provider

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by .ci/run")


@pytest.fixture(scope="module")
def axe_script():
    if not AXE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=AXE.parents[2], check=True,
                       timeout=300)
    return AXE.read_text()


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes meanwhile are
    # ordinary synchronous calls, so Django's async-safety guard is lifted for this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        page = context.new_page()
        refused: list[str] = []  # what the Content-Security-Policy blocked on our pages: nothing may be
        page.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)
        yield page
        browser.close()
    assert not refused, refused


@pytest.fixture
def provider(live_server, settings):
    url, process = start_provider(f"{live_server.url}/dinh-danh/vneid/callback/")
    settings.MOTCUA_OIDC_PROVIDERS = {**settings.MOTCUA_OIDC_PROVIDERS, "vneid": {
        **settings.MOTCUA_OIDC_PROVIDERS["vneid"], "server_metadata_url": f"{url}/.well-known/openid-configuration",
        "client_id": "motcua", "client_secret": "motcua-test-secret"}}
    yield url
    process.terminate()
    process.wait(timeout=10)


def assert_accessible(page, axe_script, name):
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy (no inline script) does not
    # govern: a <script> tag would be blocked, and the pages must stay tested under the policy they are served with.
    page.evaluate(f"{axe_script}\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], f"{name}: {json.dumps(violations, ensure_ascii=False)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} scrolls sideways at 360 px ({width} px)"


def test_citizen_journey_on_a_phone(units_restored, live_server, provider, browser_page, axe_script, demo_catalog,
                                    demo_agencies, other_clerk, tmp_path):
    page = browser_page
    base = live_server.url
    page.goto(f"{base}/thu-tuc/?q=dang+ky+khai+sinh")
    assert page.locator("h1").inner_text() == "Thủ tục hành chính"
    assert_accessible(page, axe_script, "catalog")
    page.click("text=Đăng ký khai sinh")
    page.click("text=Nộp hồ sơ trực tuyến")

    # Not signed in: the sign-in page offers VNeID; the local provider plays VNeID.
    page.click("text=Đăng nhập bằng VNeID")
    page.fill("input[name=login]", "075090001234")
    page.fill("input[name=password]", "bat-ky")
    page.click("button[type=submit]")
    page.click("button[type=submit]")  # consent
    page.wait_for_url(f"{base}/nop-ho-so/1.001193/buoc/0/")

    assert_accessible(page, axe_script, "form: applicant")
    page.select_option("#f-agency", label="Ủy ban nhân dân phường Trấn Biên")
    page.click("text=Tiếp tục")
    page.fill("#f-tre__ho_ten", "Nguyễn Minh Khôi")
    page.select_option("#f-tre__gioi_tinh", "nam")
    page.fill("#f-tre__ngay_sinh", "2026-11-18")
    page.fill("#f-tre__noi_sinh", "Bệnh viện Đa khoa Đồng Nai")
    page.click("text=Tiếp tục")
    page.fill("#f-me__ho_ten", "Lê Thị Hồng")
    page.fill("#f-me__so_dinh_danh", "075196002222")
    page.click("text=Tiếp tục")
    page.click("text=Tiếp tục")  # father: optional
    page.fill("#f-nguoi_yeu_cau__ho_ten", "Nguyễn Văn An")
    page.fill("#f-nguoi_yeu_cau__so_dinh_danh", "075090001234")
    page.click("text=Tiếp tục")
    page.fill("#f-quan_he_voi_tre", "Cha")  # the last question group: relationship to the child
    page.click("text=Tiếp tục")
    assert page.locator("h1").inner_text() == "Giấy tờ kèm theo"
    assert_accessible(page, axe_script, "form: documents")
    scan = tmp_path / "giay-chung-sinh.pdf"
    scan.write_bytes(b"%PDF-1.4 giay chung sinh")
    for slot in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than"):
        page.set_input_files(f"#f-{slot}", str(scan))
    page.click("text=Tiếp tục")
    assert "Nguyễn Minh Khôi" in page.content()
    page.click("button:has-text('Nộp hồ sơ')")
    page.wait_for_selector("text=Đã nộp hồ sơ")
    dossier = Dossier.objects.get()

    page.click("text=Hồ sơ của tôi")
    assert dossier.code in page.content()
    assert_accessible(page, axe_script, "my dossiers")

    # The commune clerk asks for a clearer birth certificate; the citizen answers from the phone.
    actions.request_supplement(dossier, actor=other_clerk, items=["Giấy chứng sinh bản rõ nét"], note="Ảnh mờ")
    page.goto(f"{base}/ho-so-cua-toi/{dossier.code}/")
    assert "Giấy chứng sinh bản rõ nét" in page.content()
    page.set_input_files("#s-giay_chung_sinh", str(scan))
    page.click("text=Gửi hồ sơ bổ sung")
    page.wait_for_selector("text=Đã gửi hồ sơ bổ sung")
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED

    page.goto(f"{base}{lookup_path(dossier)}")
    assert dossier.code in page.content()
    assert_accessible(page, axe_script, "look-up")
