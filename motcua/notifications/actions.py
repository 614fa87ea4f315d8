"""Every write of the notifications app: the outbox rows of a dossier event, their delivery and its recovery.

1. `enqueue_for_event(event)` runs inside the transition's transaction, right after the event row: it writes one
   `OutboundMessage` per channel and recipient (a unique constraint makes a second call a no-op) and asks for
   delivery once the transaction commits.
2. `deliver(message_id)` (the job) claims a due message with a conditional UPDATE pending → sending, hands it
   to its transport with the message uid as the provider's idempotency key, and records the outcome: sent, or
   pending again with a backoff, or failed for good after `MOTCUA_NOTIFY_MAX_ATTEMPTS` attempts.
3. `sweep()` (periodic) takes back messages whose worker died (lease expired) and re-queues overdue ones.

Nothing here may block or roll back a dossier transition: a notification problem is logged and left behind.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.notifications.models import (
    Channel,
    DeliveryAttempt,
    Kind,
    MessageTemplate,
    OutboundMessage,
    SweepSchedule,
)
from motcua.notifications.models import Status as MessageStatus
from motcua.notifications.rendering import TemplateError, event_variables, render
from motcua.notifications.transports import PermanentFailure, TemporaryFailure, transport_for

logger = logging.getLogger(__name__)


# --- which events, to whom -------------------------------------------------------------------------

def kind_of(event: DossierEvent) -> Kind | None:
    """The kind of message EVENT calls for, or None when the applicant is not told about it."""
    if not event.is_public or (event.data or {}).get("awaiting_notice"):
        return None  # (a pause at the sending of the tax form: the citizen is told with the notice's amounts)
    by_action = {
        "receive": Kind.RECEIVED,
        "request_supplement": Kind.SUPPLEMENT_REQUESTED,
        "pause_for_fees": Kind.PAUSED_FOR_FEES,
        "tax_notice": Kind.PAUSED_FOR_FEES,  # the tax authority's amounts (again when they change)
        "return_result": Kind.RETURNED,
        "extend": Kind.EXTENDED,
        "refuse": Kind.REFUSED,
    }
    if event.action in by_action:
        return by_action[event.action]
    if event.to_status == Status.RESULT_READY and event.from_status != Status.RESULT_READY:
        return Kind.RESULT_READY
    return None


def normalize_phone(raw: str) -> str | None:
    """A Vietnamese number as 84xxxxxxxxx (what ZNS and the SMS gateways want), or None if it is not one.

    Numbers outside Vietnam are not messaged (SMS pumping: see reliability-anchors A13)."""
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw.strip(), "VN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        return None
    return f"84{number.national_number}"


def normalize_email(raw: str) -> str | None:
    address = (raw or "").strip()
    if not address:
        return None
    try:
        validate_email(address)
    except ValidationError:
        return None
    local, _at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def contact_of(dossier: Dossier) -> tuple[str | None, str | None]:
    """The applicant's phone and email: those written on the dossier, else those of the applicant's account."""
    account = dossier.applicant
    phone = normalize_phone(dossier.applicant_phone) or (normalize_phone(account.phone) if account else None)
    email = normalize_email(dossier.applicant_email) or (normalize_email(account.email) if account else None)
    return phone, email


@dataclass(frozen=True)
class Planned:
    channel: Channel
    recipient: str
    template: MessageTemplate


def plan(event: DossierEvent, kind: Kind) -> list[Planned]:
    """The messages KIND of EVENT calls for under the enabled channels and the active templates.

    Email goes to the email address. The phone gets Zalo ZNS when the kind's ZNS template has a Zalo template
    id, otherwise SMS (SMS also stands in later when ZNS finally fails: see `_fall_back_to_sms`)."""
    phone, email = contact_of(event.dossier)
    return plan_for(kind, phone, email)


def plan_for(kind: Kind, phone: str | None, email: str | None) -> list[Planned]:
    """The messages of KIND to PHONE and EMAIL (either may be None) under the channels and templates."""
    channels = set(settings.MOTCUA_NOTIFY_CHANNELS)
    templates = {t.channel: t for t in MessageTemplate.objects.filter(kind=kind, is_active=True)}
    planned: list[Planned] = []
    if email and Channel.EMAIL in channels and Channel.EMAIL in templates:
        planned.append(Planned(Channel.EMAIL, email, templates[Channel.EMAIL]))
    if phone:
        zns = templates.get(Channel.ZNS)
        if Channel.ZNS in channels and zns is not None and zns.zns_template_id:
            planned.append(Planned(Channel.ZNS, phone, zns))
        elif Channel.SMS in channels and Channel.SMS in templates:
            planned.append(Planned(Channel.SMS, phone, templates[Channel.SMS]))
    return planned


def _content(template: MessageTemplate, variables: dict[str, str]) -> dict[str, Any]:
    if template.channel == Channel.ZNS:
        return {"zns_template_id": template.zns_template_id,
                "template_data": {name: variables.get(name, "") for name in template.zns_params}}
    return {"subject": render(template.subject, variables)[:200], "body": render(template.body, variables)}


# --- writing the outbox ------------------------------------------------------------------------------

def _write(items: Iterable[Any], variables: dict[str, Any], kind: Kind, key: dict[str, Any],
           defaults: dict[str, Any]) -> list[int]:
    """Write one outbox message per planned item (idempotent: KEY and the item's channel and recipient find one
    written before); the ids of those written now. A broken template skips its message, logged."""
    now = timezone.now()
    created: list[int] = []
    for item in items:
        try:
            content = _content(item.template, variables)
        except TemplateError:
            logger.exception("Template %s is broken; message to %s not written", item.template.pk, item.recipient)
            continue
        message, was_created = OutboundMessage.objects.get_or_create(
            **key, channel=item.channel, recipient=item.recipient,
            defaults={**defaults, "kind": kind, "variables": variables, **content, "next_attempt_at": now,
                      "enqueued_at": now, "created_at": now},
        )
        if was_created:
            created.append(message.pk)
    return created


def enqueue_for_dossier_event(dossier: Any, event: DossierEvent) -> None:
    """The workflow's subscriber (`motcua.dossiers.effects`): the messages of every dossier event."""
    enqueue_for_event(event)


