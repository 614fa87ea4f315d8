"""Reads for the connections page: each outside system's health and its outbound queues' backlog."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from motcua.integrations.client import breaker_state
from motcua.integrations.models import CallRecord
from motcua.integrations.queues import DeadItem, queues_of, registered_systems

RECENT = dt.timedelta(hours=24)
_FAILED = Q(status_code__isnull=True) | Q(status_code__gte=400) | ~Q(error="")


@dataclass
class QueueStatus:
    name: str
    label: Any
    pending: int
    oldest_pending: dt.datetime | None
    dead: int
    dead_items: list[DeadItem]


@dataclass
class SystemHealth:
    name: str
    label: str
    configured: bool
    breaker: str
    last_success: dt.datetime | None
    last_failure: dt.datetime | None
    last_error: str
    recent_calls: int
    recent_failures: int
    queues: list[QueueStatus] = field(default_factory=list)

    @property
    def error_rate(self) -> int | None:
        """Percentage of failed attempts in the last 24 hours (None without calls)."""
        return round(100 * self.recent_failures / self.recent_calls) if self.recent_calls else None


def system_health(name: str, *, now: dt.datetime | None = None) -> SystemHealth:
    now = now or timezone.now()
    config = dict(settings.MOTCUA_INTEGRATION_SYSTEMS).get(name)
    records = CallRecord.objects.filter(system=name)
    newest = ("-created_at", "-pk")
    success = records.exclude(_FAILED).order_by(*newest).values_list("created_at", flat=True).first()
    failure = records.filter(_FAILED).order_by(*newest).values("created_at", "error", "status_code").first()
    recent = records.filter(created_at__gte=now - RECENT).aggregate(
        total=Count("pk"), failed=Count("pk", filter=_FAILED))
    queues = [QueueStatus(name=queue.name, label=queue.label, pending=queue.count_pending(),
                          oldest_pending=queue.oldest_pending(), dead=queue.count_dead(),
                          dead_items=queue.dead_items()) for queue in queues_of(name)]
    last_error = ""
    if failure:
        last_error = failure["error"] or f"HTTP {failure['status_code']}"
    return SystemHealth(
        name=name, label=str((config or {}).get("label") or name), configured=config is not None,
        breaker=breaker_state(name), last_success=success, last_failure=failure["created_at"] if failure else None,
        last_error=last_error, recent_calls=recent["total"], recent_failures=recent["failed"], queues=queues)


def connections_overview(*, now: dt.datetime | None = None) -> list[SystemHealth]:
    names = sorted(set(dict(settings.MOTCUA_INTEGRATION_SYSTEMS)) | set(registered_systems()))
    return [system_health(name, now=now) for name in names]


def portal_status_mapping() -> dict[str, str]:
    """Dossier status -> TrangThaiHoSo: the adapter's defaults, overridden by the province's table (admin)."""
    from motcua.adapters.national_portal import DEFAULT_STATUS_MAPPING
    from motcua.integrations.models import PortalStatusMapping

    return {**DEFAULT_STATUS_MAPPING,
            **dict(PortalStatusMapping.objects.values_list("local_status", "portal_code"))}


RECONCILIATIONS_SHOWN = 5


def portal_reconciliation_overview(*, today: dt.date | None = None) -> dict[str, Any]:
    """The last runs of the nightly reconciliation, and this month's sync rate (indicator 1d, all agencies)."""
    from motcua.core.figures import period_bounds, rate
    from motcua.directory.models import Agency
    from motcua.dossiers.selectors import portal_sync_counts
    from motcua.integrations.models import PortalReconciliation

    today = today or timezone.localdate()
    # Every agency named (rather than no filter), so that PostgreSQL range-scans the `dossier_received` index.
    synced, received = portal_sync_counts(*period_bounds(today, today), list(Agency.objects.all()))
    return {"reconciliations": list(PortalReconciliation.objects.all()[:RECONCILIATIONS_SHOWN]),
            "sync_month": today, "sync_synced": synced, "sync_received": received,
            "sync_rate": rate(synced, received)}
