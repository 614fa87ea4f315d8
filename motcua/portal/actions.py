"""Writes of the citizen's web: an online application sent from the one-page form or from the step-by-step draft.

The views parse what was posted and render; what sending an application does (the dossier, the draft it came from,
the registry answer kept as its evidence) is here, once.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import transaction

from motcua.catalog.models import Procedure
from motcua.directory.models import Agency
from motcua.documents.models import StoredDocument
from motcua.documents.selectors import UNUSABLE_STATES
from motcua.dossiers.actions import Applicant, IntakeError, Upload, submit_dossier
from motcua.dossiers.models import Channel, Dossier
from motcua.identity.models import User
from motcua.portal import prefill as registry_prefill
from motcua.portal.models import FormDraft
from motcua.portal.selectors import draft_agency, draft_organisation


def keep_registry_answer(dossier: Dossier, prefill: registry_prefill.Prefill) -> None:
    """The registry's answer the form was filled from, kept on the dossier as its evidence (time, source, digest)."""
    from motcua.integrations import population

    with contextlib.suppress(population.AttachError):  # another applicant's number: nothing to keep
        population.attach_to_dossier(dossier, prefill.answer_id)


def submit_online(*, user: User, procedure: Procedure, agency: Agency, applicant: Applicant,
                  form_data: dict[str, Any], uploads: list[Upload], reuse: list[int], idempotency_key: str,
                  assurance_level: int, prefill: registry_prefill.Prefill | None) -> Dossier:
    """The one-page form's application: the dossier, and the registry answer it was filled from as its evidence.
    Raises `IntakeError` (nothing saved)."""
    dossier = submit_dossier(
        procedure=procedure, channel=Channel.ONLINE, competent_agency=agency, actor=user, applicant=applicant,
        form_data=form_data, uploads=uploads, reuse=reuse, idempotency_key=f"online:{user.pk}:{idempotency_key}",
        assurance_level=assurance_level,
    )
    if prefill is not None:
        keep_registry_answer(dossier, prefill)
    return dossier


def _draft_files(draft: FormDraft, user: User) -> tuple[list[Upload], list[int]]:
    """The draft's files: those uploaded on its documents page (sent as the dossier's uploads) and those chosen from
    the data store (reused). A file the virus scan rejected since is an error on its slot. Raises `IntakeError`."""
    stored = {d.pk: d for d in StoredDocument.objects.filter(owner=user, pk__in=list(draft.documents.values()))
              .select_related("blob")}
    uploads, reuse = [], []
    rejected: dict[str, tuple[str, str]] = {}
    for code, pk in draft.documents.items():
        if pk not in stored:
            continue
        if stored[pk].scan_state in UNUSABLE_STATES:
            rejected[f"documents/{code}"] = (
                f"Tệp {stored[pk].name} bị từ chối khi quét virus; vui lòng đính kèm tệp khác.",
                f"The file {stored[pk].name} was rejected by the virus scan; please attach another file.")
            continue
        if code in draft.reused:
            reuse.append(pk)
        else:
            with stored[pk].file.open("rb") as fh:
                uploads.append(Upload(slot=code, name=stored[pk].name, content=fh.read()))
    if rejected:
        raise IntakeError(rejected)
    return uploads, reuse


def submit_draft(draft: FormDraft, *, user: User, assurance_level: int,
                 prefill: registry_prefill.Prefill | None) -> Dossier:
    """Send the step-by-step application DRAFT (the citizen's, checked on "check your answers"): the dossier (for
    the organisation chosen, if the citizen still represents it) and the draft's removal in one transaction, then
    the registry answer it was filled from kept as the dossier's evidence. Raises `IntakeError` (nothing saved)."""
    uploads, reuse = _draft_files(draft, user)
    agency = draft_agency(draft)
    if agency is None:
        raise IntakeError({"competent_agency": ("Vui lòng chọn nơi giải quyết.", "Choose the agency.")})
    applicant = draft.applicant
    organisation = draft_organisation(draft, user)
    with transaction.atomic():
        dossier = submit_dossier(
            procedure=draft.procedure, channel=Channel.ONLINE, competent_agency=agency, actor=user,
            organisation=organisation,
            applicant=Applicant(
                name=organisation.name if organisation else applicant.get("name", ""),
                id_number=organisation.tax_code if organisation else applicant.get("id_number", ""),
                phone=applicant.get("phone", ""), email=applicant.get("email", ""),
                address=(organisation.address if organisation else "") or applicant.get("address", "")),
            form_data=draft.form_data, uploads=uploads, reuse=reuse,
            idempotency_key=f"online:{user.pk}:{draft.idempotency_key}", assurance_level=assurance_level,
        )
        draft.delete()
    if prefill is not None and organisation is None:
        keep_registry_answer(dossier, prefill)
    return dossier
