"""Petitions from the national portal's petitions system (PAKN) into the feedback app, and their answers back.

- `pull()` asks for the petitions assigned to the province's agencies (adapters.national_petitions, GUESSED shapes),
  stores each one under its national ID (unique: a petition pulled twice, or twice in one answer, is one), creates
  the local petition (channel "national portal") at the agency whose e-ID code is the item's MADONVI, or HOLDS it
  for the province admin with the reason (unknown agency code, unreadable item) — nothing is lost — and only after
  that local commit acknowledges it. An acknowledgement that failed is sent again by the next pull.
- `mark_answer_pending()` (called when a petition is answered or published) queues the answer; `push_answer()` sends
  it (idempotent on the national ID, with the publish flag) and, after a failure, the job queues itself again with
  a back-off; the pull chain also sends every answer that is due. Each call is recorded as a CallRecord.
- The periodic pull: a job chain like the tax poll (MOTCUA_PETITIONS_POLL_SECONDS, 0 = off).
docs/integrations.md, docs/feedback.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from motcua.adapters import national_petitions as pakn
from motcua.directory.models import Agency
from motcua.dossiers.actions import IntakeError
from motcua.feedback.models import Channel, Feedback, FeedbackKind, NationalPetition, NationalPetitionPoll, Status
from motcua.feedback.models import Subject as FeedbackSubject
from motcua.integrations.client import IntegrationClient, IntegrationError

logger = logging.getLogger(__name__)

SYSTEM = "national_petitions"
DEFAULT_KIND = "can_bo"  # the seeded kind "about an agency or its staff"; the clerk reclassifies at assignment
ANSWER_BACKOFF_CAP = dt.timedelta(hours=1)


def configured() -> bool:
    return SYSTEM in dict(settings.MOTCUA_INTEGRATION_SYSTEMS)


def poll_seconds() -> int:
    return int(getattr(settings, "MOTCUA_PETITIONS_POLL_SECONDS", 300))


@dataclass
class PullReport:
    pulled: int = 0
    created: int = 0
    held: int = 0
    duplicates: int = 0
    acknowledged: int = 0
    unreadable: int = 0  # items without a usable national ID: left unacknowledged at the national system
    answers_sent: int = 0
    error: str = ""


def _kind() -> FeedbackKind:
    kind = FeedbackKind.objects.filter(code=DEFAULT_KIND, is_active=True).first()
    kind = kind or FeedbackKind.objects.filter(is_active=True).order_by("pk").first()
    if kind is None:
        raise IntakeError({"kind": ("Chưa có loại phản ánh nào đang dùng.", "No active kind of petition.")})
    return kind


def _create_petition(record: NationalPetition, petition: pakn.NationalPetition, now: dt.datetime) -> str:
    """Create the local petition of RECORD (inside the caller's transaction), or give the reason to hold it."""
    agency = Agency.objects.filter(eid_code=record.agency_code, is_active=True).first()
    if agency is None:
        return (f"Mã đơn vị (MADONVI) «{record.agency_code}» không khớp cơ quan nào của tỉnh: "
                f"chọn cơ quan có thẩm quyền rồi tạo lại phản ánh.")[:300]
    from motcua.feedback.actions import Petitioner, submit_feedback

    title = petition.title or petition.content.splitlines()[0][:200]
    try:
        with transaction.atomic():
            feedback = submit_feedback(
                kind=_kind(), subject=FeedbackSubject.AGENCY, title=title[:200], content=petition.content,
                agency=agency, channel=Channel.NATIONAL_PORTAL, actor=None,
                petitioner=Petitioner(name=petition.name, phone=petition.phone, email=petition.email,
                                      address=petition.address),
                consent_to_publish=petition.consent_to_publish, idempotency_key=f"pakn:{record.national_id}", at=now)
    except IntakeError as exc:
        return ("Không tạo được phản ánh: " + "; ".join(f"{k}: {v[0]}" for k, v in exc.errors.items()))[:300]
    record.feedback = feedback
    return ""


def _store(item: pakn.PulledItem, now: dt.datetime) -> str:
    """Store one pulled item; returns created / held / duplicate."""
    if NationalPetition.objects.filter(national_id=item.national_id).exists():
        return "duplicate"
    raw = item.raw if isinstance(item.raw, dict) else {"value": repr(item.raw)[:2000]}
    try:
        with transaction.atomic():
            record = NationalPetition(national_id=item.national_id, payload=raw, pulled_at=now,
                                      agency_code=str(raw.get("MADONVI") or "")[:60])
            if item.petition is None:
                reason = f"Dữ liệu không đọc được: {item.error}"[:300]
            else:
                reason = _create_petition(record, item.petition, now)
            record.state = NationalPetition.State.HELD if reason else NationalPetition.State.CREATED
            record.reason = reason
            record.save()
    except IntegrityError:  # a concurrent pull stored it first
        return "duplicate"
    return "held" if reason else "created"


def _acknowledge(client: IntegrationClient, record: NationalPetition, now: dt.datetime) -> bool:
    try:
        client.call(pakn.SERVICE_ACK, "POST", pakn.PATH,
                    json=pakn.build_ack_request(record.national_id, record.agency_code),
                    idempotency_key=f"pakn-ack:{record.national_id}",
                    parse=lambda r: pakn.parse_ack_answer(r.content))
    except IntegrationError as exc:
        logger.warning("PAKN %s: acknowledgement failed: %s", record.national_id, exc)
        return False
    NationalPetition.objects.filter(pk=record.pk).update(acknowledged_at=now)
    return True


def pull(now: dt.datetime | None = None) -> PullReport:
    """One pull (see the module docstring). Never raises for the national system's faults: they are in the report
    and in the call records; what was not stored is not acknowledged, so the national system sends it again."""
    report = PullReport()
    if not configured():
        report.error = "not configured"
        return report
    now = now or timezone.now()
    with IntegrationClient(SYSTEM) as client:
        try:
            items = client.call(pakn.SERVICE_PULL, "POST", pakn.PATH,
                                json=pakn.build_pull_request(str(settings.MOTCUA_PROVINCE_CODE)),
                                idempotency_key=f"pakn-pull:{uuid.uuid4()}",
                                parse=lambda r: pakn.parse_pull_answer(r.content)).value
        except IntegrationError as exc:
            report.error = str(exc)[:500]
            items = []
        report.pulled = len(items)
        for item in items:
            if not item.national_id:
                report.unreadable += 1
                logger.warning("PAKN: an item without a usable MAPAKN was left at the national system: %s",
                               item.error)
                continue
            outcome = _store(item, now)
            if outcome == "created":
                report.created += 1
            elif outcome == "held":
                report.held += 1
            else:
                report.duplicates += 1
        if not report.error:
            for record in NationalPetition.objects.filter(acknowledged_at__isnull=True).order_by("pk")[:500]:
                if _acknowledge(client, record, now):
                    report.acknowledged += 1
    report.answers_sent = drain_answers(now)
    return report


def release_held(record: NationalPetition, now: dt.datetime | None = None) -> bool:
    """Try again to create the petition of a HELD record (after the province admin corrected its agency code).
    True when it is now created."""
    now = now or timezone.now()
    with transaction.atomic():
        record = NationalPetition.objects.select_for_update().get(pk=record.pk)
        if record.state != NationalPetition.State.HELD:
            return record.state == NationalPetition.State.CREATED
        try:
            petition = pakn.petition_from_wire({**record.payload, "MADONVI": record.agency_code})
        except pakn.PetitionMessageError as exc:
            record.reason = f"Dữ liệu không đọc được: {exc}"[:300]
        else:
            record.reason = _create_petition(record, petition, now)
        if not record.reason:
            record.state = NationalPetition.State.CREATED
        record.save()
    return record.state == NationalPetition.State.CREATED


# --- answers back ----------------------------------------------------------------------------------------------------

def mark_answer_pending(feedback: Feedback) -> None:
    """The petition was answered (or published): queue its answer for the national system, after commit."""
    if feedback.channel != Channel.NATIONAL_PORTAL:
        return
    moved = NationalPetition.objects.filter(feedback=feedback).update(
        answer_state=NationalPetition.AnswerState.PENDING, answer_next_at=None, answer_error="")  # due at once
    if moved:
        pk = NationalPetition.objects.filter(feedback=feedback).values_list("pk", flat=True).first()
        transaction.on_commit(lambda: _enqueue_push(pk))


def _enqueue_push(pk: int | None, at: dt.datetime | None = None) -> None:
    from motcua.feedback.tasks import push_petition_answer_task

    if pk is None:
        return
    if at is not None:
        if push_petition_answer_task.get_backend().supports_defer:
            push_petition_answer_task.using(run_after=at).enqueue(pk)
        return  # without deferred jobs the pull chain sends it when due
    push_petition_answer_task.enqueue(pk)


def _backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(seconds=30 * 2 ** min(attempts - 1, 10)), ANSWER_BACKOFF_CAP)


