"""Background jobs of the privacy app (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from motcua.privacy.retention import purge_expired


@task()
def purge_personal_data() -> dict[str, int]:
    """The daily retention purge (the same as `manage.py purge_personal_data`)."""
    return purge_expired()
