"""In Debian's Chromium at 360 px: the clerk looks a disputed parcel up on the counter intake page (the panel shows the
flags and the parcel, and fills the e-form), then sees the land panel on a flagged dossier's page; the citizen fills
the parcel page of the online form from her certificate serial. No sideways scroll, and axe finds nothing."""

import os

import pytest
from django.test import Client

from motcua.land import actions
from motcua.land.tests.helpers import counter_dossier, info_form, signed_in_at_level_2
from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script, browser_page  # noqa: F401
from motcua.portal.wizard import pages_for

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is installed by .ci/run")


def sign_in(page, live_server, user):
    client = Client()
    signed_in_at_level_2(client, user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_the_clerk_and_the_citizen_on_a_phone(units_restored, live_server, land_sim, browser_page,  # noqa: F811
                                              axe_script, demo_catalog, demo_agencies, clerk, other_citizen):  # noqa: F811
    page = browser_page
    sign_in(page, live_server, clerk)
    # What the panel's look-up form (GET) asks for: the page itself, with the serial and the applicant's ID.
    page.goto(f"{live_server.url}/mot-cua/tiep-nhan/1.013831/?gcn=DN+012347&so_dinh_danh=075088007777")
    page.wait_for_selector(".land-flags")
    assert page.locator("#land-gcn").input_value() == "DN 012347"
    flags = page.locator(".land-flags").inner_text()
    assert "Thửa đất đang có tranh chấp" in flags and "Không đủ điều kiện" in flags
    assert page.locator("#f-thua_dat__so_thua").input_value() == "347"
    assert page.locator("#f-ben_chuyen_nhuong__so_dinh_danh").input_value() == "075088007777"
    assert_accessible(page, axe_script, "counter intake with the land panel")

    dossier = counter_dossier(demo_catalog, demo_agencies, clerk, form=info_form(serial="DN 012348",
                              holder=("Nguyễn Văn An", "075090001234")), applicant=("Nguyễn Văn An", "075090001234"))
    actions.check_dossier_parcel(dossier.pk)
    page.goto(f"{live_server.url}/mot-cua/ho-so/{dossier.code}/")
    panel = page.locator("#land").inner_text()
    assert "Thửa đất đang bị kê biên" in panel and "Thi hành án dân sự tỉnh Đồng Nai" in panel
    assert_accessible(page, axe_script, "dossier page with the land panel")
    page.click("text=Tôi đã xem các cảnh báo này")
    page.wait_for_selector("text=Đã ghi nhận: bạn đã xem các cảnh báo")

    page.context.clear_cookies()
    sign_in(page, live_server, other_citizen)
    procedure = demo_catalog["1.013831"]
    index = next(i for i, p in enumerate(pages_for(procedure.current_version.eform_schema)) if p.key == "thua_dat")
    page.goto(f"{live_server.url}/nop-ho-so/1.013831/")
    page.goto(f"{live_server.url}/nop-ho-so/1.013831/buoc/{index}/")
    page.fill("#land-gcn", "DN 012345")
    page.click("text=Điền thông tin")
    page.wait_for_selector("text=Đã điền thông tin thửa đất")
    assert page.locator("#f-thua_dat__so_thua").input_value() == "345"
    assert_accessible(page, axe_script, "online form's parcel page filled from the land database")
