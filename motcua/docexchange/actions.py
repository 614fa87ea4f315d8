"""Every write of the official-document exchange with outside agencies (docs/document-exchange.md).

- `start_step_exchange`: at an external step `{"kind": "external", "system": "edxml"}` the dossier goes to the step's
  (outside) agency as an edXML document: built once per step entry, sent through the hub (system `edxml`). Its
  first attachment is the sending agency's signed cover letter (`cover_letter`); a letter that cannot be signed
  (no signing identity) makes the document `failed` and sends the dossier back, with the reason, unsent.
- `send_result`: a dossier's result (its signed PDFs) sent the same way to an outside agency; nothing waits for it.
- `poll`: send again what the hub did not take, then fetch every message the hub holds for us, keep it raw
  (`InboundMessage`, once per hub id), apply it, and acknowledge it to the hub.
- `receive_message`: a status moves the document's state only forward (`edxml.ORDER`: duplicates and late
  arrivals are kept and ignored); a rejection or a delivery failure sends the dossier back to the step before;
  an answer (a document whose ResponseFor names ours) is attached to the dossier and resumes it, once; the
  signature of each attached PDF is checked (`signing.actions.verify`) and recorded (`DocumentCheck`, and
  `OutgoingDocument.answer_signatures`): an unsigned or invalid one is attached all the same, flagged.
Every call to the hub goes through `IntegrationClient` (evidence in `CallRecord`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.adapters import edxml
from motcua.core.errors import UserError
from motcua.directory.models import Agency
from motcua.docexchange import cover_letter
from motcua.docexchange.models import InboundMessage, OutgoingDocument, PollSchedule, State
from motcua.documents.uploads import UploadError, check_upload, store_blob
from motcua.dossiers.external import system_of
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.workflow import Change, WorkflowError, resolve_step_agency, status_at_step, transition
from motcua.integrations.client import IntegrationClient, IntegrationError

logger = logging.getLogger(__name__)

HUB_SYSTEM = "edxml"  # the hub in MOTCUA_INTEGRATION_SYSTEMS_JSON
STEP_SYSTEM = "edxml"  # the `system` of an external step handled through the hub
MAX_SEND_ATTEMPTS = 5
MAX_ATTACHMENTS = 20


class ExchangeError(UserError):
    """A refused step of the document exchange."""


def hub_configured() -> bool:
    return (HUB_SYSTEM in dict(settings.MOTCUA_INTEGRATION_SYSTEMS) and bool(settings.MOTCUA_EDXML_SYSTEM_ID)
            and bool(settings.MOTCUA_EDXML_SECRET))


def _auth(**extra: Any) -> dict[str, str]:
    return edxml.hub_headers(settings.MOTCUA_EDXML_SYSTEM_ID, settings.MOTCUA_EDXML_SECRET, **extra)


# --- building ------------------------------------------------------------------------------------------------------

def organ(agency: Agency) -> edxml.Organ:
    return edxml.Organ(organ_id=agency.eid_code, name=agency.name, address=agency.address, email=agency.email,
                       telephone=agency.phone)


def _pdfs(dossier: Dossier, only: list[int] | None = None) -> tuple[edxml.Attachment, ...]:
    """The dossier's stored PDF documents (uploads, scans, signed results), as attachments."""
    documents = dossier.documents.filter(blob__isnull=False, content_type="application/pdf").order_by("pk")
    if only is not None:
        documents = documents.filter(pk__in=only)
    result = []
    for document in documents[:MAX_ATTACHMENTS]:
        if not document.is_servable:
            continue
        with document.file.open("rb") as fh:
            content = fh.read()
        result.append(edxml.Attachment(content_id=f"att{document.pk}", name=document.name[:200] + (
            "" if document.name.lower().endswith(".pdf") else ".pdf"), content=content))
    return tuple(result)


def _signer(agency: Agency) -> tuple[str, str]:
    """Who signs for AGENCY: its leader in motcua (the first by name), else the agency itself."""
    from motcua.directory.models import Role, StaffAssignment

    leader = (StaffAssignment.objects.filter(agency=agency, role=Role.LEADER).select_related("user")
              .order_by("user__last_name", "user__pk").first())
    if leader is not None:
        return "Lãnh đạo", leader.user.get_full_name() or leader.user.get_username()
    return "Thủ trưởng cơ quan", agency.name