def push_answer(pk: int, now: dt.datetime | None = None) -> str:
    """Send the answer of national petition PK: sent / retry / nothing (not pending, or not configured)."""
    now = now or timezone.now()
    record = NationalPetition.objects.select_related("feedback", "feedback__agency").filter(pk=pk).first()
    if record is None or record.answer_state != NationalPetition.AnswerState.PENDING or record.feedback is None:
        return "nothing"
    if not configured():
        return "nothing"
    feedback = record.feedback
    published = feedback.status == Status.PUBLISHED
    # Published: the masked text (what the portal may show to anyone); else the reply itself, for the petitioner.
    body = pakn.build_answer_request(
        record.national_id, record.agency_code or feedback.agency.eid_code,
        feedback.published_reply if published else feedback.reply,
        answered_by=feedback.agency.name, answered_on=timezone.localtime(feedback.answered_at or now).date(),
        publish=published)
    try:
        with IntegrationClient(SYSTEM) as client:
            client.call(pakn.SERVICE_ANSWER, "POST", pakn.PATH, json=body,
                        idempotency_key=f"pakn-answer:{record.national_id}:{feedback.version}",
                        parse=lambda r: pakn.parse_answer_answer(r.content))
    except IntegrationError as exc:
        attempts = record.answer_attempts + 1
        next_at = now + _backoff(attempts)
        NationalPetition.objects.filter(pk=pk, answer_state=NationalPetition.AnswerState.PENDING).update(
            answer_attempts=attempts, answer_next_at=next_at, answer_error=str(exc)[:500])
        _enqueue_push(pk, next_at)
        return "retry"
    # Sent: unless the petition changed meanwhile (published while sending: its own push is queued).
    NationalPetition.objects.filter(pk=pk, answer_state=NationalPetition.AnswerState.PENDING).filter(
        feedback__version=feedback.version).update(answer_state=NationalPetition.AnswerState.SENT,
                                                   answer_sent_at=now, answer_error="")
    return "sent"


