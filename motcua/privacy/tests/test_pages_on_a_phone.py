"""In Debian's Chromium at 360 px, axe-core finds no accessibility violation on "My account" (who read my data,
consents, export), the reason page and the administrator's access log, and none scrolls sideways."""

import pytest
from django.urls import reverse

from motcua.dossiers.tests.helpers import land_dossier
from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script  # noqa: F401 (fixture)
from motcua.portal.tests.test_form_controls_on_a_phone import SITE, outside_playwrights_loop, phone  # noqa: F401
from motcua.privacy.access import grant_reason, record_access
from motcua.privacy.consents import record_consent
from motcua.privacy.models import AccessKind

pytestmark = pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(),
                                reason="Debian's chromium is installed by .ci/run")


def test_privacy_pages_on_a_phone(demo_catalog, demo_agencies, other_citizen, clerk, other_clerk, province_admin,
                                  phone, axe_script, tmp_path):  # noqa: F811
    with outside_playwrights_loop():
        dossier = land_dossier(demo_catalog, demo_agencies, clerk, None)  # Trần Thị Bình's, 075195004321
        record_access(actor=clerk, kind=AccessKind.POPULATION_LOOKUP, purpose="intake", dossier=dossier)
        grant_reason(actor=other_clerk, dossier=dossier, reason="Phối hợp giải quyết theo công văn 123/UBND-VP")
        record_consent(purpose="vneid_prefill", subject=other_citizen)
        record_consent(purpose="population_lookup", subject_national_id="075195004321", recorded_by=clerk)

    phone.sign_in(other_citizen)
    phone.page.goto(SITE + reverse("privacy:my_account"))
    assert phone.page.title().startswith("Tài khoản của tôi")
    assert phone.page.locator("text=Phối hợp giải quyết theo công văn 123/UBND-VP").count() == 1
    phone.page.screenshot(path=str(tmp_path / "my-account.png"), full_page=True)
    assert_accessible(phone.page, axe_script, "my account")

    phone.sign_in(clerk)  # another agency's clerk would see the reason page; this one is of the receiving agency
    phone.sign_in(other_clerk)
    with outside_playwrights_loop():
        from motcua.privacy.models import DataAccess

        DataAccess.objects.filter(actor=other_clerk).delete()  # no reason on record: the page asks for one
    phone.page.goto(SITE + reverse("backoffice:dossier", args=[dossier.code]))
    assert phone.page.locator("#reason").count() == 1
    assert_accessible(phone.page, axe_script, "reason page")
    phone.page.click("text=Mở hồ sơ")  # empty: the error summary, the typed text kept
    assert phone.page.title().startswith("Lỗi: ")
    assert_accessible(phone.page, axe_script, "reason page with an error")

    phone.sign_in(province_admin)
    phone.page.goto(SITE + reverse("privacy:access_log"))
    phone.page.screenshot(path=str(tmp_path / "access-log.png"), full_page=True)
    assert_accessible(phone.page, axe_script, "access log")
    phone.page.goto(SITE + reverse("privacy:subject_export"))
    assert_accessible(phone.page, axe_script, "subject export")
