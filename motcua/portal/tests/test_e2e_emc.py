"""In Debian's Chromium at 360×740, with the EMC snippet configured to the local EMC stand-in (simulators/emc.py):
the home page loads the external script under the Content-Security-Policy (the browser_page fixture fails on any
CSP report) and the stand-in records the page view with the site code."""

import time
from pathlib import Path

import pytest

from motcua.portal.tests.test_e2e_browser import CHROMIUM, browser_page  # noqa: F401
from simulators.emc import EmcSimulator

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by .ci/run")


def test_the_home_page_loads_the_emc_snippet_and_its_beacon_is_recorded(
        live_server, settings, browser_page):  # noqa: F811
    with EmcSimulator() as emc:
        settings.MOTCUA_EMC_SCRIPT_URL = f"{emc.url}/emc.js"
        settings.MOTCUA_EMC_SITE_ID = "DNI-DEMO"
        browser_page.goto(f"{live_server.url}/")
        assert browser_page.locator("script#emc-script").get_attribute("data-site-id") == "DNI-DEMO"
        deadline = time.monotonic() + 10
        while not emc.state.snapshot()["hits"] and time.monotonic() < deadline:
            time.sleep(0.05)
        hits = emc.state.snapshot()["hits"]
    assert [(h["site_id"], h["url"]) for h in hits] == [("DNI-DEMO", f"{live_server.url}/")]
    assert hits[0]["title"]
