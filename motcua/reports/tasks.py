"""Background jobs of the reports app (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from motcua.reports import actions


@task()
def run_export_task(job_id: int) -> str:
    """Make one export's file (does nothing if it is not waiting any more)."""
    return actions.run_export(job_id)
