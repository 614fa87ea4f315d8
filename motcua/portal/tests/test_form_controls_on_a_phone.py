"""In Debian's Chromium at 360 px: every form control (text-like inputs, with or without a type, selects,
textareas) is styled, at least 44 px tall and has 16 px text (no zoom on focus in iOS Safari); the e-form's error
page and check-your-answers page fit the screen. Screenshots of each page are left in the test's tmp_path."""

import asyncio
import shutil
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.portal.models import FormDraft
from motcua.portal.tests.test_assurance_level import signed_in_at
from motcua.portal.tests.test_wizard_check_answers import LAND, LAND_ANSWERS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SITE = "http://motcua.test"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by .ci/run")

CONTROLS = ("input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=submit]):not([type=button]),"
            " select, textarea")
MEASURE = """selector => [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length)
  .map(e => ({name: e.id || e.name, height: e.getBoundingClientRect().height,
              font: parseFloat(getComputedStyle(e).fontSize), border: getComputedStyle(e).borderTopWidth}))"""


@contextmanager
def outside_playwrights_loop():
    """Playwright's sync API leaves its asyncio loop marked as running in this thread, and Django then gives each
    asyncio context its own database connection: one outside the test's transaction, which cannot see the test's
    rows (and on SQLite finds the tables locked). The loop is unmarked while Django works."""
    loop = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(loop)


@pytest.fixture
def phone(monkeypatch, db):
    """A 360-px Chromium page whose every request is answered in-process by Django's test client (the test's own
    database transaction, no live server), static files from the finders; .sign_in(user) signs the client in."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls from Playwright's event loop thread
    client = Client()

    def serve(route, request):
        url = urlsplit(request.url)
        if url.path.startswith(settings.STATIC_URL):
            found = finders.find(url.path.removeprefix(settings.STATIC_URL))
            return route.fulfill(path=found) if found else route.fulfill(status=404)
        path = url.path + (f"?{url.query}" if url.query else "")
        with outside_playwrights_loop():
            response = client.generic(request.method, path, request.post_data_buffer or b"",
                                      content_type=request.headers.get("content-type", ""))
        return route.fulfill(status=response.status_code, body=response.content, headers=dict(response.items()))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        context.route(f"{SITE}/**", serve)
        page = context.new_page()

        def sign_in(user):
            with outside_playwrights_loop():
                signed_in_at(client, user, 2)  # (the land transfer needs a level 2 VNeID sign-in)

        yield SimpleNamespace(page=page, sign_in=sign_in)
        browser.close()


def check_controls(page, name, tmp_path):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    controls = page.evaluate(MEASURE, CONTROLS)
    assert controls, name
    for control in controls:
        assert control["height"] >= 44, f"{name}: {control}"
        assert control["font"] >= 16, f"{name}: {control}"
        assert control["border"] == "2px", f"{name}: unstyled {control}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} scrolls sideways at 360 px ({width} px)"


def test_wizard_pages_on_a_phone(demo_catalog, demo_agencies, citizen, phone, tmp_path):
    phone.sign_in(citizen)
    phone.page.goto(SITE + reverse("portal:apply_page", args=[LAND, 0]))
    check_controls(phone.page, "1-applicant", tmp_path)
    phone.page.select_option("#f-agency", label="Văn phòng Đăng ký đất đai tỉnh Đồng Nai")
    phone.page.click("text=Tiếp tục")
    phone.page.click("text=Tiếp tục")  # the transferring party, left empty
    assert phone.page.title().startswith("Lỗi: ")
    check_controls(phone.page, "2-errors", tmp_path)
    phone.page.click("text=Nhập số định danh cá nhân của bên chuyển nhượng")  # the summary link reaches its field
    assert phone.page.evaluate("document.activeElement.id") == "f-ben_chuyen_nhuong__so_dinh_danh"

    with outside_playwrights_loop():
        FormDraft.objects.filter(user=citizen).update(form_data=LAND_ANSWERS)
    phone.page.goto(SITE + reverse("portal:apply_check", args=[LAND]))
    phone.page.screenshot(path=str(tmp_path / "3-check.png"), full_page=True)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    links = phone.page.evaluate("""[...document.querySelectorAll('.summary-action a')]
                              .map(a => a.getBoundingClientRect().height)""")
    assert links and min(links) >= 44


def test_report_filters_on_a_phone(demo_catalog, demo_agencies, clerk, leader, phone, tmp_path):
    with outside_playwrights_loop():
        land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 2))
    phone.sign_in(leader)
    phone.page.goto(SITE + reverse("reports:report") + "?tu=2026-11&den=2026-11")
    check_controls(phone.page, "4-report", tmp_path)
