"""In Debian's Chromium at 360×740, with the EMC snippet configured to the local EMC stand-in (simulators/emc.py):
the home page loads the external script under the Content-Security-Policy (the browser_page fixture fails on any
CSP report) and the stand-in records the page view with the site code; the demo's links to the simulators keep the
page accessible at 360 px."""

import time
from pathlib import Path

import pytest

from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script, browser_page  # noqa: F401
from simulators.emc import EmcSimulator

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by .ci/run")


def test_the_home_page_loads_the_emc_snippet_and_its_beacon_is_recorded(
        live_server, settings, browser_page, axe_script):  # noqa: F811
    with EmcSimulator() as emc:
        settings.MOTCUA_EMC_SCRIPT_URL = f"{emc.url}/emc.js"
        settings.MOTCUA_EMC_SITE_ID = "DNI-DEMO"
        # As in the demo: the home page also links to the simulators' pages.
        settings.MOTCUA_DEMO_SIMULATOR_PAGES = {"dvcqg": "http://127.0.0.1:8301/", "emc": f"{emc.url}/"}
        browser_page.goto(f"{live_server.url}/")
        assert browser_page.locator("script#emc-script").get_attribute("data-site-id") == "DNI-DEMO"
        assert browser_page.locator("#home-demo ~ ul a[href='http://127.0.0.1:8301/']").is_visible()
        assert_accessible(browser_page, axe_script, "home page with the demo's simulator links")
        deadline = time.monotonic() + 10
        while not emc.state.snapshot()["hits"] and time.monotonic() < deadline:
            time.sleep(0.05)
        hits = emc.state.snapshot()["hits"]
    assert [(h["site_id"], h["url"]) for h in hits] == [("DNI-DEMO", f"{live_server.url}/")]
    assert hits[0]["title"]
