"""The data-subject export (Decree 13/2023/NĐ-CP, Art. 9 and 14: the right to obtain one's data): a ZIP with
`du-lieu.json` (the account, dossiers with their answers and public history, stored documents, consents,
representations, drafts, and the reads of the data as the person sees them) and the files of their documents.

Files still being scanned or rejected by the virus scan are listed, not included."""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from motcua.privacy.selectors import accesses_of, citizen_line, consents_of

MAX_ACCESS_ROWS = 10000
_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def _safe_name(name: str) -> str:
    cleaned = _UNSAFE.sub("_", name).strip(" .") or "tep"
    return cleaned[:120]


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@contextmanager
def _open(document: Any) -> Iterator[IO[bytes]]:
    from motcua.documents.uploads import open_blob

    handle = open_blob(document.blob) if document.blob is not None else document.file.open("rb")
    try:
        yield handle
    finally:
        handle.close()


def subject_dossiers(user: Any = None, national_id: str = "") -> Any:
    from motcua.dossiers.models import Dossier

    condition = Q(pk__in=[])
    if user is not None and getattr(user, "pk", None):
        condition |= Q(applicant=user)
    if national_id:
        condition |= Q(applicant_id_number=national_id)
    return (Dossier.objects.filter(condition).select_related("procedure_version", "competent_agency")
            .order_by("submitted_at", "pk"))


def build_export(user: Any = None, national_id: str = "") -> IO[bytes]:
    """The ZIP of the person's data (an account, or only a personal ID number), in a temporary file at offset 0."""
    from motcua.documents.models import StoredDocument
    from motcua.identity.models import Representation
    # The portal builds on privacy (consents, access log): its drafts are looked up by app label (Layering).
    FormDraft = apps.get_model("portal", "FormDraft")

    national_id = national_id or (getattr(user, "national_id", "") or "")
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (returned, closed by the response)
    files: list[tuple[str, Any]] = []
    data: dict[str, Any] = {"generated_at": timezone.now().isoformat(), "national_id": national_id}
    if user is not None and getattr(user, "pk", None):
        data["account"] = {
            "username": user.get_username(), "full_name": user.full_name, "national_id": user.national_id,
            "phone": user.phone, "email": user.email, "assurance_level": user.assurance_level,
            "date_joined": _when(user.date_joined), "last_login": _when(user.last_login)}
    dossiers = []
    for dossier in subject_dossiers(user, national_id):
        documents = []
        for document in dossier.documents.select_related("blob").order_by("created_at", "pk"):
            entry: dict[str, Any] = {"name": document.name, "slot": document.slot,
                                     "created_at": _when(document.created_at), "file": None}
            if document.file and document.is_servable:
                entry["file"] = f"giay-to/{_safe_name(dossier.code)}/{document.pk}-{_safe_name(document.name)}"
                files.append((entry["file"], document))
            documents.append(entry)
        dossiers.append({
            "code": dossier.code, "procedure": dossier.procedure_version.name, "channel": dossier.channel,
            "status": dossier.status, "competent_agency": dossier.competent_agency.name,
            "submitted_at": _when(dossier.submitted_at), "finished_at": _when(dossier.finished_at),
            "applicant": {"name": dossier.applicant_name, "id_number": dossier.applicant_id_number,
                          "phone": dossier.applicant_phone, "email": dossier.applicant_email,
                          "address": dossier.applicant_address},
            "form_data": dossier.form_data, "documents": documents,
            "history": [{"at": _when(e.created_at), "action": e.action, "from": e.from_status, "to": e.to_status,
                         "note": e.note}
                        for e in dossier.events.filter(is_public=True).order_by("seq")],
        })
    data["dossiers"] = dossiers
    stored = []
    if user is not None and getattr(user, "pk", None):
        for document in StoredDocument.objects.filter(owner=user).select_related("blob").order_by("created_at", "pk"):
            entry = {"name": document.name, "kind": document.kind, "source": document.source,
                     "valid_until": _when(document.valid_until), "file": None}
            if document.file and document.is_servable:
                entry["file"] = f"kho-du-lieu/{document.pk}-{_safe_name(document.name)}"
                files.append((entry["file"], document))
            stored.append(entry)
        data["representations"] = [
            {"organisation": r.organisation.name, "tax_code": r.organisation.tax_code, "kind": r.kind,
             "status": r.status}
            for r in Representation.objects.filter(user=user).select_related("organisation").order_by("pk")]
        data["drafts"] = [
            {"procedure": d.procedure.national_code, "applicant": d.applicant, "form_data": d.form_data,
             "updated_at": _when(d.updated_at)}
            for d in FormDraft.objects.filter(user=user).select_related("procedure").order_by("pk")]
    data["stored_documents"] = stored
    data["consents"] = [
        {"purpose": c.purpose, "channel": c.channel, "notice_version": c.notice_version,
         "notice_sha256": c.notice_sha256, "given_at": _when(c.given_at), "withdrawn_at": _when(c.withdrawn_at)}
        for c in consents_of(user, national_id)]
    data["data_accesses"] = [citizen_line(row, user).as_dict()
                             for row in accesses_of(user, national_id)[:MAX_ACCESS_ROWS]]
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("du-lieu.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for path, document in files:
            with _open(document) as source, archive.open(path, "w") as target:
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
    handle.seek(0)
    return handle
