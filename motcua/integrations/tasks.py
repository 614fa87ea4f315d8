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


@task()
def pull_national_petitions_task(token: str) -> dict[str, Any]:
    """One link of the periodic pull of the national petitions system (every MOTCUA_PETITIONS_POLL_SECONDS): queue
    the next link first, then pull and send the answers that are due. A stale TOKEN neither continues nor pulls."""
    from motcua.integrations import national_petitions

    if not national_petitions.continue_polling(token):
        return {"skipped": 1}
    report = national_petitions.pull()
    return {"pulled": report.pulled, "created": report.created, "held": report.held,
            "duplicates": report.duplicates, "acknowledged": report.acknowledged, "answers_sent": report.answers_sent,
            "error": report.error}


@task()
def push_petition_answer_task(national_petition_id: int) -> str:
    """Send one petition's answer to the national petitions system; after a failure it queues itself again for the
    back-off time (national_petitions.push_answer)."""
    from motcua.integrations import national_petitions

    return national_petitions.push_answer(national_petition_id)
