"""The periodic sweep keeps itself going as one chain of deferred jobs in the database backend."""

import pytest
from django_tasks_db.models import DBTaskResult

from motcua.notifications.actions import continue_sweeping, ensure_sweeping
from motcua.notifications.models import SweepSchedule

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_jobs(settings):
    settings.TASKS = DATABASE


def sweeps():
    return DBTaskResult.objects.filter(task_path="motcua.notifications.tasks.sweep_outbox_task")


def test_one_chain_only(db, database_jobs):
    ensure_sweeping()
    ensure_sweeping()
    assert sweeps().count() == 1
    job = sweeps().get()
    row = SweepSchedule.objects.get()
    assert job.args_kwargs["args"] == [str(row.token)] and job.run_after == row.next_run_at

    # The job continues the chain with its token; a duplicate (stale token) does not.
    assert continue_sweeping(job.args_kwargs["args"][0])
    assert not continue_sweeping(job.args_kwargs["args"][0])
    assert sweeps().count() == 2


def test_a_lost_chain_is_restarted(db, database_jobs, settings):
    import datetime as dt

    from django.utils import timezone

    ensure_sweeping()
    SweepSchedule.objects.update(next_run_at=timezone.now() - dt.timedelta(hours=1))  # its job never ran
    ensure_sweeping()
    assert sweeps().count() == 2
    next_run_at = SweepSchedule.objects.get().next_run_at
    assert next_run_at is not None and next_run_at > timezone.now()


def test_immediate_backend_has_no_chain(db):
    ensure_sweeping()
    assert not SweepSchedule.objects.exists()