def step_subject(dossier: Dossier) -> str:
    step = dossier.current_step
    return f"Đề nghị phối hợp giải quyết hồ sơ {dossier.code}: {step.get('name') or step.get('key')}"


def build_step_envelope(dossier: Dossier, *, sender: Agency, receiver: Agency, code_number: str, now: dt.datetime,
                        purpose: str, attachments: tuple[edxml.Attachment, ...]) -> edxml.Envelope:
    step = dossier.current_step
    position, name = _signer(sender)
    if purpose == OutgoingDocument.Purpose.RESULT:
        subject = f"Gửi kết quả giải quyết hồ sơ {dossier.code} ({dossier.procedure_version.name})"
        content = f"Kết quả giải quyết thủ tục «{dossier.procedure_version.name}» của {dossier.applicant_name}."
        due = None
    else:
        subject = step_subject(dossier)
        content = (f"Hồ sơ {dossier.code}, thủ tục «{dossier.procedure_version.name}», người nộp "
                   f"{dossier.applicant_name}. Đề nghị quý cơ quan thực hiện bước «{step.get('name', '')}» và trả lời "
                   "bằng văn bản điện tử qua trục liên thông văn bản.")
        due = timezone.localtime(dossier.step_due_at).date() if dossier.step_due_at else None
    place = sender.admin_unit.name if sender.admin_unit_id else ""
    return edxml.Envelope(
        sender=organ(sender), receivers=(organ(receiver),), code_number=code_number,
        code_notation=f"{dossier.code}", place=place or sender.name, promulgation_date=timezone.localtime(now).date(),
        subject=subject[:1000], content=content[:5000], signer_position=position, signer_name=name, timestamp=now,
        due_date=due, attachments=attachments, reference=dossier.code)


def _sender_of(dossier: Dossier) -> Agency:
    return dossier.competent_agency


def _create(dossier: Dossier, *, purpose: str, to_agency: Agency, code_number: str, now: dt.datetime,
            attachments: tuple[edxml.Attachment, ...]) -> OutgoingDocument:
    envelope = build_step_envelope(dossier, sender=_sender_of(dossier), receiver=to_agency, code_number=code_number,
                                   now=now, purpose=purpose, attachments=attachments)
    data = edxml.build_envelope(envelope)
    try:
        with transaction.atomic():
            return OutgoingDocument.objects.create(
                dossier=dossier, purpose=purpose, step_index=dossier.step_index, to_agency=to_agency,
                document_id=envelope.effective_document_id, code=envelope.code, subject=envelope.subject[:500],
                envelope=data, envelope_sha256=hashlib.sha256(data).hexdigest(), created_at=now)
    except IntegrityError:
        return OutgoingDocument.objects.get(dossier=dossier, code=envelope.code)


# --- sending -------------------------------------------------------------------------------------------------------

def start_step_exchange(dossier_id: int, seq: int, *, at: dt.datetime | None = None) -> OutgoingDocument | None:
    """At an `edxml` external step: the document of this step entry (SEQ, the event that entered it), made once and
    sent until the hub takes it. Safe to run twice. None when the dossier is not at such a step."""
    now = at or timezone.now()
    dossier = Dossier.objects.select_related("competent_agency__admin_unit", "current_agency",
                                             "procedure_version").get(pk=dossier_id)
    if dossier.is_terminal or system_of(dossier.current_step) != STEP_SYSTEM:
        return None
    code = f"{seq}/{dossier.code}"
    document = OutgoingDocument.objects.filter(dossier=dossier, code=code).first()
    if document is None:
        document = _create_step(dossier, seq, now)
    if document.state != State.SENDING:
        return document
    return send(document, at=now)


def _create_step(dossier: Dossier, seq: int, now: dt.datetime) -> OutgoingDocument:
    """The step's document: the signed cover letter first, then the dossier's PDFs. When the letter cannot be
    signed the document is kept unsent (`failed`, the reason in Vietnamese then English) and the dossier goes back
    to the step before, so the staff see why; nothing reaches the hub."""
    sender, receiver = _sender_of(dossier), dossier.current_agency
    pdfs = _pdfs(dossier)
    position, name = _signer(sender)
    letter = cover_letter.Letter(code_number=str(seq), code_notation=dossier.code, subject=step_subject(dossier),
                                 signer_position=position, signer_name=name)
    try:
        content = cover_letter.signed_letter(dossier, letter, sender=sender, receiver=receiver, now=now)
    except cover_letter.CoverLetterError as exc:
        document = _create(dossier, purpose=OutgoingDocument.Purpose.STEP, to_agency=receiver,
                           code_number=letter.code_number, now=now, attachments=pdfs)
        if document.state == State.SENDING and document.attempts == 0:
            _final_failure(document, f"{exc.message_vi}\n{exc.message_en}", now)
            document.refresh_from_db()
        return document
    attachment = edxml.Attachment(content_id="congvan", name=f"cong-van-{dossier.code}.pdf", content=content,
                                  description=f"Công văn số {letter.code}")
    return _create(dossier, purpose=OutgoingDocument.Purpose.STEP, to_agency=receiver,
                   code_number=letter.code_number, now=now, attachments=(attachment, *pdfs))


