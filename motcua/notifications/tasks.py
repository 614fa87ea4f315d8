"""Background jobs of the notifications app (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from motcua.notifications import actions


@task()
def deliver_message(message_id: int) -> str:
    """Send one outbox message (does nothing if another worker has it or it is already sent)."""
    return actions.deliver(message_id)


@task()
def sweep_outbox_task(token: str) -> dict[str, int]:
    """One link of the periodic sweep chain: queue the next link first (so that a crash here cannot break the
    chain), then recover lost deliveries and re-queue overdue messages."""
    actions.continue_sweeping(token)
    report = actions.sweep()
    return {"recovered": report.recovered, "failed": report.failed, "requeued": report.requeued}
