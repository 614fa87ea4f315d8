"""Queueing a background job as part of the transaction that needs it.

With the default job backend (django-tasks' database backend, on the same database as the rows) a job queued inside
a transaction is a row written in that transaction: it commits with the dossier, event or message that needs it,
or not at all — a transactional outbox, with no window where the rows are committed and the process dies before
the job is queued, and no second commit of its own after the first (on PostgreSQL a commit is a disk flush: the
job queued after the commit cost a workflow step that enters an outside system's step about 1.7 ms, docs/
benchmarks.md). With any other backend (one that runs the job at once, or a broker outside the database) the job is
queued once the transaction commits, so that it never sees rows that are not there yet.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction


def _writes_with_the_rows(backend: Any) -> bool:
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    return isinstance(backend, DatabaseBackend) and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS


def enqueue_with_transaction(task: Any, *args: Any) -> None:
    """Queue TASK(*ARGS) with the current transaction on the default database (see the module docstring); outside
    a transaction, at once."""
    if not connections[DEFAULT_DB_ALIAS].in_atomic_block or _writes_with_the_rows(task.get_backend()):
        task.enqueue(*args)
    else:
        transaction.on_commit(partial(task.enqueue, *args), robust=True)
