"""The land app's one hook into the workflow engine (`motcua.dossiers.workflow` calls `after_event` for every event,
inside the event's transaction): a land dossier's creation queues its parcel check, its approval queues the
write-back of the change to the land database. Nothing here calls an outside system."""

from __future__ import annotations

from motcua.dossiers.models import Dossier, DossierEvent


def after_event(dossier: Dossier, event: DossierEvent) -> None:
    from motcua.land import actions, rules

    if not rules.is_land_procedure(dossier.procedure.national_code):
        return
    if event.seq == 1:  # the dossier's creation, on any channel (online: before receipt; counter: at once)
        actions.request_check(dossier)
    elif event.action == "approve":
        actions.queue_write_back(dossier, event)
