"""Shortcuts: run a dossier action and the notification hook in one transaction (as workflow.transition will)."""

from django.db import transaction

from motcua.dossiers.actions import Applicant
from motcua.dossiers.tests.helpers import land_dossier
from motcua.notifications.actions import enqueue_for_event

APPLICANT = Applicant(name="Trần Thị Bình", id_number="075195004321", phone="0987654321",
                      email="tran.thi.binh@example.vn")


def notified(action, *args, **kwargs):
    """ACTION(*ARGS, **KWARGS), then `enqueue_for_event` on the event it wrote, in the same transaction."""
    with transaction.atomic():
        dossier = action(*args, **kwargs)
        enqueue_for_event(dossier.events.order_by("-seq").first())
    return dossier


def notified_land_dossier(catalog, agencies, clerk, when, **overrides):
    overrides.setdefault("applicant", APPLICANT)
    return notified(land_dossier, catalog, agencies, clerk, when, **overrides)
