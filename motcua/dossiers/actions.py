"""Every write on a dossier, as verb-named actions. Each is one transaction and writes one DossierEvent.

Intake (`submit_dossier`) creates the dossier on any of the four channels; the other verbs move it through
the process definition pinned at submission, via `workflow.transition`. Each verb is named after the action of
the transition table it takes (`refuse` → `refuse_dossier`, `send_back` → `send_back`): `workflow.VERBS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from motcua.catalog.cached import competent_agencies
from motcua.catalog.eforms import form_errors
from motcua.catalog.models import Procedure
from motcua.core import fastsql
from motcua.directory.models import Agency, Role
from motcua.directory.selectors import has_role, roles_of
from motcua.documents.actions import store_documents
from motcua.documents.models import Blob, ScanState, StoredDocument
from motcua.documents.selectors import usable_documents
from motcua.documents.uploads import CheckedFile, UploadError, check_total, check_upload, infected_error, store_blobs
from motcua.dossiers import effects
from motcua.dossiers.codes import draw_code, new_lookup_secret
from motcua.dossiers.deadlines import calendar_for, outcome_of, procedure_due, shift_after_pause, step_due
from motcua.dossiers.models import (
    SURVEY,
    Channel,
    Dossier,
    DossierDocument,
    DossierEvent,
    Notice,
    PauseInterval,
    Status,
    SurveyResponse,
)
from motcua.dossiers.selectors import dossier_file_bytes, receiving_agency_for
from motcua.dossiers.workflow import Change, WorkflowError, record_creation, status_at_step, transition
from motcua.identity.assurance import shortfall_pair
from motcua.identity.models import Organisation, User
from motcua.identity.selectors import organisations_of


class IntakeError(Exception):
    """Bad input at submission; `errors` maps a field to (Vietnamese, English) messages. Nothing was saved."""

    def __init__(self, errors: dict[str, tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{k}: {vi} ({en})" for k, (vi, en) in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Upload:
    slot: str
    name: str
    content: bytes
    # Scanned from paper by a clerk at the counter (counts towards the digitisation rate).
    digitised: bool = False

    @cached_property
    def sha256(self) -> str:
        """The content's digest (hex), computed once for the request fingerprint and the content address."""
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass
class Written:
    """The rows `submit_dossier` wrote for a new dossier (its events and documents, in the order written), for a
    caller that answers with them instead of reading them back. Left empty when the request was answered with the
    dossier an earlier request made (same idempotency key)."""

    events: list[DossierEvent] = field(default_factory=list)
    documents: list[DossierDocument] = field(default_factory=list)