def may_send_result(dossier: Dossier, user: Any) -> bool:
    """The handling agency's specialists and leaders, once the result is ready (or returned)."""
    from motcua.directory.models import Role
    from motcua.directory.selectors import has_role
    from motcua.dossiers.models import Status

    return dossier.status in (Status.RESULT_READY, Status.RETURNED) and any(
        has_role(user, dossier.competent_agency, role) for role in (Role.SPECIALIST, Role.LEADER))


def send_result(dossier: Dossier, *, to_agency: Agency, actor: Any = None, document_ids: list[int] | None = None,
                at: dt.datetime | None = None) -> OutgoingDocument:
    """Send the dossier's result (its PDFs, or those in DOCUMENT_IDS) to an outside agency as an edXML document."""
    now = at or timezone.now()
    if not to_agency.is_external:
        raise ExchangeError("not_external", "Cơ quan nhận không phải cơ quan ngoài hệ thống một cửa.",
                            "The receiving agency is not an agency outside motcua.")
    attachments = _pdfs(dossier, document_ids)
    if not attachments:
        raise ExchangeError("no_pdf", "Hồ sơ chưa có văn bản PDF để gửi.", "The dossier has no PDF document to send.")
    number = OutgoingDocument.objects.filter(dossier=dossier, purpose=OutgoingDocument.Purpose.RESULT).count() + 1
    document = _create(dossier, purpose=OutgoingDocument.Purpose.RESULT, to_agency=to_agency,
                       code_number=f"KQ{number}", now=now, attachments=attachments)
    return send(document, at=now)


def send(document: OutgoingDocument, *, at: dt.datetime | None = None) -> OutgoingDocument:
    """Hand DOCUMENT to the hub. A hub that does not answer leaves it `sending` (the next poll tries again, up to
    MAX_SEND_ATTEMPTS); a hub that refuses it (unknown agency, invalid envelope) makes it `failed`."""
    now = at or timezone.now()
    OutgoingDocument.objects.filter(pk=document.pk).update(attempts=document.attempts + 1)
    document.refresh_from_db()
    try:
        if not hub_configured():
            raise ImproperlyConfigured(f"the document exchange hub ({HUB_SYSTEM}) is not configured")
        with IntegrationClient(HUB_SYSTEM) as client:
            answer = client.call(
                "send", "POST", edxml.PATH_SEND, content=bytes(document.envelope),
                headers={**_auth(sender=_sender_code(document), receivers=(document.to_agency.eid_code,)),
                         "Content-Type": "application/xml"},
                idempotency_key=document.document_id, parse=lambda r: edxml.parse_hub_answer(r.content),
                dossier_id=document.dossier_id).value
        if not answer.ok and answer.error_code == edxml.ERROR_BAD_CREDENTIALS:  # our configuration, not the document
            raise IntegrationError(f"the hub refused our credentials: {answer.message}")
    except (IntegrationError, ImproperlyConfigured) as exc:
        OutgoingDocument.objects.filter(pk=document.pk).update(last_error=str(exc)[:2000])
        logger.warning("edXML %s not sent (attempt %s): %s", document.code, document.attempts, exc)
        if document.attempts >= MAX_SEND_ATTEMPTS:
            _final_failure(document, f"Không gửi được văn bản qua trục liên thông sau {document.attempts} lần: {exc}",
                           now)
        else:
            ensure_polling()  # the poll chain sends it again
        document.refresh_from_db()
        return document
    if not answer.ok:
        _final_failure(document, f"Trục liên thông từ chối văn bản (mã {answer.error_code}): {answer.message}", now)
        document.refresh_from_db()
        return document
    OutgoingDocument.objects.filter(pk=document.pk, state=State.SENDING).update(
        state=State.SENT, sent_at=now, state_at=now, hub_doc_id=answer.doc_id[:100], last_error="")
    document.refresh_from_db()
    ensure_polling()
    return document


