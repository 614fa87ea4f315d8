"""In Debian's Chromium at 360×740: the public statistics page (no sign-in) in Vietnamese, then in English, reads
without sideways scrolling and axe-core finds no accessibility violation; its month bars have text beside them."""

import os

import pytest

from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script, browser_page  # noqa: F401
from motcua.reports.models import Target
from motcua.reports.tests.test_public_statistics import dossiers  # noqa: F401

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is installed by .ci/run")


def test_public_statistics_on_a_phone(units_restored, live_server, browser_page, axe_script,  # noqa: F811
                                      dossiers, demo_agencies):  # noqa: F811
    Target.objects.create(figure=Target.Figure.ON_TIME, year=2026, value=95)
    page = browser_page
    page.goto(f"{live_server.url}/thong-ke/?tu=2026-11&den=2026-12")
    assert page.locator("h1").inner_text() == "Thống kê hồ sơ một cửa"
    assert "Chỉ tiêu: 95" in page.locator(".rates").inner_text()
    bars = page.locator(".bars li")
    assert bars.count() == 2 and "4 hồ sơ tiếp nhận" in bars.nth(0).inner_text()
    assert demo_agencies["land_office"].name in page.locator("table").first.inner_text()
    assert_accessible(page, axe_script, "public statistics")
    page.goto(f"{live_server.url}/thong-ke/?tu=bad")
    assert page.locator("[role=alert]").is_visible()
    assert_accessible(page, axe_script, "public statistics with an error")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/thong-ke/?tu=2026-11&den=2026-12")
    assert page.locator("h1").inner_text() == "One-stop statistics"
    assert_accessible(page, axe_script, "public statistics in English")
