"""In Debian's Chromium at 360×740: the public old-address converter, and the address question of the online
application with its script (the commune list follows the province, "Địa chỉ cũ?" converts in place); axe-core
finds no accessibility violation and nothing scrolls sideways."""

import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from motcua.portal.tests.test_e2e_browser import assert_accessible, axe_script, browser_page  # noqa: F401
from motcua.portal.wizard import pages_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by .ci/run")
PART = "thua_dat__dia_chi_thua"


def test_public_converter_on_a_phone(units_restored, live_server, browser_page, axe_script):  # noqa: F811
    page = browser_page
    page.goto(f"{live_server.url}{reverse('addresses:converter')}")
    assert page.locator("h1").inner_text() == "Chuyển đổi địa chỉ cũ"
    assert_accessible(page, axe_script, "converter")
    page.fill("#f-address", "p tan phu, tp dong xoai, binh phuoc")
    page.click("button:has-text('Chuyển đổi')")
    page.wait_for_selector("text=Phường Bình Phước, Tỉnh Đồng Nai")
    assert_accessible(page, axe_script, "converter: result")
    page.fill("#f-address", "Phường 1, TP HCM")
    page.click("button:has-text('Chuyển đổi')")
    page.wait_for_selector("text=Có nhiều xã, phường cũ trùng tên")
    assert_accessible(page, axe_script, "converter: candidates")


def test_address_question_with_its_script_on_a_phone(units_restored, live_server, browser_page, axe_script,  # noqa: F811
                                                     citizen, demo_catalog):
    from motcua.directory.addresses import forget_index

    forget_index()  # read the units as they are now, not as an earlier test left them
    client = Client()
    client.force_login(citizen)
    page = browser_page
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    version = demo_catalog["1.013225"].current_version
    index = next(i for i, p in enumerate(pages_for(version.eform_schema)) if p.key == "thua_dat")
    client.get(reverse("portal:apply_page", args=["1.013225", 0]))  # starts the draft
    page.goto(f"{live_server.url}{reverse('portal:apply_page', args=['1.013225', index])}")
    assert page.locator("h1").inner_text() == "Thửa đất"
    assert page.locator("[data-address-refresh]").count() == 0  # the script lists communes itself
    assert_accessible(page, axe_script, "address question")

    page.click("summary:has-text('Địa chỉ cũ?')")
    page.fill(f"#f-{PART}__old", "Phường Tân Phú, Thành phố Đồng Xoài, tỉnh Bình Phước")
    page.click("[data-address-convert]")
    page.wait_for_selector("text=Đã chuyển sang địa chỉ theo đơn vị hành chính áp dụng từ ngày 01/7/2025.")
    # (not wait_for_function: its string predicate is evaluated with eval, which the site's CSP forbids)
    expect(page.locator(f"#f-{PART}__commune_code")).to_have_value("25195")
    assert page.input_value(f"#f-{PART}__province_code") == "75"
    assert_accessible(page, axe_script, "address question: converted")

    page.select_option(f"#f-{PART}__province_code", "79")
    page.wait_for_selector(f"#f-{PART}__commune_code option[value='26740']", state="attached")
    assert page.input_value(f"#f-{PART}__commune_code") == ""
    page.select_option(f"#f-{PART}__commune_code", "26740")
    page.fill(f"#f-{PART}__street", "12 Nguyễn Huệ")
    for name, value in (("so_thua", "12"), ("to_ban_do", "4"), ("so_phat_hanh_gcn", "CS 01")):
        page.fill(f"#f-thua_dat__{name}", value)
    page.click("button:has-text('Tiếp tục')")
    page.wait_for_url(f"**/{index + 1}/")
    from motcua.portal.models import FormDraft

    assert FormDraft.objects.get(user=citizen).form_data["thua_dat"]["dia_chi_thua"]["text"] == (
        "12 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh")
