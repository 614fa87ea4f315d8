"""Consent before the counter look-up in the national population database (Decree 13/2023/NĐ-CP, Art. 11): the
clerk is shown the notice to give the applicant and confirms they agreed; without that, nothing is asked, a clear
error says why and everything typed stays; the consent is recorded and kept with the dossier received."""

import re

import pytest
from django.urls import reverse

from motcua.backoffice.tests.helpers import land_intake_post
from motcua.dossiers.models import Dossier
from motcua.integrations.models import RegistryAnswer
from motcua.integrations.tests.population_helpers import OTHER_CITIZEN_ID
from motcua.privacy.consents import notice
from motcua.privacy.models import Consent, DataAccess

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")
URL = reverse("backoffice:intake", args=["1.013831"])


def lookup_post(agencies, consent, **overrides):
    post = land_intake_post(agencies, name="", address="", phone="0911222333", **overrides)
    post["lookup_population"] = "1"
    if consent:
        post["consent_population_lookup"] = "1"
    return post


def test_the_intake_page_shows_the_notice_and_the_box(as_clerk, population_registry):
    page = as_clerk.get(URL).content.decode()
    assert "Đồng ý tra cứu thông tin của bạn trong Cơ sở dữ liệu quốc gia về dân cư" in page
    assert 'name="consent_population_lookup"' in page and 'id="consent-population_lookup"' in page
    assert "Nghị định 13/2023/NĐ-CP" in page
    assert "Người nộp hồ sơ đã đọc (hoặc được đọc cho nghe) thông báo này và đồng ý" in page


def test_without_the_applicants_consent_nothing_is_asked_and_nothing_typed_is_lost(as_clerk, demo_agencies,
                                                                                     population_registry):
    response = as_clerk.post(URL, lookup_post(demo_agencies, consent=False, id_number=OTHER_CITIZEN_ID))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa tra cứu: hãy cho người nộp hồ sơ đọc thông báo" in page
    assert 'href="#consent-population_lookup"' in page  # the error summary links to the box
    assert 'aria-invalid="true"' in re.search(r'<input type="checkbox" id="consent-population_lookup"[^>]*>',
                                              page).group(0)
    assert f'value="{OTHER_CITIZEN_ID}"' in page and 'value="0911222333"' in page  # what was typed stays
    assert not RegistryAnswer.objects.exists() and not Consent.objects.exists()
    assert population_registry.state.snapshot()["lookups_total"] == 0 and not DataAccess.objects.exists()
    assert not Dossier.objects.exists()


def test_the_error_speaks_english_when_the_clerk_chose_english(as_clerk, demo_agencies, population_registry):
    as_clerk.cookies["django_language"] = "en"
    page = as_clerk.post(URL, lookup_post(demo_agencies, consent=False, id_number=OTHER_CITIZEN_ID)).content.decode()
    assert "Not looked up: show the applicant the notice" in page and "Chưa tra cứu" not in page


def test_with_consent_it_is_recorded_then_kept_with_the_dossier(as_clerk, clerk, demo_agencies,
                                                               population_registry):
    response = as_clerk.post(URL, lookup_post(demo_agencies, consent=True, id_number=OTHER_CITIZEN_ID))
    page = response.content.decode()
    assert response.status_code == 200 and 'value="Trần Thị Bình"' in page
    assert re.search(r'<input type="checkbox" id="consent-population_lookup"[^>]*checked', page)  # still ticked
    consent = Consent.objects.get()
    assert (consent.purpose, consent.channel, consent.subject_national_id, consent.recorded_by) == (
        "population_lookup", "counter", OTHER_CITIZEN_ID, clerk)
    assert consent.notice_sha256 == notice("population_lookup").sha256("vi") and consent.dossier is None
    answer = RegistryAnswer.objects.get()
    assert answer.answered_at >= consent.given_at  # the consent came first

    # Looking up again (same visit) records no second consent.
    as_clerk.post(URL, lookup_post(demo_agencies, consent=True, id_number=OTHER_CITIZEN_ID))
    assert Consent.objects.count() == 1

    post = land_intake_post(demo_agencies, registry_answer=str(answer.pk))
    assert as_clerk.post(URL, post).status_code == 302
    dossier = Dossier.objects.get()
    consent.refresh_from_db()
    assert consent.dossier == dossier


def test_a_malformed_number_is_told_first_and_no_consent_is_recorded(as_clerk, demo_agencies, population_registry):
    page = as_clerk.post(URL, lookup_post(demo_agencies, consent=True, id_number="12345")).content.decode()
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in page
    assert not Consent.objects.exists() and not RegistryAnswer.objects.exists()


def test_a_look_up_from_the_dossier_page_needs_the_consent_too(as_clerk, clerk, demo_agencies,
                                                                population_registry):
    """Received by hand (no look-up, so no consent): the dossier page's button asks for the consent first."""
    assert as_clerk.post(URL, land_intake_post(demo_agencies, name="Trần Thị Bình",
                                               id_number=OTHER_CITIZEN_ID)).status_code == 302
    dossier = Dossier.objects.get()
    detail_url = reverse("backoffice:dossier", args=[dossier.code])
    detail = as_clerk.get(detail_url).content.decode()
    assert 'name="consent_population_lookup"' in detail and "Chưa xác minh" in detail
    lookup_url = reverse("backoffice:dossier_registry_lookup", args=[dossier.code])
    refused = as_clerk.post(lookup_url, follow=True).content.decode()
    assert "Chưa tra cứu: người nộp hồ sơ chưa đồng ý" in refused
    assert not RegistryAnswer.objects.exists() and not Consent.objects.exists()

    assert as_clerk.post(lookup_url, {"consent_population_lookup": "1"}).status_code == 302
    consent = Consent.objects.get()
    assert (consent.dossier, consent.recorded_by, consent.subject_national_id) == (dossier, clerk, OTHER_CITIZEN_ID)
    assert dossier.registry_answers.get().status == "found"
    assert 'name="consent_population_lookup"' not in as_clerk.get(detail_url).content.decode()  # verified now
