"""Writes to the audit chain: sealing an event inside the transaction that created it, and sealing a backlog."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connections, transaction
from django.utils import timezone

from motcua.audit.chain import EVENT_FIELDS, link_hash
from motcua.audit.models import ChainHead, EventSeal
from motcua.core import fastsql
from motcua.dossiers.models import DossierEvent

_BATCH = 1000


def _locked_head() -> ChainHead:
    """The head row, locked until the surrounding transaction ends (created on first use)."""
    try:
        return ChainHead.objects.select_for_update().get(pk=ChainHead.SINGLETON)
    except ChainHead.DoesNotExist:
        # Two first writers may race to create it: get_or_create absorbs the loser's IntegrityError.
        ChainHead.objects.get_or_create(pk=ChainHead.SINGLETON)
        return ChainHead.objects.select_for_update().get(pk=ChainHead.SINGLETON)


def seal_dossier_event(dossier: Any, event: DossierEvent) -> None:
    """The workflow's subscriber (`motcua.dossiers.effects`): seal every dossier event."""
    seal_event(event)


def seal_event(event: DossierEvent) -> EventSeal:
    """Append EVENT to the chain. Call it right after the event is written, in the same transaction: the head
    stays locked until that transaction commits, so chain order is commit order and nothing can fork it."""
    with transaction.atomic(savepoint=False):  # part of the event's own transaction: no savepoint needed
        position, previous = _lock_head()
        values = _as_stored(event)
        position += 1
        digest = link_hash(values, position, previous)
        seal = EventSeal(position=position, event_id=event.pk, prev_hash=previous, hash=digest)
        _append(seal)
    return seal


def _lock_head() -> tuple[int, str]:
    """The head's position and hash, its row locked until the surrounding transaction ends: one fixed statement
    (the row made on first use)."""
    connection = connections["default"]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT position, hash FROM audit_chainhead WHERE id = %s{lock}",  # noqa: S608
                       [ChainHead.SINGLETON])
        row = cursor.fetchone()
    if row is None:
        head = _locked_head()
        return head.position, head.hash
    return int(row[0]), str(row[1])


def _append(seal: EventSeal) -> None:
    """Insert SEAL and move the head to it. On PostgreSQL one round trip (a data-modifying WITH); elsewhere two
    statements (SQLite runs in the process: a statement costs no round trip)."""
    connection = connections["default"]
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH seal AS (INSERT INTO audit_eventseal (position, event_id, prev_hash, hash) "
                "VALUES (%s, %s, %s, %s) RETURNING id) "
                "UPDATE audit_chainhead SET position = %s, hash = %s, updated_at = %s WHERE id = %s "
                "RETURNING (SELECT id FROM seal)",
                [seal.position, seal.event_id, seal.prev_hash, seal.hash, seal.position, seal.hash, now,
                 ChainHead.SINGLETON])
            seal.pk = cursor.fetchone()[0]
        seal._state.adding, seal._state.db = False, "default"
        return
    fastsql.insert(seal)
    head = ChainHead(pk=ChainHead.SINGLETON, position=seal.position, hash=seal.hash)
    fastsql.update(head, ["position", "hash", "updated_at"])


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_float(v) for v in value)
    return False


def _as_stored(event: DossierEvent) -> dict[str, Any]:
    """EVENT's values as verification will read them back from the database. Taken from the instance just
    written — its JSON put through the same JSON round trip — instead of reading the row again; read back
    only where a round trip could change a value (a naive time, a float the database may print otherwise)."""
    values = {name: getattr(event, name) for name in EVENT_FIELDS}
    created = values["created_at"]
    if not isinstance(created, dt.datetime) or created.tzinfo is None or _has_float(values["data"]):
        return dict(DossierEvent.objects.filter(pk=event.pk).values(*EVENT_FIELDS).get())
    values["data"] = json.loads(json.dumps(values["data"]))
    return values


def seal_backlog() -> int:
    """Seal every event that has no seal yet, oldest id first (events written before the audit app existed, or
    bulk-created by `generate_dossiers`). An operator's act: sealing vouches for rows nobody checked."""
    sealed = 0
    with transaction.atomic():
        head = _locked_head()
        while True:
            rows = list(DossierEvent.objects.filter(seal__isnull=True).order_by("id").values(*EVENT_FIELDS)[:_BATCH])
            if not rows:
                break
            seals = []
            for values in rows:
                position = head.position + 1
                digest = link_hash(values, position, head.hash)
                seals.append(EventSeal(position=position, event_id=values["id"], prev_hash=head.hash, hash=digest))
                head.position, head.hash = position, digest
            EventSeal.objects.bulk_create(seals)
            sealed += len(seals)
        head.save(update_fields=["position", "hash", "updated_at"])
    return sealed
