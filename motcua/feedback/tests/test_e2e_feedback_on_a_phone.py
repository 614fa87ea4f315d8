"""In Debian's Chromium at 360×740: a citizen (not signed in) sends a petition, gets its code and look-up code, the
page fits the phone and axe finds nothing; the staff's list and detail pages fit too; the published answers page
shows no personal data."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from motcua.feedback import actions
from motcua.feedback.models import Classification, Feedback
from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script, browser_page  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is installed by .ci/run")]


def test_petition_on_a_phone(units_restored, live_server, browser_page, axe_script, demo_agencies,  # noqa: F811
                             specialist, leader):
    page = browser_page
    page.goto(f"{live_server.url}/phan-anh/")
    assert page.locator("h1").inner_text() == "Gửi phản ánh, kiến nghị"
    assert_accessible(page, axe_script, "petition form")
    page.locator("#f-kind").select_option(label="Phản ánh về việc giải quyết hồ sơ — trả lời trong 10 ngày làm việc")
    page.get_by_label("Một cơ quan hoặc cán bộ").check()
    page.locator("#f-agency").select_option(label=demo_agencies["land_office"].name)
    page.locator("#f-title").fill("Cán bộ hẹn nhiều lần")
    page.locator("#f-content").fill("Tôi là Lê Văn Cường, CCCD 075090001111, gọi 0903 123 456 nhiều lần.")
    page.locator("#f-name").fill("Lê Văn Cường")
    page.locator("#f-phone").fill("12")  # a wrong number: said clearly, nothing typed lost
    page.get_by_label("Tôi đồng ý công khai", exact=False).check()
    page.get_by_role("button", name="Gửi", exact=True).click()
    assert "Số điện thoại không hợp lệ" in page.locator(".error-summary").inner_text()
    assert page.locator("#f-content").input_value().startswith("Tôi là Lê Văn Cường")
    assert_accessible(page, axe_script, "petition form with errors")
    page.locator("#f-phone").fill("0903 123 456")
    page.get_by_role("button", name="Gửi", exact=True).click()
    feedback = Feedback.objects.get()
    notice = page.locator(".notice").first.inner_text()
    assert feedback.code in notice and feedback.lookup_secret in notice
    assert_accessible(page, axe_script, "petition look-up")

    feedback = actions.assign_feedback(feedback, actor=leader, classification=Classification.PHAN_ANH)
    client = Client()
    client.force_login(leader)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/mot-cua/phan-anh/")
    assert feedback.code in page.locator("table").inner_text()
    assert_accessible(page, axe_script, "staff petition list")
    page.goto(f"{live_server.url}/mot-cua/phan-anh/{feedback.code}/")
    assert_accessible(page, axe_script, "staff petition detail")

    feedback = actions.draft_reply(feedback, actor=specialist, reply="Đã làm việc với ông Lê Văn Cường.")
    feedback = actions.approve_reply(feedback, actor=leader)
    feedback = actions.answer_feedback(feedback, actor=specialist)
    actions.publish_feedback(feedback, actor=leader)
    page.goto(f"{live_server.url}/phan-anh/da-tra-loi/")
    text = page.locator("main").inner_text()
    assert "Cán bộ hẹn nhiều lần" in text
    for secret in ("Cường", "075090001111", "0903 123 456"):
        assert secret not in text
    assert_accessible(page, axe_script, "published answers")
