"""A job queued with a transaction: in the transaction with the database backend (it commits or rolls back with
the rows), after the commit with any other backend."""

import pytest
from django.db import transaction
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend
from django_tasks_db.models import DBTaskResult

from motcua.core.jobs import enqueue_with_transaction
from motcua.dossiers.external import run_external_step


class Rollback(Exception):
    pass


def test_with_the_database_backend_the_job_is_a_row_of_the_transaction(db):
    with transaction.atomic():
        enqueue_with_transaction(run_external_step, 1, 2)
        assert DBTaskResult.objects.filter(task_path__endswith="run_external_step").count() == 1  # already there
    with pytest.raises(Rollback), transaction.atomic():
        enqueue_with_transaction(run_external_step, 3, 4)
        raise Rollback
    rows = DBTaskResult.objects.filter(task_path__endswith="run_external_step")
    assert [r.args_kwargs["args"] for r in rows] == [[1, 2]]  # the rolled-back one went with its transaction


def test_with_another_backend_the_job_waits_for_the_commit(db, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # django-tasks resets
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue_with_transaction(run_external_step, 5, 6)
        assert backend.results == []  # not before the commit
    assert len(callbacks) == 1
    assert [r.args for r in backend.results] == [[5, 6]]