def _fingerprint(**parts: Any) -> str:
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def validate_form(procedure: Procedure, form_data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """One message per question of the e-form, keyed "form_data/<path of the question>" ("form_data" for the
    form as a whole)."""
    schema = procedure.current_version.eform_schema if procedure.current_version else {}
    if not schema:
        return {}
    return {f"form_data/{path}" if path else "form_data": pair for path, pair in form_errors(schema, form_data).items()}


def submit_dossier(
    *,
    procedure: Procedure,
    channel: Channel,
    applicant: Applicant,
    competent_agency: Agency,
    actor: User | None,
    receiving_agency: Agency | None = None,
    form_data: dict[str, Any] | None = None,
    uploads: list[Upload] | None = None,
    paper_documents: list[str] | None = None,
    reuse: list[int] | None = None,
    organisation: Organisation | None = None,
    idempotency_key: str | None = None,
    postal_tracking: str = "",
    external_id: str = "",
    return_method: str = "counter",
    at: dt.datetime | None = None,
    written: Written | None = None,
    assurance_level: int = 0,
) -> Dossier:
    """Create a dossier. Online and national-portal dossiers wait for a clerk to receive them; counter and
    postal dossiers are received at once (the clerk has checked them against the required-documents list).

    An online dossier needs ASSURANCE_LEVEL — what the applicant's sign-in proved (`identity.assurance`) — to
    reach the procedure's `min_assurance_level`.

    A repeated request with the same IDEMPOTENCY_KEY returns the dossier the first one made (and is refused if
    its content differs), so a retried submission never makes two dossiers. WRITTEN, when given, receives the
    rows a new dossier was written with.
    """
    now = at or timezone.now()
    form_data = form_data or {}
    uploads = uploads or []
    paper_documents = paper_documents or []
    reused = _stored_for_reuse(actor, reuse or [], channel)
    fingerprint = _fingerprint(
        procedure=procedure.pk, channel=channel, applicant=applicant.__dict__, agency=competent_agency.pk,
        form=form_data, uploads=[(u.slot, u.name, u.sha256) for u in uploads],
        paper=sorted(paper_documents), reuse=sorted(d.pk for d in reused),
        organisation=organisation.pk if organisation else None,
    )
    if idempotency_key and (existing_pk := _dossier_with_key(idempotency_key)) is not None:
        return _replay(Dossier.objects.get(pk=existing_pk), fingerprint)

    errors = _intake_errors(procedure, channel, applicant, competent_agency, actor, receiving_agency, form_data,
                            uploads, paper_documents + [d.kind for d in reused], postal_tracking)
    checked, upload_errors = check_uploads(uploads, already=sum(d.size for d in reused))
    for key, pair in upload_errors.items():
        errors.setdefault(key, pair)
    if reuse and len(reused) != len(set(reuse)):
        errors["documents/reuse"] = ("Giấy tờ chọn từ kho dữ liệu không hợp lệ.",
                                     "A document chosen from the data store is not valid.")
    if channel == Channel.ONLINE and procedure.current_version is not None:
        shortfall = shortfall_pair(procedure.current_version.min_assurance_level, assurance_level)
        if shortfall is not None:
            errors["assurance_level"] = shortfall
    if organisation is not None and (actor is None or organisation not in organisations_of(actor)):
        errors["organisation"] = ("Bạn không phải người đại diện của tổ chức này.",
                                  "You do not represent this organisation.")
    if errors:
        raise IntakeError(errors)
    receiving = receiving_agency or receiving_agency_for(procedure, competent_agency)
    try:
        with transaction.atomic():
            dossier, attached, event = _create(
                procedure, channel, applicant, competent_agency, receiving, actor, form_data, uploads, checked,
                idempotency_key, fingerprint, postal_tracking, external_id, return_method, now, organisation,
            )
            documents = attached + _reuse_and_store(dossier, actor, reused, attached)
            documents += _record_paper(dossier, actor, paper_documents, {u.slot for u in uploads})
    except UploadError as exc:  # content found infected by a concurrent scan since the check: nothing was saved
        raise IntakeError({"documents": exc.pair}) from exc
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its dossier.
        if idempotency_key:
            existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _replay(existing, fingerprint)
        raise
    if written is not None:
        written.events[:], written.documents[:] = [event], documents
    return dossier


def _stored_for_reuse(actor: User | None, ids: list[int], channel: Channel) -> list[StoredDocument]:
    """The chosen stored documents that belong to the signed-in applicant (others are silently not found)."""
    if not ids or actor is None or channel != Channel.ONLINE:
        return []
    return list(usable_documents(actor).filter(pk__in=set(ids)).select_related("blob"))


def check_uploads(uploads: list[Upload], *, already: int = 0
                  ) -> tuple[list[CheckedFile | None], dict[str, tuple[str, str]]]:
    """Run every upload through the pipeline's checks (size, type from content, content known to be infected: one
    query for all) and the dossier's total size (ALREADY: bytes the dossier holds besides these). Errors are keyed
    `documents/<slot>` (`documents` for the total), in the order of the uploads."""
    results: list[CheckedFile | UploadError] = []
    for upload in uploads:
        try:
            results.append(check_upload(upload.name, upload.content, digest=upload.sha256))
        except UploadError as exc:
            results.append(exc)
    digests = {item.sha256 for item in results if isinstance(item, CheckedFile)}
    infected = set(Blob.objects.filter(sha256__in=digests, scan_state=ScanState.INFECTED)
                   .values_list("sha256", flat=True)) if digests else set()
    checked: list[CheckedFile | None] = []
    errors: dict[str, tuple[str, str]] = {}
    for upload, item in zip(uploads, results, strict=True):
        if isinstance(item, CheckedFile) and item.sha256 in infected:
            item = infected_error(item.name)
        if isinstance(item, UploadError):
            errors.setdefault(f"documents/{upload.slot}" if upload.slot else "documents", item.pair)
            checked.append(None)
        else:
            checked.append(item)
    try:
        check_total([already, *(len(u.content) for u in uploads)])
    except UploadError as exc:
        errors.setdefault("documents", exc.pair)
    return checked, errors


def _reuse_and_store(dossier: Dossier, actor: User | None, reused: list[StoredDocument],
                     attached: list[DossierDocument]) -> list[DossierDocument]:
    """Attach reused documents to the dossier (returned), and keep new files (ATTACHED: the uploads just attached)
    in the applicant's data store: an online applicant's uploads, and the documents a clerk digitised at the
    counter for an applicant with an account (found by the personal ID number on the dossier)."""
    documents = []
    if reused:
        documents = DossierDocument.objects.bulk_create([
            DossierDocument(dossier=dossier, slot=stored.kind, name=stored.name, file=stored.file.name,
                            blob=stored.blob, content_type=stored.blob.content_type if stored.blob else "",
                            uploaded_by=actor, reused_from=stored)
            for stored in reused
        ])
    owner, source = None, StoredDocument.Source.SUBMITTED
    if dossier.channel == Channel.ONLINE:
        owner = actor
    elif dossier.applicant_id_number:
        owner = User.objects.filter(national_id=dossier.applicant_id_number, is_active=True).first()
        source = StoredDocument.Source.DIGITISED
    if owner is None:
        return documents
    store_documents(owner=owner, source=source, dossier_id=dossier.pk, entries=[
        (document.slot, document.name, document.blob) for document in attached
        if document.blob is not None and (source != StoredDocument.Source.DIGITISED or document.is_digitised)
    ])
    return documents


def _record_paper(dossier: Dossier, actor: User | None, paper: list[str], scanned: set[str]
                  ) -> list[DossierDocument]:
    """The paper documents the clerk ticked on the checklist, kept as file-less entries (the control sheet and
    the dossier page show what was handed in; a scan of the same slot already stands for it). Returns them."""
    names = {str(d.get("code")): d["name"] for d in dossier.procedure_version.required_documents}
    entries = [DossierDocument(dossier=dossier, slot=slot, name=names[slot], uploaded_by=actor)
               for slot in dict.fromkeys(paper) if slot in names and slot not in scanned]
    return DossierDocument.objects.bulk_create(entries) if entries else []


def _dossier_with_key(idempotency_key: str) -> int | None:
    """The key of the dossier an earlier request with IDEMPOTENCY_KEY made: a fixed statement on the unique
    index, no model built (nearly every submission finds none)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM dossiers_dossier WHERE idempotency_key = %s", [idempotency_key])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _replay(existing: Dossier, fingerprint: str) -> Dossier:
    if existing.request_fingerprint != fingerprint:
        raise IntakeError({"idempotency_key": (
            "Mã chống gửi trùng đã được dùng cho một hồ sơ khác.",
            "This idempotency key was already used for a different dossier.",
        )})
    return existing


def _intake_errors(
    procedure: Procedure, channel: Channel, applicant: Applicant, competent: Agency, actor: User | None,
    receiving: Agency | None, form_data: dict[str, Any], uploads: list[Upload], paper: list[str],
    postal_tracking: str,
) -> dict[str, tuple[str, str]]:
    errors: dict[str, tuple[str, str]] = {}
    version = procedure.current_version
    if not procedure.is_active or version is None:
        return {"procedure": ("Thủ tục này hiện không tiếp nhận hồ sơ.", "This procedure is not open for dossiers.")}
    if competent.pk not in competent_agencies(procedure.pk).ids:
        errors["competent_agency"] = (
            "Cơ quan được chọn không giải quyết thủ tục này.", "The chosen agency does not handle this procedure.",
        )
    if not applicant.name.strip():
        errors["applicant_name"] = ("Vui lòng nhập họ tên người nộp.", "Please enter the applicant's name.")
    if channel in (Channel.COUNTER, Channel.POSTAL) and (
        receiving is None or actor is None or not has_role(actor, receiving, Role.CLERK)
    ):
        errors["receiving_agency"] = (
            "Chỉ công chức Bộ phận Một cửa của cơ quan tiếp nhận được nhập hồ sơ.",
            "Only a one-stop clerk of the receiving agency may enter a dossier.",
        )
    if channel == Channel.POSTAL and not postal_tracking.strip():
        errors["postal_tracking"] = ("Vui lòng nhập số hiệu bưu gửi.", "Please enter the postal tracking number.")
    if channel == Channel.ONLINE and actor is None:
        errors["applicant"] = ("Vui lòng đăng nhập để nộp hồ sơ trực tuyến.", "Please sign in to submit online.")
    # A dossier forwarded by the national portal comes without motcua's e-form and may lack documents: it is taken
    # in as sent and the clerk completes it at receipt (or asks the applicant for a supplement). Its files the
    # portal did not classify under one of the procedure's documents are kept unclassified (no slot).
    from_portal = channel == Channel.NATIONAL_PORTAL
    if not from_portal:
        errors.update(validate_form(procedure, form_data))
    provided = {u.slot for u in uploads} | set(paper)
    slots = {d.get("code") for d in version.required_documents}
    for upload in uploads:
        if from_portal and not upload.slot:
            if not upload.content:
                errors["documents"] = ("Tệp đính kèm rỗng.", "The attached file is empty.")
        elif upload.slot not in slots:
            errors[f"documents/{upload.slot}"] = (
                "Giấy tờ không thuộc thành phần hồ sơ của thủ tục.", "This document is not part of the procedure.",
            )
        elif not upload.content:
            errors[f"documents/{upload.slot}"] = ("Tệp đính kèm rỗng.", "The attached file is empty.")
    for document in version.required_documents:
        if not from_portal and document.get("mandatory", True) and document.get("code") not in provided:
            errors[f"documents/{document.get('code')}"] = (
                f"Thiếu giấy tờ bắt buộc: {document['name']}.", f"A required document is missing: {document['name']}.",
            )
    return errors


def _create(
    procedure: Procedure, channel: Channel, applicant: Applicant, competent: Agency, receiving: Agency,
    actor: User | None, form_data: dict[str, Any], uploads: list[Upload], checked: list[CheckedFile | None],
    idempotency_key: str | None, fingerprint: str, postal_tracking: str, external_id: str, return_method: str,
    now: dt.datetime, organisation: Organisation | None,
) -> tuple[Dossier, list[DossierDocument], DossierEvent]:
    """The dossier, its uploads attached and its first event."""
    version = procedure.current_version
    if version is None:  # checked by _intake_errors; kept for the type checker
        raise IntakeError({"procedure": ("Thủ tục chưa có phiên bản.", "The procedure has no version.")})
    received_now = channel in (Channel.COUNTER, Channel.POSTAL)
    local_day = now.astimezone(timezone.get_current_timezone()).date()
    dossier = Dossier(
        code=draw_code(receiving, local_day), lookup_secret=new_lookup_secret(), procedure=procedure,
        procedure_version=version, channel=channel,
        status=Status.RECEIVED if received_now else Status.SUBMITTED,
        applicant=actor if channel == Channel.ONLINE else None,
        applicant_name=applicant.name.strip(), applicant_id_number=applicant.id_number.strip(),
        applicant_phone=applicant.phone.strip(), applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(), form_data=form_data, return_method=return_method,
        postal_tracking=postal_tracking.strip(), external_id=external_id, idempotency_key=idempotency_key or None,
        request_fingerprint=fingerprint, receiving_agency=receiving, competent_agency=competent,
        current_agency=receiving, current_role=version.steps[0]["role"], submitted_at=now, organisation=organisation,
    )
    if received_now:
        _start_clock(dossier, now)
    dossier.version = 1  # its first event's number (record_creation): written with the row, not after it
    dossier.save()
    attached = _attach(dossier, uploads, checked, actor, is_supplement=False)
    event = record_creation(dossier, action="receive" if received_now else "submit", actor=actor, at=now)
    if received_now:
        _issue(dossier, Notice.Kind.RECEIPT, actor, now, new_due_at=dossier.due_at)
    return dossier, attached, event


def _start_clock(dossier: Dossier, now: dt.datetime) -> None:
    """The dossier is received at NOW: the receipt time, and the statutory clock starts."""
    dossier.received_at = now
    _run_clock_from(dossier, now)


def _run_clock_from(dossier: Dossier, now: dt.datetime) -> None:
    """The statutory time (and the current step's) runs in full from NOW: at receipt, and again when a supplement
    completes the dossier. The receipt time is not touched: the dossier was received when it was received."""
    calendar = calendar_for(dossier)
    dossier.due_at = procedure_due(calendar, dossier, now)
    dossier.step_started_at = now
    dossier.step_due_at = step_due(calendar, dossier, now)


def _attach(dossier: Dossier, uploads: list[Upload], checked: list[CheckedFile | None], actor: User | None, *,
            is_supplement: bool) -> list[DossierDocument]:
    """Store the (checked) uploads by their content and attach them, in one statement for the documents; the new
    contents' virus scan is queued after commit (one job for all)."""
    items = [item if item is not None else check_upload(upload.name, upload.content, digest=upload.sha256)
             # every caller checks first (check_uploads); checking here again is kept for the type checker
             for upload, item in zip(uploads, checked, strict=True)]
    documents = []
    for upload, item, blob in zip(uploads, items, store_blobs(items), strict=True):
        document = DossierDocument(dossier=dossier, slot=upload.slot, name=item.name, uploaded_by=actor, blob=blob,
                                   content_type=item.file_type.content_type, is_supplement=is_supplement,
                                   is_digitised=upload.digitised)
        document.file.name = blob.storage_name
        documents.append(document)
    return fastsql.insert_many(documents)  # bulk_create without the query building


def _issue(dossier: Dossier, kind: str, actor: User | None, now: dt.datetime, *, reason: str = "",
           items: list[Any] | None = None, new_due_at: dt.datetime | None = None) -> Notice:
    return Notice.objects.create(
        dossier=dossier, kind=kind, reason=reason, items=items or [], new_due_at=new_due_at, issued_by=actor,
        issued_agency=dossier.current_agency, issued_at=now,
    )


# --- moving along the process --------------------------------------------------------------------

def receive_dossier(dossier: Dossier, *, actor: User, expected_version: int | None = None,
                    at: dt.datetime | None = None) -> Dossier:
    now = at or timezone.now()

    def apply(d: Dossier, change: Change) -> None:
        _start_clock(d, now)
        _issue(d, Notice.Kind.RECEIPT, actor, now, new_due_at=d.due_at)

    return transition(dossier.pk, "receive", actor=actor, expected_version=expected_version, at=now, apply=apply)[0]


def forward_dossier(dossier: Dossier, *, actor: User | None, expected_version: int | None = None, note: str = "",
                    assignee: User | None = None, at: dt.datetime | None = None,
                    data: dict[str, Any] | None = None) -> Dossier:
    """Move to the next step (an inter-agency step hands the dossier to that agency's queue), optionally to a
    named officer there. ACTOR None: the system, at an external step (dossiers/external.py)."""
    now = at or timezone.now()

    def apply(d: Dossier, change: Change) -> None:
        change.step_index = d.step_index + 1
        from motcua.dossiers.workflow import resolve_step_agency

        change.agency = resolve_step_agency(d, change.step_index)
        change.target = status_at_step(d, change.step_index, change.agency)
        change.assignee = assignee
        change.data.update(data or {})
        change.data["step"] = d.steps[change.step_index]["key"]

    return transition(dossier.pk, "forward", actor=actor, expected_version=expected_version, note=note, at=now,
                      apply=apply)[0]


def send_back(dossier: Dossier, *, actor: User, note: str, expected_version: int | None = None,
              at: dt.datetime | None = None) -> Dossier:
    def apply(d: Dossier, change: Change) -> None:
        from motcua.dossiers.workflow import resolve_step_agency

        change.step_index = d.step_index - 1
        change.agency = resolve_step_agency(d, change.step_index)
        change.target = status_at_step(d, change.step_index, change.agency)

    return transition(dossier.pk, "send_back", actor=actor, expected_version=expected_version, note=note, at=at,
                      apply=apply)[0]


def approve_dossier(dossier: Dossier, *, actor: User, expected_version: int | None = None, note: str = "",
                    at: dt.datetime | None = None) -> Dossier:
    def apply(d: Dossier, change: Change) -> None:
        from motcua.dossiers.workflow import resolve_step_agency

        if d.step_index == len(d.steps) - 1:
            change.target = Status.RESULT_READY  # the approving step also returns the result
            return
        change.step_index = d.step_index + 1
        change.agency = resolve_step_agency(d, change.step_index)
        change.target = status_at_step(d, change.step_index, change.agency)

    return transition(dossier.pk, "approve", actor=actor, expected_version=expected_version, note=note, at=at,
                      apply=apply)[0]


def request_supplement(dossier: Dossier, *, actor: User, items: list[str], note: str,
                       expected_version: int | None = None, at: dt.datetime | None = None) -> Dossier:
    """Stop the clock and ask the applicant for the listed documents (form 02). The statutory time restarts
    in full when the complete dossier comes back."""
    now = at or timezone.now()
    if not [item for item in items if item.strip()]:
        raise WorkflowError("items_required", "Vui lòng ghi rõ giấy tờ cần bổ sung.",
                            "Please list the documents to supplement.")

    def apply(d: Dossier, change: Change) -> None:
        change.data["resume_status"] = d.status
        d.paused_at = now
        PauseInterval.objects.create(dossier=d, kind=PauseInterval.Kind.SUPPLEMENT, started_at=now, reason=note)
        _issue(d, Notice.Kind.SUPPLEMENT, actor, now, reason=note, items=items)
        change.data["items"] = items

    return transition(dossier.pk, "request_supplement", actor=actor, expected_version=expected_version, note=note,
                      at=now, apply=apply)[0]


def _utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat()


def supplement_dossier(dossier: Dossier, *, actor: User, uploads: list[Upload] | None = None, note: str = "",
                       expected_version: int | None = None, at: dt.datetime | None = None) -> Dossier:
    """The `supplement` action: the documents asked for come in (from the applicant online, or through a clerk) and
    the clock restarts on the complete dossier (docs/workflow.md)."""
    now = at or timezone.now()
    checked, errors = check_uploads(uploads or [], already=dossier_file_bytes(dossier))
    if errors:
        raise WorkflowError("bad_upload", " ".join(vi for vi, _en in errors.values()),
                            " ".join(en for _vi, en in errors.values()))

    def apply(d: Dossier, change: Change) -> None:
        request = d.events.filter(action="request_supplement").order_by("-seq").first()
        resume = (request.data.get("resume_status") if request else None) or Status.RECEIVED
        PauseInterval.objects.filter(dossier=d, ended_at__isnull=True).update(ended_at=now)
        d.paused_at = None
        try:
            _attach(d, uploads or [], checked, actor, is_supplement=True)
        except UploadError as exc:  # found infected by a concurrent scan since the check
            raise WorkflowError("bad_upload", exc.message_vi, exc.message_en) from exc
        if resume == Status.SUBMITTED:
            change.target = Status.SUBMITTED  # asked before receipt: the clock has not started yet
            return
        previous_due = d.effective_due_at
        _run_clock_from(d, now)  # the statutory time restarts on the complete dossier; received_at stays
        # The restart, on its event (the append-only record of each one): when, and the appointment it replaced.
        change.data["clock_restarted_at"] = _utc(now)
        change.data["previous_due_at"] = _utc(previous_due) if previous_due else None
        change.data["due_at"] = _utc(d.due_at) if d.due_at else None
        # A new receipt-and-appointment slip for the complete dossier, with the new appointment; the first slip
        # stays as issued. Signed by the officer who took the supplement in, unsigned when the applicant sent it.
        _issue(d, Notice.Kind.RECEIPT, actor if roles_of(actor) else None, now, new_due_at=d.due_at)
        change.target = Status(resume)

    return transition(dossier.pk, "supplement", actor=actor, note=note, expected_version=expected_version, at=now,
                      apply=apply)[0]


def refuse_dossier(dossier: Dossier, *, actor: User, reason: str, expected_version: int | None = None,
                   at: dt.datetime | None = None) -> Dossier:
    now = at or timezone.now()

    def apply(d: Dossier, change: Change) -> None:
        _issue(d, Notice.Kind.REFUSAL, actor, now, reason=reason)

    return transition(dossier.pk, "refuse", actor=actor, expected_version=expected_version, note=reason, at=now,
                      apply=apply)[0]


def pause_for_fees(dossier: Dossier, *, actor: User | None, note: str = "", amount: int | None = None,
                   expected_version: int | None = None, at: dt.datetime | None = None,
                   data: dict[str, Any] | None = None) -> Dossier:
    """Stop the clock for the financial obligation. ACTOR None: the system, at an external step (the transfer form
    was sent to the tax authority: motcua.taxexchange)."""
    now = at or timezone.now()

    def apply(d: Dossier, change: Change) -> None:
        change.data.update(data or {})
        change.data["resume_status"] = d.status
        if amount is not None:
            change.data["amount"] = amount
        d.paused_at = now
        PauseInterval.objects.create(dossier=d, kind=PauseInterval.Kind.FEES, started_at=now, reason=note)

    return transition(dossier.pk, "pause_for_fees", actor=actor, expected_version=expected_version, note=note,
                      at=now, apply=apply)[0]


def record_payment(dossier: Dossier, *, actor: User | None, reference: str, expected_version: int | None = None,
                   at: dt.datetime | None = None) -> Dossier:
    """The financial obligation is paid (treasury / payment platform): the clock resumes where it stopped."""
    now = at or timezone.now()

    def apply(d: Dossier, change: Change) -> None:
        calendar = calendar_for(d)
        paused_at = d.paused_at or now
        d.due_at = shift_after_pause(calendar, d.due_at, paused_at, now)
        d.step_due_at = shift_after_pause(calendar, d.step_due_at, paused_at, now)
        d.paused_at = None
        PauseInterval.objects.filter(dossier=d, ended_at__isnull=True).update(ended_at=now)
        pause = d.events.filter(action="pause_for_fees").order_by("-seq").first()
        change.target = Status((pause.data.get("resume_status") if pause else None) or Status.PROCESSING)
        change.data["reference"] = reference

    return transition(dossier.pk, "record_payment", actor=actor, note=reference, expected_version=expected_version,
                      at=now, apply=apply)[0]


def return_result(dossier: Dossier, *, actor: User, expected_version: int | None = None, note: str = "",
                  at: dt.datetime | None = None) -> Dossier:
    """Hand the result over. A dossier whose result was ready after its due date needs an apology/extension
    letter (form 04) whose new date covers it."""
    now = at or timezone.now()

    def apply(d: Dossier, change: Change) -> None:
        calendar = calendar_for(d)
        done = d.result_ready_at or now
        outcome = outcome_of(calendar, d.due_at or done, done)
        if outcome == "late":
            letter = d.notices.filter(kind=Notice.Kind.APOLOGY, new_due_at__gte=done).exists()
            if not letter:
                raise WorkflowError(
                    "apology_required",
                    "Hồ sơ trễ hạn: phải có văn bản xin lỗi và hẹn lại ngày trả kết quả trước khi trả kết quả.",
                    "The dossier is late: issue an apology and extension letter before returning the result.",
                )
        d.outcome = outcome
        change.data["outcome"] = outcome

    return transition(dossier.pk, "return_result", actor=actor, expected_version=expected_version, note=note,
                      at=now, apply=apply)[0]


def extend_dossier(dossier: Dossier, *, actor: User, reason: str, new_due_at: dt.datetime,
                   expected_version: int | None = None, at: dt.datetime | None = None) -> Dossier:
    """The `extend` action, form 04: apologise for the delay and set a new appointment (later than the current
    one)."""
    now = at or timezone.now()

    def apply(d: Dossier, change: Change) -> None:
        current = d.effective_due_at
        if current is not None and new_due_at <= current:
            raise WorkflowError("bad_date", "Ngày hẹn mới phải sau ngày hẹn hiện tại.",
                                "The new date must be after the current appointment.")
        d.extended_due_at = new_due_at
        _issue(d, Notice.Kind.APOLOGY, actor, now, reason=reason, new_due_at=new_due_at)
        change.target = Status(d.status)
        change.data["new_due_at"] = new_due_at.isoformat()

    return transition(dossier.pk, "extend", actor=actor, expected_version=expected_version, note=reason, at=now,
                      apply=apply)[0]


def withdraw_dossier(dossier: Dossier, *, actor: User, reason: str, expected_version: int | None = None,
                     at: dt.datetime | None = None) -> Dossier:
    """The citizen withdraws the dossier (online, or by a written request handed in at the counter)."""
    return transition(dossier.pk, "withdraw", actor=actor, note=reason, expected_version=expected_version, at=at)[0]


def stop_dossier(dossier: Dossier, *, actor: User, reason: str, expected_version: int | None = None,
                 at: dt.datetime | None = None) -> Dossier:
    """Form 05: stop processing (e.g. the request has become moot)."""
    now = at or timezone.now()

    def apply(d: Dossier, change: Change) -> None:
        _issue(d, Notice.Kind.STOP, actor, now, reason=reason)

    return transition(dossier.pk, "stop", actor=actor, expected_version=expected_version, note=reason, at=now,
                      apply=apply)[0]


def cancel_dossier(dossier: Dossier, *, actor: User, reason: str, expected_version: int | None = None,
                   at: dt.datetime | None = None) -> Dossier:
    """Cancel a dossier that was never completed (e.g. the supplement did not come in time)."""
    return transition(dossier.pk, "cancel", actor=actor, note=reason, expected_version=expected_version, at=at)[0]


def assign_dossier(dossier: Dossier, *, actor: User, assignee: User, expected_version: int | None = None,
                   at: dt.datetime | None = None) -> Dossier:
    """Put the dossier in ASSIGNEE's own queue; they must hold the current step's role in its agency."""

    def apply(d: Dossier, change: Change) -> None:
        change.assignee = assignee
        change.target = Status(d.status)

    return transition(dossier.pk, "assign", actor=actor, expected_version=expected_version, at=at, apply=apply)[0]


def answer_survey(dossier: Dossier, *, respondent: User | None, answers: dict[str, int], comment: str = ""
                  ) -> SurveyResponse:
    """Record the satisfaction survey of a returned dossier. Answering twice keeps the first answer."""
    if dossier.status != Status.RETURNED:
        raise WorkflowError("not_returned", "Chỉ đánh giá sau khi đã nhận kết quả.",
                            "The survey opens once the result has been returned.")
    values = {question.key: answers.get(question.key) for question in SURVEY}
    if any(not isinstance(values[q.key], int) or values[q.key] not in q.values for q in SURVEY):
        raise WorkflowError("bad_answers", "Vui lòng trả lời tất cả các câu hỏi bằng một trong các lựa chọn.",
                            "Please answer every question with one of its answers.")
    with transaction.atomic():
        response, created = SurveyResponse.objects.get_or_create(
            dossier=dossier, defaults={"respondent": respondent, "answers": values, "overall": values["overall"],
                                       "comment": comment.strip()[:2000]},
        )
        if created:
            effects.after_survey(dossier, response.overall, response.created_at)
    return response


def record_portal_evaluation(dossier: Dossier, *, answers: dict[str, int], comment: str = ""
                             ) -> tuple[SurveyResponse, bool]:
    """Keep a citizen's evaluation made on the national portal as the dossier's satisfaction survey (source
    national_portal), counted in the figures like a local one. ANSWERS holds "overall" and any other survey
    questions the portal rated. Idempotent: a dossier already rated (here or by an earlier push) keeps its first
    answer, and the second value returned is False."""
    if dossier.status != Status.RETURNED:
        raise WorkflowError("not_returned", "Chỉ đánh giá sau khi đã nhận kết quả.",
                            "The survey opens once the result has been returned.")
    questions = {question.key: question for question in SURVEY}
    if "overall" not in answers or any(key not in questions or not isinstance(value, int)
                                       or value not in questions[key].values for key, value in answers.items()):
        raise WorkflowError("bad_answers", "Đánh giá không hợp lệ.", "The evaluation is not valid.")
    with transaction.atomic():
        response, created = SurveyResponse.objects.get_or_create(
            dossier=dossier, defaults={"respondent": None, "answers": dict(answers), "overall": answers["overall"],
                                       "comment": comment.strip()[:2000],
                                       "source": SurveyResponse.Source.NATIONAL_PORTAL},
        )
        if created:
            effects.after_survey(dossier, response.overall, response.created_at)
    return response, created
