"""Every write of the feedback app: one verb per action, one transaction each (through `workflow.transition`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from motcua.calendar.service import WorkingCalendar
from motcua.catalog.models import Procedure
from motcua.directory.models import Agency, Role
from motcua.directory.selectors import has_role
from motcua.dossiers.actions import IntakeError
from motcua.dossiers.codes import new_lookup_secret
from motcua.dossiers.workflow import WorkflowError
from motcua.feedback import workflow
from motcua.feedback.masking import mask_personal_data
from motcua.feedback.models import (
    Channel,
    Classification,
    Feedback,
    FeedbackKind,
    FeedbackSequence,
    Status,
    Subject,
)
from motcua.identity.models import User
from motcua.notifications.actions import normalize_email, normalize_phone

MAX_CONTENT = 5000


@dataclass(frozen=True)
class Petitioner:
    name: str
    phone: str = ""
    email: str = ""
    address: str = ""


def calendar() -> WorkingCalendar:
    return WorkingCalendar.for_province(settings.MOTCUA_PROVINCE_CODE)


def due_for(kind: FeedbackKind, start: dt.datetime) -> dt.datetime:
    """The legal deadline: KIND's working days on the province's calendar from START (15:00 cut-off applies)."""
    return calendar().due_at(start, kind.deadline_days)


def _next_number(agency: Agency, day: dt.date) -> int:
    FeedbackSequence.objects.bulk_create([FeedbackSequence(agency=agency, day=day, value=0)], ignore_conflicts=True)
    row = FeedbackSequence.objects.select_for_update().get(agency=agency, day=day)
    FeedbackSequence.objects.filter(pk=row.pk).update(value=F("value") + 1)
    return row.value + 1


def draw_code(agency: Agency, day: dt.date) -> str:
    """`PA-<agency e-ID>-<yyMMdd>-<NNNN>`: like a dossier code, with its own daily sequence and prefix."""
    return f"PA-{agency.eid_code}-{day:%y%m%d}-{_next_number(agency, day):04d}"


def _fingerprint(**parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _errors(*, kind: FeedbackKind | None, subject: str, procedure: Procedure | None, procedure_code: str,
            dossier_code: str, title: str, content: str, agency: Agency | None, petitioner: Petitioner,
            channel: str, actor: User | None, receiving: Agency | None) -> dict[str, tuple[str, str]]:
    errors: dict[str, tuple[str, str]] = {}
    if kind is None:
        errors["kind"] = ("Vui lòng chọn loại phản ánh, kiến nghị.", "Choose the kind of petition.")
    if subject not in Subject.values:
        errors["subject"] = ("Vui lòng chọn nội dung phản ánh về thủ tục, hồ sơ hay cơ quan.",
                             "Choose whether it is about a procedure, a dossier or an agency.")
    elif subject == Subject.PROCEDURE and procedure is None:
        errors["procedure_code"] = (
            "Không tìm thấy thủ tục với mã này." if procedure_code else "Vui lòng nhập mã thủ tục.",
            "No procedure has this code." if procedure_code else "Enter the procedure's code.")
    elif subject == Subject.DOSSIER and not dossier_code.strip():
        errors["dossier_code"] = ("Vui lòng nhập mã hồ sơ.", "Enter the dossier's code.")
    if agency is None:
        errors["agency"] = ("Vui lòng chọn cơ quan có thẩm quyền.", "Choose the competent agency.")
    if not petitioner.name.strip():
        errors["name"] = ("Vui lòng nhập họ tên.", "Enter your name.")
    elif len(petitioner.name.strip()) > 200:
        errors["name"] = ("Họ tên dài tối đa 200 ký tự.", "The name may have at most 200 characters.")
    if len(petitioner.address.strip()) > 300:
        errors["address"] = ("Địa chỉ dài tối đa 300 ký tự.", "The address may have at most 300 characters.")
    if petitioner.phone.strip() and (len(petitioner.phone.strip()) > 20 or normalize_phone(petitioner.phone) is None):
        errors["phone"] = ("Số điện thoại không hợp lệ (số Việt Nam, ví dụ 0912 345 678).",
                           "Enter a valid Vietnamese phone number, e.g. 0912 345 678.")
    if petitioner.email.strip() and (len(petitioner.email.strip()) > 254 or normalize_email(petitioner.email) is None):
        errors["email"] = ("Địa chỉ email không hợp lệ, ví dụ ten@example.vn.",
                           "Enter a valid email address, e.g. name@example.vn.")
    if (not petitioner.phone.strip() and not petitioner.email.strip()
            and channel not in (Channel.COUNTER, Channel.NATIONAL_PORTAL)):  # answered back through the portal
        errors["phone"] = ("Vui lòng nhập số điện thoại hoặc email để nhận trả lời.",
                           "Enter a phone number or an email address to receive the answer.")
    if not title.strip():
        errors["title"] = ("Vui lòng nhập tiêu đề.", "Enter a title.")
    elif len(title) > 200:
        errors["title"] = ("Tiêu đề dài tối đa 200 ký tự.", "The title may have at most 200 characters.")
    if not content.strip():
        errors["content"] = ("Vui lòng nhập nội dung phản ánh, kiến nghị.", "Enter what the petition says.")
    elif len(content) > MAX_CONTENT:
        errors["content"] = (f"Nội dung dài tối đa {MAX_CONTENT} ký tự.",
                             f"The text may have at most {MAX_CONTENT} characters.")
    if channel == Channel.COUNTER and (receiving is None or actor is None
                                       or not has_role(actor, receiving, Role.CLERK)):
        errors["receiving_agency"] = ("Chỉ công chức Bộ phận Một cửa được nhập phản ánh tại quầy.",
                                      "Only a one-stop clerk may enter a petition at the counter.")
    return errors


def submit_feedback(
    *, kind: FeedbackKind | None, subject: str, title: str, content: str, agency: Agency | None,
    petitioner: Petitioner, channel: str, actor: User | None, procedure_code: str = "", dossier_code: str = "",
    consent_to_publish: bool = False, receiving_agency: Agency | None = None, idempotency_key: str | None = None,
    at: dt.datetime | None = None,
) -> Feedback:
    """A new petition with its code, look-up secret and legal deadline; raises IntakeError (bilingual, per field).

    With IDEMPOTENCY_KEY a retry gives back the petition the first call made (the same request; a different
    request under a used key is refused), however the two calls interleave."""
    now = at or timezone.now()
    procedure = (Procedure.objects.filter(national_code=procedure_code.strip()).first()
                 if subject == Subject.PROCEDURE and procedure_code.strip() else None)
    fingerprint = _fingerprint(kind=kind.pk if kind else None, subject=subject, title=title, content=content,
                               agency=agency.pk if agency else None, petitioner=asdict(petitioner),
                               channel=channel, procedure=procedure_code, dossier=dossier_code,
                               consent=consent_to_publish)
    if idempotency_key:
        existing = Feedback.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replay(existing, fingerprint)
    errors = _errors(kind=kind, subject=subject, procedure=procedure, procedure_code=procedure_code,
                     dossier_code=dossier_code, title=title, content=content, agency=agency, petitioner=petitioner,
                     channel=channel, actor=actor, receiving=receiving_agency)
    if errors:
        raise IntakeError(errors)
    assert kind is not None and agency is not None  # noqa: S101 - checked above
    receiving = receiving_agency or agency
    try:
        with transaction.atomic():
            local_day = timezone.localtime(now).date()
            feedback = Feedback.objects.create(
                code=draw_code(receiving, local_day), lookup_secret=new_lookup_secret(), kind=kind, subject=subject,
                procedure=procedure, dossier_code=dossier_code.strip().upper()[:60], title=title.strip(),
                content=content.strip(), channel=channel,
                petitioner=actor if actor is not None and channel != Channel.COUNTER else None,
                petitioner_name=petitioner.name.strip(), petitioner_phone=petitioner.phone.strip(),
                petitioner_email=petitioner.email.strip(), petitioner_address=petitioner.address.strip(),
                consent_to_publish=consent_to_publish, agency=agency, received_by_agency=receiving,
                received_at=now, due_at=due_for(kind, now), idempotency_key=idempotency_key or None,
                request_fingerprint=fingerprint,
            )
            workflow.record_creation(feedback, actor=actor, at=now)
    except IntegrityError:
        if idempotency_key:  # a concurrent retry with the same key won the race
            existing = Feedback.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _replay(existing, fingerprint)
        raise
    return feedback


def _replay(existing: Feedback, fingerprint: str) -> Feedback:
    if existing.request_fingerprint != fingerprint:
        raise IntakeError({"idempotency_key": ("Mã chống gửi trùng đã được dùng cho một phản ánh khác.",
                                               "This idempotency key was already used for a different petition.")})
    return existing


# --- handling ---------------------------------------------------------------------------------------------------

def assign_feedback(feedback: Feedback, *, actor: User, classification: str, kind: FeedbackKind | None = None,
                    assignee: User | None = None, note: str = "", expected_version: int | None = None,
                    at: dt.datetime | None = None) -> Feedback:
    """Classify and give to a specialist of the agency. A new kind recomputes the deadline from receipt."""
    if classification not in {c for c in Classification.values if c}:
        raise WorkflowError("classification", "Vui lòng chọn phân loại.", "Choose a classification.")

    def apply(f: Feedback, change: workflow.Change) -> None:
        if assignee is not None and not has_role(assignee, f.agency, Role.SPECIALIST) and not has_role(
                assignee, f.agency, Role.LEADER):
            raise WorkflowError("bad_assignee", "Người được giao không phải cán bộ của cơ quan này.",
                                "The assignee is not a specialist or leader of this agency.")
        f.classification = classification
        f.assignee = assignee
        change.data.update(classification=classification, assignee=assignee.pk if assignee else None)
        if kind is not None and kind.pk != f.kind_id:
            change.data.update(kind=kind.code, previous_due_at=f.due_at.isoformat())
            f.kind = kind
            f.due_at = due_for(kind, f.received_at)
            change.data["due_at"] = f.due_at.isoformat()

    return workflow.transition(feedback.pk, "assign", actor=actor, note=note, expected_version=expected_version,
                               at=at, apply=apply)[0]


def start_feedback(feedback: Feedback, *, actor: User, expected_version: int | None = None,
                   at: dt.datetime | None = None) -> Feedback:
    return workflow.transition(feedback.pk, "start", actor=actor, expected_version=expected_version, at=at)[0]


def draft_reply(feedback: Feedback, *, actor: User, reply: str, expected_version: int | None = None,
                at: dt.datetime | None = None) -> Feedback:
    if not reply.strip():
        raise WorkflowError("reply_required", "Vui lòng nhập nội dung trả lời.", "Write the reply.")

    def apply(f: Feedback, change: workflow.Change) -> None:
        f.reply = reply.strip()[:MAX_CONTENT]
        f.reply_approved_by = None

    return workflow.transition(feedback.pk, "draft_reply", actor=actor, expected_version=expected_version, at=at,
                               apply=apply)[0]


def send_back_reply(feedback: Feedback, *, actor: User, note: str, expected_version: int | None = None,
                    at: dt.datetime | None = None) -> Feedback:
    def apply(f: Feedback, change: workflow.Change) -> None:
        f.reply_approved_by = None

    return workflow.transition(feedback.pk, "send_back", actor=actor, note=note, expected_version=expected_version,
                               at=at, apply=apply)[0]


def approve_reply(feedback: Feedback, *, actor: User, expected_version: int | None = None,
                  at: dt.datetime | None = None) -> Feedback:
    def apply(f: Feedback, change: workflow.Change) -> None:
        f.reply_approved_by = actor

    return workflow.transition(feedback.pk, "approve_reply", actor=actor, expected_version=expected_version, at=at,
                               apply=apply)[0]


def answer_feedback(feedback: Feedback, *, actor: User, expected_version: int | None = None,
                    at: dt.datetime | None = None) -> Feedback:
    """Send the leader-approved reply to the citizen; on time when sent by the deadline (indicator 5a)."""
    now = at or timezone.now()

    def apply(f: Feedback, change: workflow.Change) -> None:
        f.answered_at = now
        f.on_time = now <= f.due_at
        change.data.update(on_time=f.on_time, due_at=f.due_at.isoformat())

    with transaction.atomic():
        done = workflow.transition(feedback.pk, "answer", actor=actor, expected_version=expected_version, at=now,
                                   apply=apply)[0]
        _answer_to_national_portal(done)
    return done


def _answer_to_national_portal(feedback: Feedback) -> None:
    """A petition pulled from the national petitions system: queue its answer (and publish flag) for it."""
    if feedback.channel == Channel.NATIONAL_PORTAL:
        from motcua.feedback.national_petitions import mark_answer_pending

        mark_answer_pending(feedback)


def known_names(feedback: Feedback) -> list[str]:
    """Names the system knows around the petition: the petitioner's, and those of the agencies' staff."""
    from motcua.directory.models import StaffAssignment

    staff = StaffAssignment.objects.filter(agency__in=[feedback.agency_id, feedback.received_by_agency_id])
    return [feedback.petitioner_name, *{name for name in staff.values_list("user__full_name", flat=True) if name}]


def publish_feedback(feedback: Feedback, *, actor: User, expected_version: int | None = None,
                     at: dt.datetime | None = None) -> Feedback:
    """Publish the question and the answer with personal data masked (only when the petitioner agreed)."""
    now = at or timezone.now()

    def apply(f: Feedback, change: workflow.Change) -> None:
        names = known_names(f)
        f.published_title = mask_personal_data(f.title, names)
        f.published_content = mask_personal_data(f.content, names)
        f.published_reply = mask_personal_data(f.reply, names)
        f.published_at = now

    with transaction.atomic():
        done = workflow.transition(feedback.pk, "publish", actor=actor, expected_version=expected_version, at=now,
                                   apply=apply)[0]
        _answer_to_national_portal(done)
    return done


def close_feedback(feedback: Feedback, *, actor: User, note: str, expected_version: int | None = None,
                   at: dt.datetime | None = None) -> Feedback:
    return workflow.transition(feedback.pk, "close", actor=actor, note=note, expected_version=expected_version,
                               at=at)[0]


def transfer_feedback(feedback: Feedback, *, actor: User, to_agency: Agency | None, note: str,
                      expected_version: int | None = None, at: dt.datetime | None = None) -> Feedback:
    """Hand the petition to the competent agency; its deadline counts again from the transfer."""
    now = at or timezone.now()

    def apply(f: Feedback, change: workflow.Change) -> None:
        if to_agency is None or not to_agency.is_active or to_agency.pk == f.agency_id:
            raise WorkflowError("bad_agency", "Vui lòng chọn một cơ quan khác để chuyển.",
                                "Choose another agency to transfer to.")
        change.data.update(from_agency=f.agency.eid_code, to_agency=to_agency.eid_code,
                           previous_due_at=f.due_at.isoformat())
        f.agency = to_agency
        f.assignee = None
        f.classification = ""
        f.due_at = due_for(f.kind, now)
        change.data["due_at"] = f.due_at.isoformat()
        change.to_agency = to_agency

    return workflow.transition(feedback.pk, "transfer", actor=actor, note=note, expected_version=expected_version,
                               at=now, apply=apply)[0]


def merge_feedback(feedback: Feedback, *, actor: User, into_code: str, note: str = "",
                   expected_version: int | None = None, at: dt.datetime | None = None) -> Feedback:
    """Mark FEEDBACK a duplicate of the petition INTO_CODE of the same agency; it is answered with that one."""
    target = Feedback.objects.filter(code=into_code.strip().upper()).first()

    def apply(f: Feedback, change: workflow.Change) -> None:
        if target is None or target.pk == f.pk or target.agency_id != f.agency_id or target.status == Status.MERGED:
            raise WorkflowError("bad_target", "Không có phản ánh nào khác của cơ quan với mã này để gộp vào.",
                                "No other petition of this agency has this code.")
        f.merged_into = target
        change.data["merged_into"] = target.code

    return workflow.transition(feedback.pk, "merge", actor=actor, note=note or (target.code if target else into_code),
                               expected_version=expected_version, at=at, apply=apply)[0]


def rate_feedback(feedback: Feedback, *, rating: int, comment: str = "", actor: User | None = None,
                  holds_secret: bool = False, at: dt.datetime | None = None) -> Feedback:
    """The petitioner rates the answer once (1–5), signed in or with the code and look-up secret."""
    now = at or timezone.now()
    if rating not in range(1, 6):
        raise WorkflowError("rating", "Vui lòng chọn mức đánh giá từ 1 đến 5.", "Choose a rating from 1 to 5.")

    def apply(f: Feedback, change: workflow.Change) -> None:
        f.rating, f.rating_comment, f.rated_at = rating, comment.strip()[:500], now
        change.data["rating"] = rating

    return workflow.transition(feedback.pk, "rate", actor=actor, holds_secret=holds_secret, at=now,
                               apply=apply)[0]
