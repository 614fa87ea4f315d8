"""`poll_tax_authority` runs by itself, the way the project runs its periodic work (the outbox sweep's chain of
deferred jobs in the database job backend): one chain, at MOTCUA_TAX_POLL_SECONDS, started when a transfer is sent,
restarted when lost, and the job worker running a link polls. Polling again records no second notice."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.adapters import tax_authority as tax
from motcua.dossiers.models import DossierEvent
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 (fixture)
from motcua.integrations.tests.loopback import Answer
from motcua.payments.models import Invoice
from motcua.taxexchange import actions
from motcua.taxexchange.models import PollSchedule, Source, TaxNotice, TaxTransfer
from motcua.taxexchange.tests.helpers import at_tax_step, notice_for, tax_system

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_committed_call_records")]
TASK = "motcua.taxexchange.tasks.poll_tax_authority_task"
EMPTY = Answer(body=b'{"error_code": 0, "result": []}')


@pytest.fixture
def database_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.MOTCUA_TAX_POLL_SECONDS = 120


def links():
    return DBTaskResult.objects.filter(task_path=TASK)


def run_due_link():
    """Make the chain's waiting link due now and let the job worker run what is due (as `db_worker` does)."""
    links().filter(status="READY").update(run_after=timezone.now() - dt.timedelta(seconds=1))
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def test_one_chain_at_the_configured_interval_and_a_lost_one_is_restarted(db, database_jobs, settings, loopback):
    settings.MOTCUA_INTEGRATION_SYSTEMS = {}
    assert not actions.ensure_polling() and not links().exists()  # no tax system, no treasury: nothing to poll
    tax_system(settings, loopback.url)
    settings.MOTCUA_TAX_POLL_SECONDS = 0
    assert not actions.ensure_polling() and not links().exists()  # switched off (cron runs the command instead)
    settings.MOTCUA_TAX_POLL_SECONDS = 120
    before = timezone.now()
    assert actions.ensure_polling()
    assert not actions.ensure_polling()  # idempotent: one chain
    job = links().get()
    row = PollSchedule.objects.get()
    assert job.args_kwargs["args"] == [str(row.token)] and job.run_after == row.next_run_at
    assert dt.timedelta(seconds=119) < row.next_run_at - before < dt.timedelta(seconds=121)
    # A link continues the chain with its token; a duplicate link (stale token) neither continues nor polls.
    assert actions.continue_polling(job.args_kwargs["args"][0])
    assert not actions.continue_polling(job.args_kwargs["args"][0])
    assert links().count() == 2
    # Its job never ran (worker lost): the next ensure restarts the chain.
    PollSchedule.objects.update(next_run_at=timezone.now() - dt.timedelta(hours=1))
    assert actions.ensure_polling() and links().count() == 3


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a job, as in production
def test_the_chain_polls_and_polling_again_adds_no_notice(units_restored, database_jobs, settings, loopback,
                                                         demo_catalog, demo_agencies, clerk, specialist):
    tax_system(settings, loopback.url)
    loopback.answer(Answer(body=b'{"error_code": 0, "message": "ok"}'))
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    DBTaskResult.objects.all().delete()  # the step's own job (run below by hand) and the notifications' jobs
    assert actions.start_transfer(dossier.pk).state == TaxTransfer.State.SENT
    assert links().count() == 1  # sending the form started the chain

    # The notice was not pushed; the tax authority hands it out on request (twice in one answer, a repeat).
    push = tax.build_notice_push(notice_for(dossier))
    loopback.answer(Answer(body=json.dumps({"error_code": 0, "result": [push, push]}).encode()), EMPTY)
    run_due_link()
    asked = [json.loads(r.body)["service"] for r in loopback.received[1:]]
    assert asked == ["LayThongBaoThue", "TraCuuChungTu"]
    assert TaxNotice.objects.filter(dossier=dossier).count() == 1
    assert links().filter(status="SUCCESSFUL").count() == 1 and links().filter(status="READY").count() == 1

    # The next link polls again: the notice is in, so only the treasury is asked (nothing paid yet); the same
    # notice fetched once more (a poll that crossed its push) is not a second notice, event or invoice line.
    loopback.answer(EMPTY)
    run_due_link()
    assert [json.loads(r.body)["service"] for r in loopback.received[3:]] == ["TraCuuChungTu"]
    assert actions.record_notice(notice_for(dossier), source=Source.POLL).accepted
    assert TaxNotice.objects.filter(dossier=dossier).count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action="tax_notice").count() == 1
    assert Invoice.objects.get(dossier=dossier, purpose=Invoice.Purpose.OBLIGATION).lines.count() == 2
    assert links().filter(status="SUCCESSFUL").count() == 2 and links().filter(status="READY").count() == 1