def enqueue_for_event(event: DossierEvent) -> None:
    """Write the messages EVENT calls for, in the caller's transaction; deliver them after commit.

    Calling it twice for one event writes nothing the second time. A failure here is logged and does not
    disturb the transition (the messages of this event are then not sent)."""
    kind = kind_of(event)
    if kind is None:
        return
    try:
        with transaction.atomic():
            created = _write(plan(event, kind), event_variables(event), kind, {"event": event},
                             {"dossier_id": event.dossier_id})
    except Exception:
        logger.exception("Notifications for event %s could not be written", event.pk)
        return
    if created:
        transaction.on_commit(partial(schedule, created), robust=True)


def feedback_kind_of(event: Any) -> Kind | None:
    """The message a petition's event (`feedback.FeedbackEvent`) calls for, or None."""
    if not event.is_public:
        return None
    return {"submit": Kind.FEEDBACK_RECEIVED, "transfer": Kind.FEEDBACK_TRANSFERRED,
            "answer": Kind.FEEDBACK_ANSWERED, "merge": Kind.FEEDBACK_MERGED}.get(event.action)


def enqueue_for_feedback_event(event: Any, variables: Callable[[Any], dict[str, str]]) -> None:
    """As `enqueue_for_event`, for a petition's event, VARIABLES(event) giving its message variables
    (`feedback.messages.feedback_variables`): to the phone and email written on the petition, else those of the
    petitioner's account; in the caller's transaction, delivered after commit, never blocking."""
    kind = feedback_kind_of(event)
    if kind is None:
        return
    try:
        with transaction.atomic():
            feedback = event.feedback
            account = feedback.petitioner
            phone = normalize_phone(feedback.petitioner_phone) or (normalize_phone(account.phone) if account else None)
            email = normalize_email(feedback.petitioner_email) or (normalize_email(account.email) if account else None)
            created = _write(plan_for(kind, phone, email), variables(event), kind,
                             {"feedback_event": event}, {})
    except Exception:
        logger.exception("Notifications for petition event %s could not be written", event.pk)
        return
    if created:
        transaction.on_commit(partial(schedule, created), robust=True)


def schedule(message_ids: Iterable[int], at: dt.datetime | None = None) -> None:
    """Hand the delivery of MESSAGE_IDS to the job engine (at AT, when the backend can defer; otherwise the
    sweeper picks deferred messages up when they are due)."""
    from motcua.notifications.tasks import deliver_message

    task = deliver_message
    if at is not None and at > timezone.now():
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=at)
    for pk in message_ids:
        job = task.enqueue(pk)
        # Remembered so that the sweep can tell a message still waiting in the queue from a lost one.
        OutboundMessage.objects.filter(pk=pk).update(job_id=str(job.id)[:64])
    ensure_sweeping()


