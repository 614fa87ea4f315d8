"""Background jobs of the tax exchange (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from motcua.taxexchange import actions


@task()
def poll_tax_authority_task(token: str) -> dict[str, int]:
    """One link of the periodic poll chain (every MOTCUA_TAX_POLL_SECONDS): queue the next link first (so that a
    crash here cannot break the chain), then poll the tax authority and the treasury, as `manage.py
    poll_tax_authority` does. A stale TOKEN (a duplicate chain) neither continues nor polls."""
    if not actions.continue_polling(token):
        return {"skipped": 1}
    report = actions.poll()
    return {"asked": report.asked, "notices": report.notices, "confirmations": report.confirmations,
            "fallbacks": report.fallbacks, "errors": report.errors}
