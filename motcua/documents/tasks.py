"""Background jobs of the documents app (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from motcua.documents import uploads


@task()
def scan_blobs_task(blob_ids: list[int]) -> dict[str, str]:
    """Scan the uploaded contents (a dossier's new files, one job for all) with clamd and record each verdict
    (those clamd could not take are retried later, together)."""
    return {str(blob_id): state for blob_id, state in uploads.scan_blobs(blob_ids).items()}


@task()
def scan_blob_task(blob_id: int) -> str:
    """Scan one uploaded content (the job queued per file before `scan_blobs_task`; kept so that jobs already
    queued still run)."""
    return uploads.scan_blob(blob_id)
