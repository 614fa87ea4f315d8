"""The national registries' answers are purged by the privacy app's retention (MOTCUA_PRIVACY_REGISTRY_ANSWER_DAYS,
MOTCUA_PRIVACY_BUSINESS_ANSWER_DAYS): an old answer that never became a dossier's or a representation's evidence
is deleted; one kept on a dossier or supporting a representation stays; a recent one stays."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.actions import Applicant, submit_dossier
from motcua.dossiers.models import Channel
from motcua.dossiers.tests.helpers import LAND_FORM, LAND_PAPERS
from motcua.identity.models import Organisation, Representation
from motcua.integrations.models import BusinessRegisterAnswer, RegistryAnswer
from motcua.privacy.retention import RULES, purge_expired

pytestmark = pytest.mark.django_db


def _registry_answer(days_old, dossier=None):
    return RegistryAnswer.objects.create(
        source="dancu", national_id="075090001234", request_id="r", status="found", dossier=dossier,
        answered_at=timezone.now() - dt.timedelta(days=days_old), data={"full_name": "Nguyễn Văn An"})


def _business_answer(days_old, dossier=None, representation=None):
    return BusinessRegisterAnswer.objects.create(
        code="3601234569", found=True, request_id="r", response_sha256="0" * 64, dossier=dossier,
        representation=representation, asked_at=timezone.now() - dt.timedelta(days=days_old),
        record={"representatives": [{"name": "Nguyễn Văn An", "national_id": "075090001234"}]})


@pytest.fixture
def answers(demo_catalog, demo_agencies, citizen, clerk):
    dossier = submit_dossier(
        procedure=demo_catalog["1.013831"], channel=Channel.COUNTER, competent_agency=demo_agencies["land_office"],
        receiving_agency=demo_agencies["service_center"], actor=clerk, form_data=LAND_FORM,
        paper_documents=LAND_PAPERS, applicant=Applicant(name="Nguyễn Văn An", id_number="075090001234"))
    organisation = Organisation.objects.create(tax_code="3601234569", name="AN PHÁT")
    representation = Representation.objects.create(user=citizen, organisation=organisation,
                                                    kind=Representation.Kind.LEGAL)
    return {
        "old_loose": _registry_answer(366),
        "old_on_dossier": _registry_answer(400, dossier=dossier),
        "recent_loose": _registry_answer(364),
        "old_business_loose": _business_answer(366),
        "old_business_on_dossier": _business_answer(366, dossier=dossier),
        "old_business_for_representation": _business_answer(366, representation=representation),
        "recent_business_loose": _business_answer(10),
    }


def test_both_rules_are_registered_with_their_settings():
    assert RULES["registry_answers"].setting == "MOTCUA_PRIVACY_REGISTRY_ANSWER_DAYS"
    assert RULES["business_register_answers"].setting == "MOTCUA_PRIVACY_BUSINESS_ANSWER_DAYS"
    assert RULES["registry_answers"].days == RULES["business_register_answers"].days == 365


def test_old_answers_that_are_no_evidence_are_purged_and_evidence_stays(answers):
    only = ("registry_answers", "business_register_answers")
    assert {k: v for k, v in purge_expired(dry_run=True).items() if k in only} == {
        "registry_answers": 1, "business_register_answers": 1}
    assert RegistryAnswer.objects.count() == 3  # a dry run deletes nothing
    purge_expired(only="registry_answers")
    purge_expired(only="business_register_answers")
    assert set(RegistryAnswer.objects.all()) == {answers["old_on_dossier"], answers["recent_loose"]}
    assert set(BusinessRegisterAnswer.objects.all()) == {
        answers["old_business_on_dossier"], answers["old_business_for_representation"],
        answers["recent_business_loose"]}
    assert purge_expired(only="registry_answers") == {"registry_answers": 0}  # twice is harmless


def test_the_periods_are_settings(answers, settings):
    settings.MOTCUA_PRIVACY_REGISTRY_ANSWER_DAYS = 0  # kept forever
    settings.MOTCUA_PRIVACY_BUSINESS_ANSWER_DAYS = 5
    assert purge_expired(only="registry_answers") == {"registry_answers": 0}
    assert purge_expired(only="business_register_answers") == {"business_register_answers": 2}
    settings.MOTCUA_PRIVACY_REGISTRY_ANSWER_DAYS = 300
    out = StringIO()
    call_command("purge_personal_data", "--only", "registry_answers", stdout=out)
    assert "registry_answers: 2 deleted (300 days, MOTCUA_PRIVACY_REGISTRY_ANSWER_DAYS)" in out.getvalue()
    assert list(RegistryAnswer.objects.all()) == [answers["old_on_dossier"]]