def _sender_code(document: OutgoingDocument) -> str:
    return str(Dossier.objects.filter(pk=document.dossier_id).values_list("competent_agency__eid_code",
                                                                            flat=True).get())


def _final_failure(document: OutgoingDocument, reason: str, now: dt.datetime) -> None:
    with transaction.atomic():
        locked = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if locked.is_final:
            return
        locked.state, locked.state_at, locked.last_error = State.FAILED, now, reason[:2000]
        locked.save(update_fields=["state", "state_at", "last_error"])
        _send_back(locked, reason, now)


def _send_back(document: OutgoingDocument, reason: str, now: dt.datetime) -> None:
    """The outside agency will not answer (rejected, undeliverable): the dossier goes back to the step before, whose
    staff decide (send again by forwarding, or go on by hand). Only a step document still at its step."""
    if document.purpose != OutgoingDocument.Purpose.STEP or document.answer_id is not None:
        return
    dossier = Dossier.objects.get(pk=document.dossier_id)
    if dossier.is_terminal or dossier.step_index != document.step_index or dossier.step_index == 0:
        return

    def apply(d: Dossier, change: Change) -> None:
        change.step_index = d.step_index - 1
        change.agency = resolve_step_agency(d, change.step_index)
        change.target = status_at_step(d, change.step_index, change.agency)
        change.data.update({"system": STEP_SYSTEM, "edxml_document": document.document_id,
                            "edxml_state": document.state})

    try:
        transition(dossier.pk, "send_back", actor=None, note=reason[:2000], at=now, apply=apply)
    except WorkflowError as exc:
        logger.warning("Dossier %s not sent back after edXML %s: %s", dossier.code, document.code, exc.code)


# --- receiving -----------------------------------------------------------------------------------------------------

def receive_message(hub_doc_id: str, raw: bytes, *, at: dt.datetime | None = None) -> InboundMessage:
    """Keep RAW (once per hub id), then apply it. A message we cannot read is kept with a clear error
    (Vietnamese, then English) and changes nothing else."""
    now = at or timezone.now()
    existing = InboundMessage.objects.filter(hub_doc_id=hub_doc_id).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        try:
            with transaction.atomic():
                message = InboundMessage.objects.create(
                    hub_doc_id=hub_doc_id[:100], kind=InboundMessage.Kind.UNKNOWN, raw=raw,
                    sha256=hashlib.sha256(raw).hexdigest(), outcome=InboundMessage.Outcome.REJECTED, received_at=now)
        except IntegrityError:  # fetched at the same moment by another worker
            return InboundMessage.objects.get(hub_doc_id=hub_doc_id)
        try:
            parsed = edxml.parse_message(raw)
        except edxml.EdxmlError as exc:
            _reject(message, exc.code, exc.message_vi, exc.message_en)
            return message
        message.from_code = parsed.sender.organ_id[:40]
        if isinstance(parsed, edxml.StatusMessage):
            message.kind = InboundMessage.Kind.STATUS
            _apply_status(message, parsed, now)
        else:
            message.kind = InboundMessage.Kind.DOCUMENT
            _apply_document(message, parsed, now)
        message.save()
    return message


def _reject(message: InboundMessage, code: str, vi: str, en: str) -> None:
    message.outcome = InboundMessage.Outcome.REJECTED
    message.error_code = code[:40]
    message.error = f"{vi}\n{en}"
    message.save(update_fields=["outcome", "error_code", "error"])
    logger.warning("edXML message %s rejected: %s", message.hub_doc_id, en)


def _ours(response_for: edxml.ResponseFor | None) -> OutgoingDocument | None:
    if response_for is None:
        return None
    return OutgoingDocument.objects.select_for_update().filter(document_id=response_for.document_id).first()