def drain_answers(now: dt.datetime | None = None, limit: int = 200) -> int:
    """Send the answers that are due (and catch any answered petition whose answer was never queued)."""
    now = now or timezone.now()
    if not configured():
        return 0
    for record in NationalPetition.objects.filter(
            answer_state="", feedback__answered_at__isnull=False).select_related("feedback")[:limit]:
        assert record.feedback is not None  # noqa: S101 - filtered
        mark_answer_pending(record.feedback)
    sent = 0
    due = NationalPetition.objects.filter(answer_state=NationalPetition.AnswerState.PENDING).filter(
        Q(answer_next_at__isnull=True) | Q(answer_next_at__lte=now)).values_list("pk", flat=True)[:limit]
    for pk in list(due):
        sent += push_answer(pk, now) == "sent"
    return sent


# --- the periodic pull chain ---------------------------------------------------------------------------------

def polling_wanted() -> bool:
    return poll_seconds() > 0 and configured()


def ensure_polling(now: dt.datetime | None = None) -> bool:
    """Make sure one chain of periodic pulls is queued (like `taxexchange.actions.ensure_polling`)."""
    from motcua.feedback.tasks import pull_national_petitions_task

    if not polling_wanted() or not pull_national_petitions_task.get_backend().supports_defer:
        return False
    now = now or timezone.now()
    interval = dt.timedelta(seconds=poll_seconds())
    row = NationalPetitionPoll.objects.filter(pk=1).first()
    if row is not None and row.next_run_at is not None and row.next_run_at > now - 2 * interval:
        return False
    if row is None:
        row, _created = NationalPetitionPoll.objects.get_or_create(pk=1)
    return continue_polling(str(row.token), now)


def continue_polling(token: str, now: dt.datetime | None = None) -> bool:
    from motcua.feedback.tasks import pull_national_petitions_task

    now = now or timezone.now()
    wanted = polling_wanted()
    due = now + dt.timedelta(seconds=poll_seconds())
    with transaction.atomic():
        moved = NationalPetitionPoll.objects.filter(pk=1, token=token).update(
            token=uuid.uuid4() if wanted else token, next_run_at=due if wanted else None)
        if moved and wanted:
            fresh = NationalPetitionPoll.objects.get(pk=1).token
            pull_national_petitions_task.using(run_after=due).enqueue(str(fresh))
    return bool(moved)
