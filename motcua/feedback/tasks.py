"""Background jobs of the feedback app (django-tasks; `manage.py db_worker` runs them): the national petitions
system's pull chain and answer pushes. (They were `motcua.integrations.tasks.*` until the PAKN intake moved here;
migration feedback 0004 points the jobs queued under the old path at these.)"""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def pull_national_petitions_task(token: str) -> dict[str, Any]:
    """One link of the periodic pull of the national petitions system (every MOTCUA_PETITIONS_POLL_SECONDS): queue
    the next link first, then pull and send the answers that are due. A stale TOKEN neither continues nor pulls."""
    from motcua.feedback import national_petitions

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
    from motcua.feedback import national_petitions

    return national_petitions.push_answer(national_petition_id)
