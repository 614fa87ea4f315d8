"""Background jobs of the land app (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def check_parcel(dossier_id: int) -> dict[str, str]:
    """Look a new dossier's parcel up in the land database and keep the flags for the clerk."""
    from motcua.land.actions import check_dossier_parcel
    from motcua.land.models import ParcelCheck

    check = check_dossier_parcel(dossier_id)
    if check is not None:
        # The creation's placeholder is done: the new row carries the answer.
        ParcelCheck.objects.filter(dossier_id=dossier_id, state=ParcelCheck.State.PENDING).delete()
    return {"state": check.state if check is not None else "not_land"}


@task()
def send_write_back(write_back_id: int) -> dict[str, str]:
    """Send an approved change to the land database; after a failure, queue itself again for the next attempt."""
    from motcua.land.actions import enqueue_write_back
    from motcua.land.actions import send_write_back as send
    from motcua.land.models import LandWriteBack

    row = send(write_back_id)
    if row is not None and row.state == LandWriteBack.State.PENDING and row.next_attempt_at is not None:
        enqueue_write_back(row.pk, at=row.next_attempt_at)
    return {"state": row.state if row is not None else "not_due"}
