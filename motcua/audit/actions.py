"""Writes to the audit chain: sealing an event inside the transaction that created it, and sealing a backlog."""

from __future__ import annotations

from django.db import transaction

from motcua.audit.chain import EVENT_FIELDS, link_hash
from motcua.audit.models import ChainHead, EventSeal
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


def seal_event(event: DossierEvent) -> EventSeal:
    """Append EVENT to the chain. Call it right after the event is written, in the same transaction: the head
    stays locked until that transaction commits, so chain order is commit order and nothing can fork it."""
    with transaction.atomic(savepoint=False):  # part of the event's own transaction: no savepoint needed
        head = _locked_head()
        # Hash what the database holds (JSON and times after their round trip), exactly as verification reads it.
        values = DossierEvent.objects.filter(pk=event.pk).values(*EVENT_FIELDS).get()
        position = head.position + 1
        digest = link_hash(values, position, head.hash)
        seal = EventSeal.objects.create(position=position, event_id=event.pk, prev_hash=head.hash, hash=digest)
        head.position, head.hash = position, digest
        head.save(update_fields=["position", "hash", "updated_at"])
    return seal


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
