"""The national public-service portal's outbound queue: the PortalSync rows of motcua.dossiers."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.integrations.queues import DeadItem, QueueError

NATIONAL_PORTAL = "dvcqg"


class PortalSyncQueue:
    system = NATIONAL_PORTAL
    name = "portal_sync"
    label = _("Dossier status sync")

    def _rows(self) -> Any:
        from motcua.dossiers.models import PortalSync

        return PortalSync.objects

    def count_pending(self) -> int:
        from motcua.dossiers.models import PortalSync

        return int(self._rows().filter(state=PortalSync.State.PENDING).count())

    def oldest_pending(self) -> dt.datetime | None:
        from motcua.dossiers.models import PortalSync

        oldest: dt.datetime | None = self._rows().filter(state=PortalSync.State.PENDING).aggregate(
            oldest=Min("created_at"))["oldest"]
        return oldest

    def count_dead(self) -> int:
        from motcua.dossiers.models import PortalSync

        return int(self._rows().filter(state=PortalSync.State.FAILED).count())

    def dead_items(self, limit: int = 50) -> list[DeadItem]:
        from motcua.dossiers.models import PortalSync

        rows = (self._rows().filter(state=PortalSync.State.FAILED).select_related("dossier", "event")
                .order_by("created_at", "pk")[:limit])
        return [DeadItem(id=str(row.pk), label=row.dossier.code, detail=str(row.payload.get("TrangThaiHoSo", "")),
                         created_at=row.created_at, attempts=row.attempts) for row in rows]

    def _dead(self, item_id: str) -> Any:
        from motcua.dossiers.models import PortalSync

        try:
            return self._rows().select_for_update().get(pk=int(item_id), state=PortalSync.State.FAILED)
        except (ValueError, PortalSync.DoesNotExist):
            raise QueueError(f"no failed portal sync {item_id}") from None

    def retry(self, item_id: str) -> None:
        from motcua.dossiers.models import PortalSync

        row = self._dead(item_id)
        row.state, row.attempts, row.next_attempt_at = PortalSync.State.PENDING, 0, None
        row.save(update_fields=["state", "attempts", "next_attempt_at"])
        _drain_after_commit(row.dossier_id)

    def skip(self, item_id: str, *, actor: Any, reason: str) -> None:
        from motcua.dossiers.models import PortalSync

        row = self._dead(item_id)
        row.state, row.skipped_by, row.skipped_at, row.skip_reason = (
            PortalSync.State.SKIPPED, actor, timezone.now(), reason)
        row.save(update_fields=["state", "skipped_by", "skipped_at", "skip_reason"])
        _drain_after_commit(row.dossier_id)  # the dossier's later rows were held back behind this one


def _drain_after_commit(dossier_id: int) -> None:
    from motcua.integrations.national_portal_sync import request_sync

    transaction.on_commit(partial(request_sync, dossier_id), robust=True)
