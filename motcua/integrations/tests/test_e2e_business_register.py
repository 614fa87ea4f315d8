"""In Debian's Chromium at 360 px: a VNeID-verified citizen is made a business's representative from the register;
a clerk looks an organisation up at the counter (the form is filled, the register's answer shown) and receives the
dossier, whose page shows the evidence. Nothing scrolls sideways, and axe finds nothing."""

import os

import pytest
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.identity.actions import sign_in_citizen
from motcua.identity.models import AssuranceLevel
from motcua.integrations.models import BusinessRegisterAnswer
from motcua.integrations.tests.business_register_helpers import business_register  # noqa: F401
from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script, browser_page  # noqa: F401

pytestmark = [pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is installed by .ci/run"),
              pytest.mark.usefixtures("forget_committed_call_records")]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_representation_and_counter_look_up_on_a_phone(units_restored, live_server, business_register,  # noqa: F811
                                                       browser_page, axe_script, citizen, clerk,  # noqa: F811
                                                       demo_catalog, demo_agencies):
    page = browser_page
    citizen = sign_in_citizen({"national_id": citizen.national_id}, assurance_level=AssuranceLevel.LEVEL_2)
    sign_in(page, live_server, citizen)
    page.goto(f"{live_server.url}/to-chuc/")
    assert page.get_attribute("html", "lang") == "vi", page.evaluate("navigator.languages")
    assert_accessible(page, axe_script, "organisations")
    page.fill("#tax_code", "3601234569")
    page.click("form:has(#tax_code) button[type=submit]")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    assert "ghi nhận bạn là người đại diện theo pháp luật" in page.content()
    assert_accessible(page, axe_script, "organisations, granted")

    sign_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/mot-cua/tiep-nhan/1.001193/")
    page.fill("#name", "x")
    page.fill("#id_number", "3602345670")
    page.click("button[name=lookup]")
    page.wait_for_selector(".panel-result")
    assert page.input_value("#name") == "CÔNG TY CỔ PHẦN XÂY DỰNG BÌNH MINH ĐỒNG NAI"
    assert_accessible(page, axe_script, "intake with the register's answer")
    answer = BusinessRegisterAnswer.objects.get(code="3602345670")
    assert page.input_value("input[name=business_answer]") == str(answer.pk)

    # The dossier received with that answer shows the evidence (its digest wraps on the phone).
    from django.urls import reverse

    from motcua.backoffice.tests.helpers import land_intake_post, signed_in

    post = land_intake_post(demo_agencies, name=answer.name, id_number="3602345670", business_answer=str(answer.pk))
    assert signed_in(clerk).post(reverse("backoffice:intake", args=["1.013831"]), post).status_code == 302
    dossier = Dossier.objects.get(applicant_id_number="3602345670")
    page.goto(f"{live_server.url}{reverse('backoffice:dossier', args=[dossier.code])}")
    assert answer.response_sha256 in page.content()
    assert_accessible(page, axe_script, "dossier with the register's answer")
