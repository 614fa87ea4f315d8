"""The hub is polled by itself: a document sent (or one the hub did not take) starts one chain of deferred poll jobs
(database job backend), and a link the worker runs fetches the answer, which resumes the dossier."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from motcua.docexchange import actions
from motcua.docexchange.models import OutgoingDocument, PollSchedule, State
from motcua.docexchange.tests.helpers import control, to_external_step

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")
TASK = "motcua.docexchange.tasks.poll_document_exchange_task"


def links():
    return DBTaskResult.objects.filter(task_path=TASK)


def run_due_link():
    """What the job worker does with the chain's waiting link when it is due: run the task with its arguments.
    (Called directly: `db_worker` in the test's own process closes the test's PostgreSQL connection.)"""
    from motcua.docexchange.tasks import poll_document_exchange_task

    link = links().get(status="READY")
    links().filter(pk=link.pk).update(status="SUCCESSFUL")
    poll_document_exchange_task.call(*link.args_kwargs["args"], **link.args_kwargs["kwargs"])


def test_one_chain_started_by_a_send_polls_the_answer(hub, exchange_procedure, demo_agencies, other_clerk,
                                                      commune_specialist, settings,
                                                      django_capture_on_commit_callbacks):
    settings.MOTCUA_EDXML_POLL_SECONDS = 60
    control(hub, "/_faults", {"down": True})  # the first send fails: the chain is started all the same
    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    assert not links().exists()  # the immediate backend cannot defer: no chain
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    document = OutgoingDocument.objects.get(dossier=dossier)
    assert actions.send(document).state == State.SENDING
    assert links().count() == 1 and PollSchedule.objects.get().next_run_at is not None
    assert not actions.ensure_polling()  # alive: no second chain
    control(hub, "/_faults", {"down": False})
    run_due_link()  # resends, then fetches the agency's statuses and answer
    document.refresh_from_db()
    dossier.refresh_from_db()
    assert document.state == State.DONE and dossier.current_step["key"] == "ky"
    assert links().filter(status="READY").count() == 1  # the next link is queued
    settings.MOTCUA_EDXML_POLL_SECONDS = 0
    assert not actions.ensure_polling()  # switched off: cron runs `poll_document_exchange` instead


def test_the_command_polls_once(hub, exchange_procedure, demo_agencies, other_clerk, commune_specialist, settings,
                                django_capture_on_commit_callbacks):
    from io import StringIO

    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("poll_document_exchange", stdout=out)
    assert "fetched 5" in out.getvalue() and "errors 0" in out.getvalue()
    dossier.refresh_from_db()
    assert dossier.current_step["key"] == "ky"
    settings.MOTCUA_INTEGRATION_SYSTEMS = {}
    out = StringIO()
    call_command("poll_document_exchange", stdout=out)
    assert "not configured" in out.getvalue()
