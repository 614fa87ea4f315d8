"""Writes of the back office that are more than one workflow verb: a dossier taken in at the counter."""

from __future__ import annotations

from motcua.backoffice import registry
from motcua.backoffice.forms import Intake
from motcua.catalog.models import Procedure
from motcua.directory.models import Agency
from motcua.dossiers.actions import IntakeError, submit_dossier
from motcua.dossiers.models import Channel, Dossier
from motcua.identity.models import User
from motcua.integrations import business_register


def counter_key(actor: User, form_key: str) -> str:
    """The idempotency key of a dossier a clerk enters at the counter: one per intake form shown."""
    return f"counter:{actor.pk}:{form_key}"


def receive_at_counter(*, procedure: Procedure, intake: Intake, competent_agency: Agency, actor: User,
                       form_key: str, business_answer: str = "", registry_answer: int | None = None) -> Dossier:
    """The clerk's intake (counter or postal): the dossier, received at once, with the look-ups made while filling
    the form kept as its evidence (the business register's answer, the population database's). Raises
    `IntakeError` (nothing saved)."""
    if intake.errors:
        raise IntakeError(intake.errors)
    dossier = submit_dossier(
        procedure=procedure, channel=intake.channel, applicant=intake.applicant, competent_agency=competent_agency,
        receiving_agency=intake.receiving_agency, actor=actor, form_data=intake.form_data, uploads=intake.uploads,
        paper_documents=intake.paper, idempotency_key=counter_key(actor, form_key),
        postal_tracking=intake.values["postal_tracking"] if intake.channel == Channel.POSTAL else "",
        return_method=intake.values["return_method"],
    )
    business_register.attach_to_dossier(business_answer, dossier=dossier, actor=actor)
    registry.keep_intake_answer(dossier, registry_answer, actor)
    return dossier
