"""Background jobs of the document exchange (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from motcua.docexchange import actions


@task()
def poll_document_exchange_task(token: str) -> dict[str, int]:
    """One link of the periodic poll chain (every MOTCUA_EDXML_POLL_SECONDS): queue the next link first, then poll
    the hub. A stale TOKEN (a duplicate chain) neither continues nor polls."""
    if not actions.continue_polling(token):
        return {"skipped": 1}
    report = actions.poll()
    return {"resent": report.resent, "fetched": report.fetched, "applied": report.applied,
            "rejected": report.rejected, "errors": report.errors}
