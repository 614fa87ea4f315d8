"""Every write of the integrations app: call evidence, its retention, and administrators' acts on dead items."""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from motcua.integrations.models import CallRecord, QueueItemAct
from motcua.integrations.queues import QueueError, queue_for

logger = logging.getLogger("motcua.integrations")
evidence_log = logging.getLogger("motcua.integrations.evidence")


def _in_callers_transaction() -> bool:
    """True inside an atomic block of application code (a test case's own wrapping block does not count)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _write(values: dict[str, Any]) -> None:
    CallRecord.objects.create(**values)


class _EvidenceWriter:
    """One writer thread with its own database connection, for the duration of `shared_evidence_connection`."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[dict[str, Any], threading.Event, list[BaseException]] | None] = (
            queue.SimpleQueue())
        self._thread = threading.Thread(target=self._run, name="call-evidence", daemon=True)
        self._thread.start()

    def write(self, values: dict[str, Any]) -> None:
        done = threading.Event()
        failure: list[BaseException] = []
        self._jobs.put((values, done, failure))
        done.wait()
        if failure:
            raise failure[0]

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()

    def _run(self) -> None:
        from django.db import connections

        try:
            while (job := self._jobs.get()) is not None:
                values, done, failure = job
                try:
                    _write(values)
                except BaseException as exc:  # reported in the caller's thread
                    failure.append(exc)
                    connections.close_all()  # the next record starts on a fresh connection
                finally:
                    done.set()
        finally:
            connections.close_all()


_shared = threading.local()


@contextmanager
def shared_evidence_connection() -> Iterator[None]:
    """Inside the block, the call records this thread writes outside its transaction (PostgreSQL) go through one
    writer thread that keeps its connection, instead of a new thread and connection for each record: a drain of
    the national portal sync makes two calls per event. Closed, connection and all, when the block ends."""
    if getattr(_shared, "writer", None) is not None:
        yield
        return
    writer = _shared.writer = _EvidenceWriter()
    try:
        yield
    finally:
        _shared.writer = None
        writer.close()


def _write_on_own_connection(values: dict[str, Any]) -> None:
    """Write from another thread: it has its own database connection, so the row commits at once whatever becomes
    of the caller's transaction (a short-lived thread, or the shared writer inside `shared_evidence_connection`)."""
    from django.db import connections

    shared: _EvidenceWriter | None = getattr(_shared, "writer", None)
    if shared is not None:
        shared.write(values)
        return
    failure: list[BaseException] = []

    def run() -> None:
        try:
            _write(values)
        except BaseException as exc:  # reported in the caller's thread
            failure.append(exc)
        finally:
            connections.close_all()

    worker = threading.Thread(target=run, name="call-evidence", daemon=True)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def record_call(*, system: str, operation: str, attempt: int, dossier_id: int | None = None,
                request_sha256: str = "", request_size: int = 0, response_sha256: str = "",
                response_size: int = 0, status_code: int | None = None, duration_ms: int = 0,
                error: str = "") -> None:
    """Keep the evidence of one attempt, outside the caller's transaction so a rolled-back step keeps it.

    PostgreSQL: inside a caller's transaction the row is written on a separate connection. SQLite allows one
    writer at a time and the caller's transaction already holds the lock, so there the row joins the caller's
    transaction; the line logged to `motcua.integrations.evidence` for every attempt is the copy that survives
    a rollback."""
    values = {"system": system, "operation": operation[:80], "attempt": attempt, "dossier_id": dossier_id,
              "request_sha256": request_sha256, "request_size": request_size, "response_sha256": response_sha256,
              "response_size": response_size, "status_code": status_code, "duration_ms": duration_ms,
              "error": error[:500], "created_at": timezone.now()}
    evidence_log.info("call %s", {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in values.items()})
    try:
        if _in_callers_transaction() and connection.vendor != "sqlite":
            _write_on_own_connection(values)
        else:
            _write(values)
    except Exception:  # evidence must never turn a good call into a failure; the log line above remains
        logger.exception("could not store the call record of %s %s", system, operation)


def purge_call_records(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete call records older than the retention period (MOTCUA_INTEGRATION_RETENTION_DAYS). Idempotent."""
    days = settings.MOTCUA_INTEGRATION_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _ = CallRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def retry_dead_item(*, actor: Any, system: str, queue: str, item_id: str) -> None:
    """An administrator sends a dead item again (back to pending). Audited."""
    registered = queue_for(system, queue)
    with transaction.atomic():
        registered.retry(item_id)
        QueueItemAct.objects.create(system=system, queue=queue, item_id=item_id, kind=QueueItemAct.Kind.RETRY,
                                    actor=actor)
    logger.warning("dead item %s/%s/%s put back to pending by user %s", system, queue, item_id, actor.pk)


def skip_dead_item(*, actor: Any, system: str, queue: str, item_id: str, reason: str) -> None:
    """An administrator gives up on a dead item (marked skipped, with who and why). Audited."""
    reason = reason.strip()
    if not reason:
        raise QueueError("a reason is required to skip an item")
    registered = queue_for(system, queue)
    with transaction.atomic():
        registered.skip(item_id, actor=actor, reason=reason)
        QueueItemAct.objects.create(system=system, queue=queue, item_id=item_id, kind=QueueItemAct.Kind.SKIP,
                                    reason=reason, actor=actor)
    logger.warning("dead item %s/%s/%s skipped by user %s", system, queue, item_id, actor.pk)
