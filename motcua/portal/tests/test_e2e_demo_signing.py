"""In Debian's Chromium at 360×740, on the demo as scripts/demo.sh sets it up (setup_demo with its DEMO certificate):
the commune specialist attaches the draft result, the leader approves, the citizen downloads the signed e-result
from "my dossiers", the file verifies as signed by our verifier, and the public verify page accepts it as a DEMO
signature. axe-core finds no accessibility violation on the staff dossier page and the verify page."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Status
from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script  # noqa: F401
from motcua.signing import config
from motcua.signing.models import ResultDocument
from motcua.signing.pdf import verify_pdf
from motcua.signing.tests.helpers import draft_pdf, run_demo_setup

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by .ci/run")
PASSWORD = "demo-pass-123"  # the demo accounts' password in this test


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls between Playwright's steps
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


def phone(browser):
    """A new phone (its own cookies: one person each)."""
    return browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", accept_downloads=True).new_page()


def sign_in(page, url, username):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_password) button[type=submit]")
    page.wait_for_load_state()


def test_demo_leader_approves_and_the_citizen_downloads_the_signed_result(
        units_restored, live_server, settings, browser, axe_script, tmp_path):  # noqa: F811
    run_demo_setup(settings, tmp_path / "demo-signing", PASSWORD)
    base = live_server.url
    settings.MOTCUA_PUBLIC_URL = base
    users = get_user_model().objects
    # The demo's online birth registration of nguyenvana, received by the commune and at its specialist.
    dossier = Dossier.objects.get(idempotency_key="demo:birth:online")
    clerk = users.get(username="tiepnhan.tranbien")
    dossier = actions.forward_dossier(actions.receive_dossier(dossier, actor=clerk), actor=clerk)
    staff_page = f"{base}/mot-cua/ho-so/{dossier.code}/"

    specialist = phone(browser)
    sign_in(specialist, f"{base}/mot-cua/dang-nhap/", "congchuc.tranbien")
    specialist.goto(staff_page)
    draft = tmp_path / "trich-luc-khai-sinh.pdf"
    draft.write_bytes(draft_pdf("Trích lục khai sinh — Nguyễn Minh Khôi"))
    specialist.set_input_files("#draft-result", str(draft))
    specialist.click("text=Đính kèm dự thảo kết quả")
    specialist.wait_for_selector("text=Dự thảo, chờ phê duyệt")
    assert_accessible(specialist, axe_script, "staff dossier page with a draft result")
    specialist.click("#action-forward summary")
    specialist.click("#action-forward button[type=submit]")
    specialist.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.current_role == "leader"

    leader = phone(browser)
    sign_in(leader, f"{base}/mot-cua/dang-nhap/", "lanhdao.tranbien")
    leader.goto(staff_page)
    leader.click("#action-approve summary")
    leader.click("#action-approve button[type=submit]")
    leader.wait_for_selector(".badge-valid")
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    result = ResultDocument.objects.get(dossier=dossier, state=ResultDocument.State.SIGNED)
    assert "DEMO" in result.certificate_subject

    citizen = phone(browser)
    sign_in(citizen, f"{base}/dang-nhap/", "nguyenvana")
    citizen.goto(f"{base}/ho-so-cua-toi/{dossier.code}/")
    with citizen.expect_download() as download_info:
        citizen.click(f"a[href$='/ket-qua/{result.pk}/']")
    downloaded = tmp_path / "ket-qua.pdf"
    download_info.value.save_as(downloaded)
    signed = downloaded.read_bytes()
    # pyHanko validates in asyncio.run(): not in this thread, where Playwright's event loop runs.
    with ThreadPoolExecutor(1) as pool:
        verdict = pool.submit(verify_pdf, signed, trust_roots=config.trust_roots()).result()
    assert verdict.valid, verdict.problems
    assert "DEMO" in verdict.signatures[-1].signer_subject

    # Anyone checks the file on the public verify page: valid, and said to be a DEMO signature on a demo system.
    citizen.goto(f"{base}/xac-thuc/")
    assert citizen.locator("#demo-notice").is_visible()
    citizen.set_input_files("#file", str(downloaded))
    citizen.click("text=Kiểm tra chữ ký")
    citizen.wait_for_selector("#verdict")
    assert citizen.locator("#verdict .notice").is_visible()
    assert citizen.locator("#demo-signature").is_visible()
    assert_accessible(citizen, axe_script, "verify page with a valid demo signature")
