"""Personal data is kept for its configured period (MOTCUA_PRIVACY_*_DAYS), then purged; twice is harmless."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.portal.models import FormDraft
from motcua.privacy.access import record_access
from motcua.privacy.consents import record_consent, withdraw_consent
from motcua.privacy.models import AccessKind, Consent, DataAccess
from motcua.privacy.retention import RULES, RetentionRule, purge_expired, register

OWN = ("access_log", "consents", "drafts")  # this app's kinds (others register theirs: registry answers…)


def _own(counts):
    return {name: count for name, count in counts.items() if name in OWN}


def _age(model, pk, days, field):
    model.objects.filter(pk=pk).update(**{field: timezone.now() - dt.timedelta(days=days)})


@pytest.fixture
def aged(citizen, other_citizen, clerk, demo_catalog):
    old_read = record_access(actor=clerk, kind=AccessKind.DOSSIER_VIEW, purpose="x", subject=citizen)
    new_read = record_access(actor=clerk, kind=AccessKind.DOCUMENT_VIEW, purpose="x", subject=citizen)
    _age(DataAccess, old_read.pk, 731, "at")
    _age(DataAccess, new_read.pk, 729, "at")
    standing = record_consent(purpose="vneid_prefill", subject=citizen)
    withdrawn = record_consent(purpose="vneid_prefill", subject=other_citizen)
    withdraw_consent(withdrawn)
    counter = record_consent(purpose="population_lookup", subject_national_id="075090003333", recorded_by=clerk)
    for consent in (standing, counter):
        _age(Consent, consent.pk, 2000, "given_at")
    _age(Consent, withdrawn.pk, 1826, "withdrawn_at")
    procedure = demo_catalog["1.001193"]
    old_draft = FormDraft.objects.create(user=citizen, procedure=procedure, idempotency_key="a")
    new_draft = FormDraft.objects.create(user=other_citizen, procedure=procedure, idempotency_key="b")
    _age(FormDraft, old_draft.pk, 91, "updated_at")
    return {"new_read": new_read, "standing": standing, "new_draft": new_draft}


def test_the_purge_deletes_what_expired_and_keeps_the_rest(aged):
    assert _own(purge_expired(dry_run=True)) == {"access_log": 1, "consents": 2, "drafts": 1}
    assert DataAccess.objects.count() == 2  # a dry run deletes nothing
    assert _own(purge_expired()) == {"access_log": 1, "consents": 2, "drafts": 1}
    assert list(DataAccess.objects.all()) == [aged["new_read"]]
    assert list(Consent.objects.all()) == [aged["standing"]]  # a citizen's standing consent stays until withdrawn
    assert list(FormDraft.objects.all()) == [aged["new_draft"]]
    assert _own(purge_expired()) == {"access_log": 0, "consents": 0, "drafts": 0}


def test_periods_are_settings_and_zero_keeps_forever(aged, settings):
    settings.MOTCUA_PRIVACY_ACCESS_LOG_DAYS = 0
    settings.MOTCUA_PRIVACY_DRAFT_DAYS = 1000
    settings.MOTCUA_PRIVACY_CONSENT_DAYS = 10000
    assert _own(purge_expired()) == {"access_log": 0, "consents": 0, "drafts": 0}
    settings.MOTCUA_PRIVACY_ACCESS_LOG_DAYS = 700
    assert purge_expired(only="access_log") == {"access_log": 2}


def test_the_command_reports_each_kind(aged):
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "access_log: 1 would be deleted (730 days, MOTCUA_PRIVACY_ACCESS_LOG_DAYS)" in out.getvalue()
    assert DataAccess.objects.count() == 2
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "drafts: 1 deleted (90 days" in out.getvalue() and DataAccess.objects.count() == 1


def test_another_app_registers_its_own_kind(aged, citizen, clerk):
    """E.g. the national population database's raw answers: the purge covers a rule registered from outside."""
    rule = RetentionRule("registry_answers_test", "MOTCUA_PRIVACY_REGISTRY_ANSWER_DAYS", 365, "test",
                         lambda cutoff: DataAccess.objects.filter(kind=AccessKind.POPULATION_LOOKUP, at__lt=cutoff))
    register(rule)
    try:
        lookup = record_access(actor=clerk, kind=AccessKind.POPULATION_LOOKUP, purpose="x", subject=citizen)
        _age(DataAccess, lookup.pk, 366, "at")
        assert purge_expired(only="registry_answers_test") == {"registry_answers_test": 1}
    finally:
        RULES.pop("registry_answers_test")


def test_the_scheduled_job_purges(aged):
    from motcua.privacy.tasks import purge_personal_data

    assert _own(purge_personal_data.call()) == {"access_log": 1, "consents": 2, "drafts": 1}
