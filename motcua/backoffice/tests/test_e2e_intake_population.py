"""In Debian's Chromium at 360×740: the counter clerk types a personal ID number, looks it up in the (simulated)
population database, sees the form filled and marked, receives the dossier and finds the registry panel with the
evidence; axe-core finds no accessibility violation on either page and nothing scrolls sideways."""

from pathlib import Path

import pytest
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.integrations import population
from motcua.integrations.tests.population_helpers import OTHER_CITIZEN_ID
from motcua.portal.tests import test_e2e_browser as e2e

axe_script = e2e.axe_script  # fixtures shared with the citizen's browser test
browser_page = e2e.browser_page
pytestmark = pytest.mark.skipif(not Path(e2e.CHROMIUM).exists(), reason="Debian's chromium is installed by .ci/run")


def test_counter_intake_prefilled_from_the_registry_on_a_phone(units_restored, live_server, browser_page,
                                                               axe_script, demo_catalog, demo_agencies, clerk,
                                                               population_registry):
    page = browser_page
    client = Client()
    client.force_login(clerk)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/mot-cua/tiep-nhan/1.013833/")
    page.fill("#id_number", OTHER_CITIZEN_ID)
    page.check("#consent-population_lookup")  # the applicant read the notice and agreed
    page.click("text=Tra cứu CSDL dân cư")
    page.wait_for_selector("#registry-message")
    assert page.input_value("#name") == "Trần Thị Bình"
    assert "phường Trấn Biên" in page.input_value("#address")
    assert page.locator(".tag-registry").count() == 2
    e2e.assert_accessible(page, axe_script, "intake pre-filled")

    page.fill("#f-nguoi_su_dung_dat__ho_ten", "Trần Thị Bình")
    page.fill("#f-nguoi_su_dung_dat__so_dinh_danh", OTHER_CITIZEN_ID)
    page.fill("#f-thua_dat__so_thua", "12")
    page.fill("#f-thua_dat__to_ban_do", "3")
    page.fill("#f-thua_dat__so_phat_hanh_gcn", "DA 654321")
    page.select_option("#f-noi_dung_thay_doi", "dia_chi")
    page.fill("#f-thong_tin_moi", "Số 8 đường Phạm Văn Thuận")
    page.check("#paper-don_dang_ky_bien_dong")
    page.check("#paper-giay_chung_nhan")
    page.click("text=Tiếp nhận hồ sơ và cấp giấy tiếp nhận")
    page.wait_for_selector("#registry")
    dossier = Dossier.objects.get()
    assert population.is_verified(dossier)
    panel = page.inner_text("#registry")
    assert "Đã xác minh" in panel and dossier.registry_answers.get().response_sha256 in panel
    e2e.assert_accessible(page, axe_script, "dossier with registry panel")