# --- delivering ------------------------------------------------------------------------------------

def backoff(attempts: int) -> dt.timedelta:
    """Wait before attempt ATTEMPTS + 1: the base doubled after each failure, capped."""
    seconds = settings.MOTCUA_NOTIFY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.MOTCUA_NOTIFY_BACKOFF_MAX_SECONDS))


def rate_limited_until(message: OutboundMessage, now: dt.datetime) -> dt.datetime | None:
    """When MESSAGE may go without exceeding the per-recipient limits of its channel (None: now)."""
    windows = [(dt.timedelta(hours=1), settings.MOTCUA_NOTIFY_RATE_PER_HOUR),
               (dt.timedelta(days=1), settings.MOTCUA_NOTIFY_RATE_PER_DAY)]
    longest = max(window for window, _limit in windows)
    others = OutboundMessage.objects.filter(channel=message.channel, recipient=message.recipient).exclude(
        pk=message.pk).filter(
        Q(status=MessageStatus.SENT, sent_at__gt=now - longest)
        | Q(status=MessageStatus.SENDING, claimed_at__gt=now - longest)
    )
    times: list[dt.datetime] = sorted(
        moment for sent, claimed in others.values_list("sent_at", "claimed_at")
        if (moment := sent or claimed) is not None
    )
    until: dt.datetime | None = None
    for window, limit in windows:
        if limit <= 0:
            continue
        recent = [t for t in times if t > now - window]
        if len(recent) >= limit:
            free_at = recent[len(recent) - limit] + window
            until = free_at if until is None else max(until, free_at)
    return until


def deliver(message_id: int, *, now: dt.datetime | None = None) -> str:
    """Try to send one message (the body of the delivery job). Returns what happened, for the job's result.

    Safe to run any number of times, concurrently: only the worker whose conditional UPDATE moves the message
    from pending to sending sends it."""
    now = now or timezone.now()
    message = OutboundMessage.objects.filter(pk=message_id).first()
    if message is None or message.status != MessageStatus.PENDING:
        return "not pending"
    if message.next_attempt_at > now:
        return "not due"
    wait = rate_limited_until(message, now)
    if wait is not None:
        OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.PENDING).update(
            next_attempt_at=wait, enqueued_at=now, updated_at=now,
            last_error="Vượt giới hạn gửi cho người nhận; chờ đến lượt (recipient rate limit; deferred)",
        )
        transaction.on_commit(partial(schedule, [message.pk], wait), robust=True)
        return "deferred"
    token = uuid.uuid4()
    claimed = OutboundMessage.objects.filter(
        pk=message.pk, status=MessageStatus.PENDING, next_attempt_at__lte=now,
    ).update(status=MessageStatus.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1,
             updated_at=now)
    if not claimed:
        return "claimed by another worker"
    message.refresh_from_db()
    try:
        accepted = transport_for(message.channel).send(message)
    except PermanentFailure as exc:
        _failed(message, token, now, str(exc), outcome=DeliveryAttempt.Outcome.FAILED)
        return "failed"
    except Exception as exc:
        detail = str(exc) if isinstance(exc, TemporaryFailure) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, TemporaryFailure):
            logger.exception("Unexpected error sending message %s", message.pk)
        return _retry_or_fail(message, token, now, detail)
    finished = timezone.now()

    def record_sent() -> None:
        with transaction.atomic():
            OutboundMessage.objects.filter(
                pk=message.pk, status__in=[MessageStatus.SENDING, MessageStatus.PENDING],
            ).update(status=MessageStatus.SENT, sent_at=finished,
                     provider_message_id=accepted.provider_message_id[:100], claim_token=None, last_error="",
                     updated_at=finished)
            DeliveryAttempt.objects.create(message=message, number=message.attempts,
                                           outcome=DeliveryAttempt.Outcome.SENT,
                                           detail=accepted.provider_message_id, started_at=now, finished_at=finished)

    _through_outage(record_sent)
    return "sent"