def _apply_status(message: InboundMessage, status: edxml.StatusMessage, now: dt.datetime) -> None:
    message.status_code = status.code
    message.stated_at = status.timestamp
    document = _ours(status.response_for)
    if document is None:
        message.outcome = InboundMessage.Outcome.UNMATCHED
        return
    message.document = document
    new = status.state
    if document.is_final or document.answer_id is not None or edxml.ORDER[new] <= edxml.ORDER[document.state]:
        message.outcome = InboundMessage.Outcome.IGNORED  # a duplicate, or later news arrived first
        return
    document.state, document.state_at = new, now
    document.save(update_fields=["state", "state_at"])
    message.outcome = InboundMessage.Outcome.APPLIED
    if new in (edxml.REJECTED, edxml.FAILED):
        who = status.sender.name or status.sender.organ_id
        reason = (f"{who} từ chối văn bản {document.code}" if new == edxml.REJECTED
                  else f"Trục liên thông không chuyển được văn bản {document.code} đến {who}")
        _send_back(document, reason + (f": {status.description}" if status.description else "."), now)


def _apply_document(message: InboundMessage, envelope: edxml.Envelope, now: dt.datetime) -> None:
    document = _ours(envelope.response_for)
    if document is None:
        message.outcome = InboundMessage.Outcome.UNMATCHED  # a new document from outside: kept for the admin
        return
    message.document = document
    if document.answer_id is not None:
        message.outcome = InboundMessage.Outcome.IGNORED  # the same answer again: attached and resumed once
        return
    dossier = Dossier.objects.get(pk=document.dossier_id)
    try:
        attached = [_attach(dossier, attachment) for attachment in envelope.attachments]
    except UploadError as exc:
        _reject(message, f"attachment_{exc.code}", f"Tệp đính kèm bị từ chối: {exc.message_vi}",
                f"An attachment was refused: {exc.message_en}")
        message.document = document
        return
    document.answer = message
    document.answer_document = attached[0] if attached else None
    document.answer_signatures = [_check_signature(row, attachment.content)
                                  for row, attachment in zip(attached, envelope.attachments, strict=True)]
    document.answered_at = now
    if not document.is_final:
        document.state, document.state_at = State.DONE, now
    document.save(update_fields=["answer", "answer_document", "answer_signatures", "answered_at", "state",
                                 "state_at"])
    message.outcome = InboundMessage.Outcome.ANSWER
    if document.purpose == OutgoingDocument.Purpose.STEP:
        _resume(document, dossier, envelope, now)


def _attach(dossier: Dossier, attachment: edxml.Attachment) -> DossierDocument:
    checked = check_upload(attachment.name or "van-ban.pdf", attachment.content)
    blob = store_blob(checked)
    document = DossierDocument(dossier=dossier, slot="van_ban_lien_thong", name=checked.name, blob=blob,
                               content_type=checked.file_type.content_type)
    document.file.name = blob.storage_name
    document.save()
    return document


def _check_signature(document: DossierDocument, content: bytes) -> dict[str, Any]:
    """Our verifier's verdict on an attached file (the signing app's `verify`, its trust roots and revocation
    lists), kept as the document's `DocumentCheck` (the badge of the dossier page) and returned for the answer's
    record. A file that is not a PDF gets no verdict ("")."""
    from motcua.signing.actions import verify
    from motcua.signing.models import DocumentCheck

    entry: dict[str, Any] = {"document": document.pk, "name": document.name, "verdict": "", "signer": "",
                             "signed_at": "", "problems": []}
    if document.content_type != "application/pdf":
        return entry
    verdict = verify(content)
    if not verdict.signatures:
        kind = DocumentCheck.Verdict.UNSIGNED
    else:
        kind = DocumentCheck.Verdict.VALID if verdict.valid else DocumentCheck.Verdict.INVALID
    last = verdict.last
    DocumentCheck.objects.update_or_create(document=document, defaults={
        "file_name": document.file.name or "", "verdict": kind,
        "signer_subject": last.signer_subject[:500] if last else "",
        "signed_at": last.signed_at if last else None, "problems": list(verdict.problems)})
    entry.update({"verdict": str(kind), "signer": last.signer_subject[:500] if last else "",
                  "signed_at": last.signed_at.isoformat() if last and last.signed_at else "",
                  "problems": list(verdict.problems)})
    return entry


