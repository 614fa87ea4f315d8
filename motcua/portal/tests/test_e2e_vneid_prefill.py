"""In Debian's Chromium at 360×740: a citizen signs in through the VNeID simulator with a level 2 account, reads
the consent notice and agrees, and the online land transfer form is filled from the (simulated) national population
database: the applicant's name, personal ID number and address, and the transferee's group, read-only and marked
"Từ CSDL quốc gia về dân cư", with the "Báo thông tin sai" link; the one-page form shows the same. axe-core finds no
accessibility violation on any of these pages and nothing scrolls sideways."""

from pathlib import Path

import pytest

from motcua.identity.tests.vneid_sim import LEVEL_2
from motcua.integrations.models import RegistryAnswer
from motcua.portal.tests import test_e2e_browser as e2e
from motcua.privacy.models import Consent
from simulators.vneid import SimulatorConfig, VneidSimulator

axe_script = e2e.axe_script  # fixtures shared with the citizen's browser test
browser_page = e2e.browser_page
pytestmark = pytest.mark.skipif(not Path(e2e.CHROMIUM).exists(), reason="Debian's chromium is installed by .ci/run")
LAND = "1.013831"  # land transfer: needs a level 2 sign-in; its "ben_nhan_chuyen_nhuong" group is the applicant's
GROUP = "ben_nhan_chuyen_nhuong"
REGISTRY_TAG = "Từ CSDL quốc gia về dân cư"


@pytest.fixture
def vneid_for_browser(live_server, settings, forget_committed_call_records):
    """The VNeID simulator, with the live server's callback registered (the browser is sent back there)."""
    callback = f"{live_server.url}/dinh-danh/vneid/callback/"
    with VneidSimulator(SimulatorConfig(redirect_uris=(callback,))) as sim:
        settings.MOTCUA_OIDC_PROVIDERS = {
            **settings.MOTCUA_OIDC_PROVIDERS,
            "vneid": {**settings.MOTCUA_OIDC_PROVIDERS["vneid"],
                      "server_metadata_url": f"{sim.url}/.well-known/openid-configuration",
                      "client_id": sim.config.client_id, "client_secret": sim.config.client_secret, "timeout": 5},
        }
        yield sim


def locked(page, selector):
    control = page.locator(selector)
    assert control.get_attribute("readonly") is not None, selector
    described = control.get_attribute("aria-describedby") or ""
    assert page.locator(f"#{described}").inner_text() == REGISTRY_TAG, selector
    return control.input_value()


def test_the_prefilled_online_form_on_a_phone(units_restored, live_server, vneid_for_browser, population_registry,
                                              browser_page, axe_script, demo_catalog, demo_agencies):
    page = browser_page
    base = live_server.url
    page.goto(f"{base}/nop-ho-so/{LAND}/")
    page.click("text=Đăng nhập bằng VNeID")
    page.click(f"button:has-text('{LEVEL_2.national_id}')")  # the simulator's page: Trần Thị Bình, level 2
    page.wait_for_url(f"{base}/nop-ho-so/{LAND}/buoc/0/")

    # The consent notice comes first: nothing asked of the registry yet.
    assert page.locator("#consent-vneid_prefill-group h2").inner_text() == (
        "Đồng ý điền tờ khai từ Cơ sở dữ liệu quốc gia về dân cư")
    assert page.locator(f"text={REGISTRY_TAG}").count() == 0 and not RegistryAnswer.objects.exists()
    e2e.assert_accessible(page, axe_script, "applicant page with the consent notice")
    page.check("#consent-vneid_prefill")
    page.click("text=Đồng ý và điền sẵn thông tin")
    page.wait_for_selector(".registry-notice")
    assert Consent.objects.get().subject.national_id == LEVEL_2.national_id

    assert locked(page, "#f-name") == "Trần Thị Bình"
    assert locked(page, "#f-id_number") == LEVEL_2.national_id
    assert "Phạm Văn Thuận" in locked(page, "#f-address")
    assert page.locator("#f-phone").get_attribute("readonly") is None  # not from the registry: the citizen's
    report = page.locator("text=Báo thông tin sai")
    assert report.is_visible() and f"/nop-ho-so/{LAND}/bao-thong-tin-sai/" in (report.get_attribute("href") or "")
    assert page.locator("#consent-vneid_prefill").count() == 0  # agreed: not asked again
    e2e.assert_accessible(page, axe_script, "applicant page pre-filled")

    page.select_option("#f-agency", index=1)
    page.click("text=Tiếp tục")  # the transferor's page (typed), then the transferee's: the applicant's own group
    page.wait_for_selector("#f-ben_chuyen_nhuong__ho_ten")
    page.fill("#f-ben_chuyen_nhuong__ho_ten", "Nguyễn Văn An")
    page.fill("#f-ben_chuyen_nhuong__so_dinh_danh", "075090001234")
    page.click("text=Tiếp tục")
    page.wait_for_selector(f"#f-{GROUP}__ho_ten")
    assert locked(page, f"#f-{GROUP}__ho_ten") == "Trần Thị Bình"
    assert locked(page, f"#f-{GROUP}__ngay_sinh") == "1995-09-20"
    assert locked(page, f"#f-{GROUP}__so_dinh_danh") == LEVEL_2.national_id
    assert page.locator("text=Báo thông tin sai").is_visible()
    e2e.assert_accessible(page, axe_script, "transferee page pre-filled")

    # The one-page form: the same data, locked and marked.
    page.goto(f"{base}/nop-ho-so/{LAND}/mot-trang/")
    assert locked(page, "#name") == "Trần Thị Bình"
    assert locked(page, f"#f-{GROUP}__ngay_sinh") == "1995-09-20"
    assert page.locator("text=Báo thông tin sai").is_visible()
    e2e.assert_accessible(page, axe_script, "one-page form pre-filled")