def _through_outage(write: Callable[[], None], *, seconds: float = 30.0) -> None:
    """Run WRITE (one transaction), again while the database is unreachable (a restart, a fail-over), for up to
    SECONDS. The provider has accepted the message: if "sent" were not written, the sweep would send it again
    (an email twice). Found by bench/reliability.py restarting PostgreSQL."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            write()
            return
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() > deadline:
                raise
            logger.warning("Database unreachable while recording a delivery; trying again")
            connection.close()
            time.sleep(0.5)


def _retry_or_fail(message: OutboundMessage, token: uuid.UUID, now: dt.datetime, detail: str) -> str:
    if message.attempts >= settings.MOTCUA_NOTIFY_MAX_ATTEMPTS:
        _failed(message, token, now, detail, outcome=DeliveryAttempt.Outcome.FAILED)
        return "failed"
    finished = timezone.now()
    retry_at = finished + backoff(message.attempts)
    with transaction.atomic():
        moved = OutboundMessage.objects.filter(
            pk=message.pk, status=MessageStatus.SENDING, claim_token=token,
        ).update(status=MessageStatus.PENDING, claim_token=None, next_attempt_at=retry_at, enqueued_at=finished,
                 last_error=detail[:2000], updated_at=finished)
        DeliveryAttempt.objects.create(message=message, number=message.attempts, outcome=DeliveryAttempt.Outcome.RETRY,
                                       detail=detail[:2000], started_at=now, finished_at=finished)
        if moved:
            transaction.on_commit(partial(schedule, [message.pk], retry_at), robust=True)
    return "retry"


def _failed(message: OutboundMessage, token: uuid.UUID | None, now: dt.datetime, detail: str, *,
            outcome: str) -> None:
    finished = timezone.now()
    with transaction.atomic():
        condition = Q(pk=message.pk, status=MessageStatus.SENDING)
        if token is not None:
            condition &= Q(claim_token=token)
        moved = OutboundMessage.objects.filter(condition).update(
            status=MessageStatus.FAILED, claim_token=None, last_error=detail[:2000], updated_at=finished)
        DeliveryAttempt.objects.create(message=message, number=message.attempts, outcome=outcome,
                                       detail=detail[:2000], started_at=now, finished_at=finished)
        if moved:
            _fall_back_to_sms(message, finished)


def _fall_back_to_sms(message: OutboundMessage, now: dt.datetime) -> None:
    """A ZNS message that finally failed (e.g. the number has no Zalo account) goes out as an SMS instead:
    a new outbox row for the same event, so still at most one SMS per event and recipient."""
    if (message.channel != Channel.ZNS or not settings.MOTCUA_NOTIFY_SMS_FALLBACK
            or Channel.SMS not in settings.MOTCUA_NOTIFY_CHANNELS):
        return
    template = MessageTemplate.objects.filter(kind=message.kind, channel=Channel.SMS, is_active=True).first()
    if template is None:
        return
    try:
        content = _content(template, message.variables)
    except TemplateError:
        logger.exception("SMS template %s is broken; no fallback for message %s", template.pk, message.pk)
        return
    sms, created = OutboundMessage.objects.get_or_create(
        event_id=message.event_id, feedback_event_id=message.feedback_event_id, channel=Channel.SMS,
        recipient=message.recipient,
        defaults={"dossier_id": message.dossier_id, "kind": message.kind, "variables": message.variables,
                  **content, "next_attempt_at": now, "enqueued_at": now, "created_at": now},
    )
    if created:
        transaction.on_commit(partial(schedule, [sms.pk]), robust=True)


def retry_now(message: OutboundMessage) -> bool:
    """An administrator sends a failed message again (same uid: the provider still sees one message)."""
    now = timezone.now()
    moved = OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=now, enqueued_at=now, updated_at=now)
    if moved:
        transaction.on_commit(partial(schedule, [message.pk]), robust=True)
    return bool(moved)


# --- recovery ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SweepReport:
    recovered: int
    failed: int
    requeued: int


def sweep(*, now: dt.datetime | None = None, batch: int = 500) -> SweepReport:
    """Take back messages whose worker stopped mid-delivery (their lease expired) and hand overdue pending
    messages to the job engine again. Idempotent; any number of sweepers may run."""
    now = now or timezone.now()
    lease = dt.timedelta(seconds=settings.MOTCUA_NOTIFY_LEASE_SECONDS)
    recovered = failed = 0
    stale = OutboundMessage.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - lease)
    for message in stale[:batch]:
        detail = "Tiến trình gửi dừng giữa chừng; gửi lại với cùng mã (worker stopped during delivery)"
        if message.attempts >= settings.MOTCUA_NOTIFY_MAX_ATTEMPTS:
            _failed(message, message.claim_token, message.claimed_at or now, detail,
                    outcome=DeliveryAttempt.Outcome.INTERRUPTED)
            failed += 1
            continue
        with transaction.atomic():
            moved = OutboundMessage.objects.filter(
                pk=message.pk, status=MessageStatus.SENDING, claim_token=message.claim_token,
            ).update(status=MessageStatus.PENDING, claim_token=None, next_attempt_at=now, enqueued_at=None,
                     last_error=detail, updated_at=now)
            if moved:
                DeliveryAttempt.objects.create(
                    message=message, number=message.attempts, outcome=DeliveryAttempt.Outcome.INTERRUPTED,
                    detail=detail, started_at=message.claimed_at or now, finished_at=now)
                recovered += 1
    requeue_after = dt.timedelta(seconds=settings.MOTCUA_NOTIFY_SWEEP_SECONDS)
    candidates = list(
        OutboundMessage.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=now - requeue_after))
        .order_by("next_attempt_at").values_list("pk", "job_id")[:batch]
    )
    # A message whose job is still waiting in the queue is not lost, only behind others: queueing it again
    # would add to the very backlog that delays it (seen at 10,000 submissions: half a million copies).
    waiting = {pk for pk, job_id in candidates if _job_waiting(job_id, now, lease)}
    if waiting:
        OutboundMessage.objects.filter(pk__in=waiting, status=MessageStatus.PENDING).update(enqueued_at=now)
    overdue = [pk for pk, _job_id in candidates if pk not in waiting]
    if overdue:
        OutboundMessage.objects.filter(pk__in=overdue, status=MessageStatus.PENDING).update(enqueued_at=now)
        transaction.on_commit(partial(schedule, overdue), robust=True)
    return SweepReport(recovered=recovered, failed=failed, requeued=len(overdue))


def _job_waiting(job_id: str, now: dt.datetime, lease: dt.timedelta) -> bool:
    """Whether the delivery job JOB_ID is still queued, or running and young enough for its worker to be alive.
    False when the backend cannot tell: the message is then queued again, which delivery tolerates."""
    from django_tasks import TaskResultStatus
    from django_tasks.exceptions import TaskException

    from motcua.notifications.tasks import deliver_message

    if not job_id:
        return False
    try:
        result = deliver_message.get_result(job_id)
    except (TaskException, NotImplementedError):
        return False
    if result.status == TaskResultStatus.READY:
        return True
    started = result.started_at
    return result.status == TaskResultStatus.RUNNING and started is not None and started > now - lease


def ensure_sweeping(now: dt.datetime | None = None) -> None:
    """Make sure one chain of periodic sweeps is queued (when the job backend can run jobs later).

    The chain lives in `SweepSchedule`: each sweep job carries the row's token and queues its successor only
    while it still holds the token, so duplicate chains die out and a lost chain is restarted here."""
    from motcua.notifications.tasks import sweep_outbox_task

    if not sweep_outbox_task.get_backend().supports_defer:
        return
    now = now or timezone.now()
    interval = dt.timedelta(seconds=settings.MOTCUA_NOTIFY_SWEEP_SECONDS)
    row = SweepSchedule.objects.filter(pk=1).first()
    if row is not None and row.next_run_at is not None and row.next_run_at > now - 2 * interval:
        return  # a sweep is queued and not overdue: the chain is alive
    if row is None:
        row, _created = SweepSchedule.objects.get_or_create(pk=1)
    continue_sweeping(str(row.token), now)


def continue_sweeping(token: str, now: dt.datetime | None = None) -> bool:
    """Queue the next sweep if TOKEN is still the chain's token (then a fresh token goes with the next job)."""
    from motcua.notifications.tasks import sweep_outbox_task

    now = now or timezone.now()
    due = now + dt.timedelta(seconds=settings.MOTCUA_NOTIFY_SWEEP_SECONDS)
    new_token = uuid.uuid4()
    with transaction.atomic():
        moved = SweepSchedule.objects.filter(pk=1, token=token).update(token=new_token, next_run_at=due)
        if moved:
            sweep_outbox_task.using(run_after=due).enqueue(str(new_token))
    return bool(moved)
