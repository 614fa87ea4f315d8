"""Consent before a registry look-up on a person's behalf: the notice (template tag) and its record."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from motcua.privacy.consents import consent_given, consent_in, notice, record_consent, withdraw_consent
from motcua.privacy.models import Consent


def test_the_notice_tag_shows_the_text_and_a_required_box_in_one_language():
    template = Template('{% load privacy_tags %}<form>{% consent_notice "population_lookup" %}</form>')
    request = RequestFactory().get("/")
    with translation.override("vi"):
        html = template.render(Context({"request": request}))
    assert "Cơ sở dữ liệu quốc gia về dân cư" in html and "Nghị định 13/2023/NĐ-CP" in html
    assert 'name="consent_population_lookup"' in html and 'type="checkbox"' in html
    assert "national population database" not in html  # Vietnamese only
    with translation.override("en"):
        english = template.render(Context({"request": request}))
    assert "national population database" in english and "dân cư" not in english
    with pytest.raises(ValueError):
        Template('{% load privacy_tags %}{% consent_notice "no_such_purpose" %}').render(Context({}))


def test_the_box_ticked_in_the_post_is_the_consent():
    assert consent_in({"consent_population_lookup": "1"}, "population_lookup")
    assert not consent_in({}, "population_lookup")
    assert not consent_in({"consent_vneid_prefill": "1"}, "population_lookup")


@pytest.mark.django_db
def test_a_counter_consent_is_recorded_once_and_lasts_the_visit(clerk, settings):
    assert not consent_given(purpose="population_lookup", subject_national_id="075090001234")
    first = record_consent(purpose="population_lookup", subject_national_id="075090001234", recorded_by=clerk,
                           language="vi")
    again = record_consent(purpose="population_lookup", subject_national_id="075090001234", recorded_by=clerk,
                           language="vi")
    assert first.pk == again.pk and Consent.objects.count() == 1  # a repeated post adds nothing
    assert first.channel == "counter" and first.recorded_by == clerk and first.subject is None
    assert first.notice_version == notice("population_lookup").version
    assert first.notice_sha256 == notice("population_lookup").sha256("vi") != notice("population_lookup").sha256("en")
    assert consent_given(purpose="population_lookup", subject_national_id="075090001234")
    assert not consent_given(purpose="population_lookup", subject_national_id="075090009999")
    assert not consent_given(purpose="vneid_prefill", subject_national_id="075090001234")
    Consent.objects.update(given_at=timezone.now() - dt.timedelta(minutes=61))
    assert not consent_given(purpose="population_lookup", subject_national_id="075090001234")


@pytest.mark.django_db
def test_a_citizens_own_consent_lasts_until_withdrawn(citizen):
    citizen.national_id = "075090001234"
    citizen.save()
    consent = record_consent(purpose="vneid_prefill", subject=citizen, recorded_by=citizen)
    assert consent.channel == "online" and consent.subject == citizen and consent.subject_national_id == "075090001234"
    Consent.objects.update(given_at=timezone.now() - dt.timedelta(days=400))
    assert consent_given(purpose="vneid_prefill", subject=citizen)
    withdraw_consent(consent)
    withdraw_consent(consent)  # twice: still one withdrawal time
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and not consent_given(purpose="vneid_prefill", subject=citizen)
    fresh = record_consent(purpose="vneid_prefill", subject=citizen)
    assert fresh.pk != consent.pk and consent_given(purpose="vneid_prefill", subject=citizen)


@pytest.mark.django_db
def test_a_consent_needs_a_person_and_a_known_purpose(clerk):
    with pytest.raises(ValueError):
        record_consent(purpose="population_lookup", recorded_by=clerk)
    with pytest.raises(ValueError):
        record_consent(purpose="marketing", subject_national_id="075090001234")
    assert not Consent.objects.exists()
