"""The land database's outbound queue on the "Kết nối liên thông" page: the LandWriteBack rows."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.integrations.land_registry import SYSTEM
from motcua.integrations.queues import DeadItem, QueueError


class LandWriteBackQueue:
    system = SYSTEM
    name = "land_write_back"
    label = _("Changes written back to the land database")

    def count_pending(self) -> int:
        from motcua.land.models import LandWriteBack

        return int(LandWriteBack.objects.filter(state=LandWriteBack.State.PENDING).count())

    def oldest_pending(self) -> dt.datetime | None:
        from motcua.land.models import LandWriteBack

        oldest: dt.datetime | None = LandWriteBack.objects.filter(state=LandWriteBack.State.PENDING).aggregate(
            oldest=Min("created_at"))["oldest"]
        return oldest

    def count_dead(self) -> int:
        from motcua.land.models import LandWriteBack

        return int(LandWriteBack.objects.filter(state=LandWriteBack.State.FAILED).count())

    def dead_items(self, limit: int = 50) -> list[DeadItem]:
        from motcua.land.models import LandWriteBack

        rows = (LandWriteBack.objects.filter(state=LandWriteBack.State.FAILED).select_related("dossier")
                .order_by("created_at", "pk")[:limit])
        return [DeadItem(id=str(row.pk), label=row.dossier.code, detail=row.kind, created_at=row.created_at,
                         attempts=row.attempts) for row in rows]

    def _dead(self, item_id: str) -> Any:
        from motcua.land.models import LandWriteBack

        try:
            return LandWriteBack.objects.select_for_update().get(pk=int(item_id), state=LandWriteBack.State.FAILED)
        except (ValueError, LandWriteBack.DoesNotExist):
            raise QueueError(f"no failed land write-back {item_id}") from None

    def retry(self, item_id: str) -> None:
        from motcua.land.actions import enqueue_write_back
        from motcua.land.models import LandWriteBack

        row = self._dead(item_id)
        if not row.payload:
            raise QueueError("this change cannot be sent: enter it by hand")
        row.state, row.attempts, row.next_attempt_at = LandWriteBack.State.PENDING, 0, None
        row.save(update_fields=["state", "attempts", "next_attempt_at"])
        transaction.on_commit(partial(enqueue_write_back, row.pk), robust=True)

    def skip(self, item_id: str, *, actor: Any, reason: str) -> None:
        from motcua.land.models import LandWriteBack

        row = self._dead(item_id)
        row.state, row.handled_by, row.handled_at, row.note = (
            LandWriteBack.State.SKIPPED, actor, timezone.now(), reason)
        row.save(update_fields=["state", "handled_by", "handled_at", "note"])
