"""Background jobs of the documents app (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from motcua.documents import uploads


@task()
def scan_blob_task(blob_id: int) -> str:
    """Scan one uploaded content with clamd and record the verdict (retried later if clamd is unavailable)."""
    return uploads.scan_blob(blob_id)