def _resume(document: OutgoingDocument, dossier: Dossier, envelope: edxml.Envelope, now: dt.datetime) -> None:
    """The answer moves the dossier on from the outside agency's step (once: `resumed_at`)."""
    if document.resumed_at is not None or dossier.is_terminal or dossier.step_index != document.step_index:
        return
    note = (f"{envelope.sender.name} trả lời bằng văn bản số {envelope.code} ngày "
            f"{envelope.promulgation_date:%d/%m/%Y}: {envelope.subject}")

    def apply(d: Dossier, change: Change) -> None:
        change.step_index = d.step_index + 1
        change.agency = resolve_step_agency(d, change.step_index)
        change.target = status_at_step(d, change.step_index, change.agency)
        change.data.update({"step": d.steps[change.step_index]["key"], "system": STEP_SYSTEM,
                            "edxml_document": document.document_id, "edxml_answer": envelope.effective_document_id})

    try:
        transition(dossier.pk, "forward", actor=None, note=note[:2000], at=now, apply=apply)
    except WorkflowError as exc:
        logger.warning("Dossier %s not resumed by the answer to %s: %s", dossier.code, document.code, exc.code)
        return
    document.resumed_at = now
    document.save(update_fields=["resumed_at"])


# --- polling the hub -----------------------------------------------------------------------------------------------

@dataclass
class PollReport:
    resent: int = 0
    fetched: int = 0
    applied: int = 0
    rejected: int = 0
    errors: int = 0


def poll(*, at: dt.datetime | None = None, limit: int = 200) -> PollReport:
    now = at or timezone.now()
    report = PollReport()
    if not hub_configured():
        return report
    for document in OutgoingDocument.objects.filter(state=State.SENDING).order_by("pk")[:limit]:
        report.resent += 1
        send(document, at=now)
    try:
        with IntegrationClient(HUB_SYSTEM) as client:
            listed = client.call("received", "GET", edxml.PATH_RECEIVED, headers=_auth(),
                                 parse=lambda r: edxml.parse_hub_answer(r.content)).value
            if not listed.ok:
                raise IntegrationError(f"hub refused the list: {listed.error_code} {listed.message}")
            for item in listed.items[:limit]:
                doc_id = item["docId"]
                known = InboundMessage.objects.filter(hub_doc_id=doc_id).first()
                if known is None:
                    raw = client.call("get", "GET", edxml.PATH_GET.format(doc_id=doc_id), headers=_auth(),
                                      parse=lambda r: r.content).value
                    known = receive_message(doc_id, raw, at=now)
                    report.fetched += 1
                    if known.outcome == InboundMessage.Outcome.REJECTED:
                        report.rejected += 1
                    elif known.outcome in (InboundMessage.Outcome.APPLIED, InboundMessage.Outcome.ANSWER):
                        report.applied += 1
                if known.acknowledged_at is None:
                    acked = client.call("ack", "POST", edxml.PATH_ACK.format(doc_id=doc_id), headers=_auth(),
                                        idempotency_key=f"ack:{doc_id}",
                                        parse=lambda r: edxml.parse_hub_answer(r.content)).value
                    if acked.ok:
                        InboundMessage.objects.filter(pk=known.pk).update(acknowledged_at=now)
    except IntegrationError as exc:  # what was stored stays stored; the rest comes with the next poll
        report.errors += 1
        logger.warning("Polling the document exchange hub failed: %s", exc)
    return report


# --- the periodic poll chain (as the tax poll: one live chain, kept by a token) ------------------------------------

def polling_wanted() -> bool:
    return settings.MOTCUA_EDXML_POLL_SECONDS > 0 and hub_configured()


def ensure_polling(now: dt.datetime | None = None) -> bool:
    from motcua.docexchange.tasks import poll_document_exchange_task

    if not polling_wanted() or not poll_document_exchange_task.get_backend().supports_defer:
        return False
    now = now or timezone.now()
    interval = dt.timedelta(seconds=settings.MOTCUA_EDXML_POLL_SECONDS)
    row = PollSchedule.objects.filter(pk=1).first()
    if row is not None and row.next_run_at is not None and row.next_run_at > now - 2 * interval:
        return False
    if row is None:
        row, _created = PollSchedule.objects.get_or_create(pk=1)
    return continue_polling(str(row.token), now)


def continue_polling(token: str, now: dt.datetime | None = None) -> bool:
    from motcua.docexchange.tasks import poll_document_exchange_task

    now = now or timezone.now()
    wanted = polling_wanted()
    due = now + dt.timedelta(seconds=settings.MOTCUA_EDXML_POLL_SECONDS)
    with transaction.atomic():
        moved = PollSchedule.objects.filter(pk=1, token=token).update(
            token=uuid.uuid4() if wanted else token, next_run_at=due if wanted else None)
        if moved and wanted:
            fresh = PollSchedule.objects.get(pk=1).token
            poll_document_exchange_task.using(run_after=due).enqueue(str(fresh))
    return bool(moved)
