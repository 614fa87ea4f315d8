"""Background jobs of the integrations app (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from typing import Any

from django.db.models import Min
from django_tasks import task

from motcua.integrations import national_portal_sync


@task()
def sync_dossier_to_portal(dossier_id: int) -> dict[str, int]:
    """Send a dossier's due status changes to the national portal, in order; after a failure, queue itself again
    for the row's next attempt (a drain finding the row locked or not due does nothing, so copies are harmless)."""
    from motcua.dossiers.models import PortalSync

    report = national_portal_sync.drain(dossier_id=dossier_id)
    if report.retrying:
        at = PortalSync.objects.filter(dossier_id=dossier_id, state=PortalSync.State.PENDING).aggregate(
            at=Min("next_attempt_at"))["at"]
        if at is not None:
            national_portal_sync.retry_later(dossier_id, at)
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}


@task()
def reconcile_national_portal() -> dict[str, Any]:
    """One bounded run of the nightly reconciliation (`reconcile_portal.py`); a run stopped at its limit queues
    the next one at once, so one enqueue from cron covers the whole window."""
    from motcua.integrations.models import PortalReconciliation
    from motcua.integrations.reconcile_portal import reconcile

    run = reconcile()
    if run is None:
        return {"state": "not_configured"}
    if run.state == PortalReconciliation.State.PARTIAL:
        reconcile_national_portal.enqueue()
    return {"state": run.state, "checked": run.checked, "differences": run.differences, "requeued": run.requeued,
            "errors": run.errors}
