"""Consent before the online pre-fill (Decree 13/2023/NĐ-CP, Art. 11): after a VNeID sign-in the citizen sees the
notice and agrees before the national population database is asked; without agreeing nothing is asked, filled or
locked; the agreement is recorded (the notice's version and digest), and once withdrawn the form is no longer
filled."""

import pytest
from django.urls import reverse

from motcua.identity.tests.vneid_sim import LEVEL_2, sign_in_with_vneid
from motcua.integrations.models import RegistryAnswer
from motcua.privacy.consents import notice, withdraw_consent
from motcua.privacy.models import Consent

LAND = "1.013831"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_committed_call_records")]
CONSENT_URL = reverse("portal:prefill_consent", args=[LAND])
FIRST_PAGE = reverse("portal:apply_page", args=[LAND, 0])


def test_the_notice_comes_first_and_nothing_is_asked_before(client, vneid_sim, population_registry, demo_catalog):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    client.get(reverse("portal:apply", args=[LAND]))
    page = client.get(FIRST_PAGE).content.decode()
    assert "Đồng ý điền tờ khai từ Cơ sở dữ liệu quốc gia về dân cư" in page  # the notice, in Vietnamese
    assert 'name="consent_vneid_prefill"' in page and f'action="{CONSENT_URL}"' in page
    assert "Từ CSDL quốc gia về dân cư" not in page and "readonly" not in page  # nothing filled or locked
    assert not RegistryAnswer.objects.exists() and population_registry.state.snapshot()["lookups_total"] == 0
    assert not Consent.objects.exists()


def test_not_ticking_the_box_asks_nothing_and_says_why(client, vneid_sim, population_registry, demo_catalog):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    shown = client.get(CONSENT_URL)
    assert shown.status_code == 200 and "Nghị định 13/2023/NĐ-CP" in shown.content.decode()
    refused = client.post(CONSENT_URL, {"next": FIRST_PAGE})
    page = refused.content.decode()
    assert refused.status_code == 400 and 'aria-invalid="true"' in page
    assert "Đánh dấu vào ô để đồng ý" in page and f'href="{FIRST_PAGE}"' in page  # may go back and type
    assert not Consent.objects.exists() and not RegistryAnswer.objects.exists()


def test_agreeing_records_the_consent_then_fills_the_form(client, vneid_sim, population_registry, demo_catalog):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    client.get(reverse("portal:apply", args=[LAND]))
    agreed = client.post(CONSENT_URL, {"consent_vneid_prefill": "1", "next": FIRST_PAGE})
    assert agreed.status_code == 302 and agreed["Location"] == FIRST_PAGE
    consent = Consent.objects.get()
    assert (consent.purpose, consent.channel, consent.subject_national_id) == ("vneid_prefill", "online",
                                                                              LEVEL_2.national_id)
    assert consent.subject.national_id == LEVEL_2.national_id and consent.recorded_by == consent.subject
    assert consent.notice_sha256 == notice("vneid_prefill").sha256("vi")
    answer = RegistryAnswer.objects.get()
    assert answer.answered_at >= consent.given_at and answer.status == "found"  # asked after the consent
    page = client.get(FIRST_PAGE).content.decode()
    assert "Từ CSDL quốc gia về dân cư" in page and "Báo thông tin sai" in page
    assert 'name="consent_vneid_prefill"' not in page  # agreed: the notice is not shown again

    # Withdrawn under "My account": nothing filled or locked any more, the notice is shown again.
    withdraw_consent(consent)
    page = client.get(FIRST_PAGE).content.decode()
    assert "Từ CSDL quốc gia về dân cư" not in page and 'name="consent_vneid_prefill"' in page
    assert RegistryAnswer.objects.count() == 1


def test_a_forged_next_goes_to_the_form_not_away(client, vneid_sim, population_registry, demo_catalog):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    agreed = client.post(CONSENT_URL, {"consent_vneid_prefill": "1", "next": "https://example.org/"})
    assert agreed.status_code == 302 and agreed["Location"] == FIRST_PAGE


def test_the_consent_page_in_english(client, vneid_sim, population_registry, demo_catalog):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    client.cookies["django_language"] = "en"
    page = client.post(CONSENT_URL, {}).content.decode()
    assert "Consent to fill in your application from the national population database" in page
    assert "Tick the box to agree" in page and "Đồng ý điền tờ khai" not in page


def test_without_a_vneid_sign_in_there_is_no_such_page(client, citizen, population_registry, demo_catalog):
    client.force_login(citizen)  # a password sign-in: nothing could be filled from the registry
    assert client.get(CONSENT_URL).status_code == 404
    assert client.post(CONSENT_URL, {"consent_vneid_prefill": "1"}).status_code == 404
    assert not Consent.objects.exists()
    assert 'name="consent_vneid_prefill"' not in client.get(FIRST_PAGE).content.decode()
