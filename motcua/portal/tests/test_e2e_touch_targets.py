"""In Debian's Chromium at 360 px: the home page and the survey fit the phone, every survey answer is a touch
target at least 44 px tall (the label is clickable), the header's sign-out works, and axe finds nothing."""

import os

import pytest
from django.test import Client

from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script, browser_page  # noqa: F401
from motcua.portal.tests.test_survey import returned  # noqa: F401

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is installed by .ci/run")
SHOTS = os.environ.get("MOTCUA_SCREENSHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_home_and_survey_on_a_phone(units_restored, live_server, browser_page, axe_script, citizen,  # noqa: F811
                                    returned):  # noqa: F811
    page = browser_page
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Dịch vụ công trực tuyến"
    assert_accessible(page, axe_script, "home")
    _shot(page, "home")

    client = Client()
    client.force_login(citizen)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/ho-so-cua-toi/{returned.code}/")
    assert_accessible(page, axe_script, "my dossier with the survey")
    _shot(page, "my-dossier")
    labels = page.locator(".radio-item label")
    assert labels.count() == sum(len(q.answers) for q in __import__("motcua.dossiers.models",
                                                                     fromlist=["SURVEY"]).SURVEY)
    for i in range(labels.count()):
        box = labels.nth(i).bounding_box()
        assert box and box["height"] >= 44, (labels.nth(i).inner_text(), box)
    radio = page.locator(".radio-item input").first.bounding_box()
    assert radio and radio["height"] >= 44 and radio["width"] >= 44
    # Tapping the label's text picks the answer.
    page.locator("label", has_text="Không, bị trễ hẹn").click()
    assert page.locator("input[name=timeliness][value='1']").is_checked()

    page.click(".sign-out button")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".sign-out").count() == 0
