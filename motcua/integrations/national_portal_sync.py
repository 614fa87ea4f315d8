"""Outbound sync of dossier status changes to the national public-service portal (DVCQG): drains `PortalSync`.

Each public dossier event leaves a `PortalSync` row (written in the step's transaction by the workflow). `drain()`
sends them through `IntegrationClient("dvcqg")` and the adapter's messages (docs/integrations.md, "Sync to the
national portal"):

- **per dossier, in event order**: only a dossier's earliest unfinished row (pending or failed) is ever sent; a
  failed or backing-off row holds back every later row of the same dossier;
- **exactly once**: a row is marked sent in the same transaction that holds its row lock, only after the portal
  accepted both `DongBoHoSoMC` and `CapNhatTienDoHoSoMC` (success or its "already received" answer). A worker
  killed mid-send rolls back and the row is sent again later, which the portal's idempotency by MaHoSo and
  identical step makes harmless;
- a failure (timeouts and 5xx after the client's own retries, an open breaker, a refusal) backs the row off
  (`attempts`, `next_attempt_at`); after `MOTCUA_NATIONAL_PORTAL_SYNC_MAX_ATTEMPTS` it becomes `failed`, a dead
  item on the "Kết nối liên thông" page (retry / skip);
- session log-in, token cached in the process until its expiry, one re-login on the "session expired" answer;
- `TraCuuHoSo` before a dossier's first push (and before a row the nightly reconciliation queued again) decides
  `isUpdating`.

Off when the portal is not configured (`sync_configured()`): rows stay pending and nothing fails.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.adapters import national_portal as portal
from motcua.core import fastsql
from motcua.integrations.actions import shared_evidence_connection
from motcua.integrations.client import (
    CircuitBreaker,
    CircuitOpen,
    IntegrationClient,
    IntegrationError,
    MalformedResponse,
)
from motcua.integrations.portal_queue import NATIONAL_PORTAL
from motcua.integrations.selectors import portal_status_mapping

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier, DossierEvent

logger = logging.getLogger("motcua.integrations.national_portal")


class SyncFailure(Exception):
    """The portal did not accept a message (its answer, or no usable answer)."""


class PermanentSyncFailure(SyncFailure):
    """The row can never be sent as it is (e.g. a status with no portal code): failed at once."""


class PortalUnavailable(SyncFailure):
    """No answer from the portal (connection refused or dropped, time-out, 5xx after the client's own retries, or
    the breaker open): not this dossier's problem, so the pass stops instead of failing every other dossier too."""


def _failure(message: str, exc: IntegrationError) -> SyncFailure:
    answered = isinstance(exc, MalformedResponse) or (exc.status_code is not None and exc.status_code < 500)
    return SyncFailure(message) if answered and not isinstance(exc, CircuitOpen) else PortalUnavailable(message)


def sync_configured() -> bool:
    return bool(NATIONAL_PORTAL in dict(settings.MOTCUA_INTEGRATION_SYSTEMS)
                and settings.MOTCUA_NATIONAL_PORTAL_MADONVI and settings.MOTCUA_NATIONAL_PORTAL_USERNAME)


# --- session cache (per process) -------------------------------------------------------------------------------

_sessions: dict[tuple[str, str], portal.PortalSession] = {}
_sessions_lock = threading.Lock()


def forget_sessions() -> None:
    """Drop every cached portal session (tests; a process restart does the same)."""
    with _sessions_lock:
        _sessions.clear()


def _parse_answer(response: httpx.Response) -> portal.PortalAnswer:
    return portal.parse_answer(response.content)


class PortalConnection:
    """One client to the portal with the cached session; `operation` re-logs in once on "session expired"."""

    def __init__(self, *, transport: httpx.BaseTransport | None = None) -> None:
        self.client = IntegrationClient(NATIONAL_PORTAL, transport=transport)
        self.agency_code = settings.MOTCUA_NATIONAL_PORTAL_MADONVI
        self._key = (self.client.config.base_url, settings.MOTCUA_NATIONAL_PORTAL_USERNAME)
        self._status_mapping: dict[str, str] | None = None

    @property
    def status_mapping(self) -> dict[str, str]:
        """The province's status table, read once per connection (one drain pass), not once per row."""
        if self._status_mapping is None:
            self._status_mapping = portal_status_mapping()
        return self._status_mapping

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> PortalConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def session(self, *, renew: bool = False) -> str:
        now = timezone.now()
        with _sessions_lock:
            cached = _sessions.get(self._key)
            if cached is not None and not renew and cached.expires_at > now:
                return cached.token
            _sessions.pop(self._key, None)
        body = portal.build_login_request(settings.MOTCUA_NATIONAL_PORTAL_USERNAME,
                                          settings.MOTCUA_NATIONAL_PORTAL_PASSWORD)

        def parse(response: httpx.Response) -> portal.PortalSession:
            return portal.parse_login_answer(response.content, now=now)

        try:
            session = self.client.call("DangNhap", "POST", settings.MOTCUA_NATIONAL_PORTAL_AUTH_PATH, json=body,
                                       parse=parse, idempotency_key="session").value
        except IntegrationError as exc:
            raise _failure(f"log-in: {exc}", exc) from exc
        with _sessions_lock:
            _sessions[self._key] = session
        return session.token

    def operation(self, build: Any, *, service: str, key: str, dossier_id: int | None = None,
                  path: str | None = None, parse: Any = None) -> Any:
        """Send BUILD(session) as SERVICE (to PATH, default the operations path); on "session expired", log in
        again and send it once more. PARSE (default: the answer envelope) reads the body; its value must have
        `session_expired`, or be a tuple whose first item has it (the catalog parsers)."""
        answer = self._send(build(self.session()), service, key, dossier_id, path, parse)
        if _expired(answer):
            answer = self._send(build(self.session(renew=True)), service, key, dossier_id, path, parse)
        return answer

    def _send(self, body: dict[str, Any], service: str, key: str, dossier_id: int | None, path: str | None,
              parse: Any) -> Any:
        try:
            return self.client.call(service, "POST", path or settings.MOTCUA_NATIONAL_PORTAL_PATH,
                                    json=body, parse=parse or _parse_answer, idempotency_key=key,
                                    dossier_id=dossier_id).value
        except IntegrationError as exc:
            raise _failure(f"{service}: {exc}", exc) from exc


def _expired(value: Any) -> bool:
    answer = value[0] if isinstance(value, tuple) else value
    return bool(answer.session_expired)


# --- messages from a row ---------------------------------------------------------------------------------------

def portal_code(dossier: Any) -> str:
    """The dossier's MaHoSo: a dossier received from the portal keeps the portal's code."""
    from motcua.dossiers.models import Channel

    if dossier.channel == Channel.NATIONAL_PORTAL and dossier.external_id:
        return str(dossier.external_id)
    return str(dossier.code)


def _stamp(payload: dict[str, Any], name: str) -> dt.datetime | None:
    """A date the workflow stamped into the row at the event (site time zone, yyyyMMddHHmmss)."""
    text = str(payload.get(name) or "")
    if not text:
        return None
    naive = dt.datetime.strptime(text, portal.PORTAL_DATETIME_FORMAT)  # noqa: DTZ007 - zone attached below
    return timezone.make_aware(naive, timezone.get_default_timezone())


def messages_for(row: Any, status_mapping: dict[str, str] | None = None,
                 ) -> tuple[portal.PortalDossier, portal.ProgressStep]:
    """The dossier object and progress step of ROW's event, as of that event."""
    from motcua.dossiers.models import TERMINAL_STATUSES
    from motcua.dossiers.workflow import action_label_vi

    dossier, event = row.dossier, row.event
    try:
        status_code = portal.map_status(
            event.to_status, portal_status_mapping() if status_mapping is None else status_mapping)
    except portal.PortalMappingError as exc:
        raise PermanentSyncFailure(str(exc)) from exc
    code = portal_code(dossier)
    procedure = dossier.procedure
    agency = event.to_agency or dossier.current_agency
    due_at = _stamp(row.payload, "NgayHenTra") or dossier.effective_due_at
    received_at = _stamp(row.payload, "NgayTiepNhan") or dossier.received_at or dossier.submitted_at
    finished_at = dossier.finished_at if event.to_status in TERMINAL_STATUSES else None
    portal_dossier = portal.PortalDossier(
        code=code, procedure_code=portal.map_procedure_code(procedure.national_code),
        procedure_name=procedure.name, field_code=procedure.field.code, field_name=procedure.field.name,
        applicant_name=dossier.applicant_name, applicant_kind="2" if dossier.organisation_id else "1",
        applicant_id=dossier.applicant_id_number, received_at=received_at, due_at=due_at, status_code=status_code,
        handling_agency=agency.name, by_post=dossier.return_method in ("post", "postal"), receipt_number=dossier.code,
        email=dossier.applicant_email, phone=dossier.applicant_phone, summary=procedure.name,
        returned_at=finished_at if event.to_status == "returned" else None, finished_at=finished_at,
    )
    actor = event.actor
    handler = (actor.get_full_name() or actor.get_username()) if actor is not None else ""
    action = action_label_vi(event.action)
    step = portal.ProgressStep(
        dossier_code=code, handler=handler or agency.name, handled_at=event.created_at, status_code=status_code,
        action=f"{action} - {event.note}" if event.note else action, department=agency.name,
        started_at=event.created_at, due_at=due_at,
    )
    return portal_dossier, step


def push(connection: PortalConnection, row: Any, *, first: bool) -> None:
    """Send ROW's event: `TraCuuHoSo` on the dossier's first push, then `DongBoHoSoMC`, then
    `CapNhatTienDoHoSoMC`. Returns only when the portal accepted both; raises SyncFailure otherwise."""
    dossier_object, step = messages_for(row, connection.status_mapping)
    code, agency, dossier_id = dossier_object.code, connection.agency_code, row.dossier_id
    is_updating = True
    if first:
        found = connection.operation(lambda s: portal.build_lookup_request(s, agency, code),
                                     service=portal.SERVICE_LOOKUP_DOSSIER, key=code, dossier_id=dossier_id)
        if not found.ok:
            raise SyncFailure(f"{portal.SERVICE_LOOKUP_DOSSIER}: {found.error_code} {found.message}")
        is_updating = portal.lookup_found(found)
    for service, build in (
        (portal.SERVICE_SYNC_DOSSIER, lambda s: portal.build_sync_dossier_request(
            s, agency, [dossier_object], is_updating=is_updating)),
        (portal.SERVICE_UPDATE_PROGRESS, lambda s: portal.build_progress_request(s, agency, [step])),
    ):
        answer = connection.operation(build, service=service, key=code, dossier_id=dossier_id)
        if not answer.accepted:
            raise SyncFailure(f"{service}: {answer.error_code} {answer.message}")


# --- draining ------------------------------------------------------------------------------------------------------

@dataclass
class DrainReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    portal_unavailable: bool = False  # the pass stopped early: no answer from the portal, or its breaker open


def backoff(attempts: int) -> dt.timedelta:
    seconds = settings.MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_MAX_SECONDS))


def drain(*, dossier_id: int | None = None, now: dt.datetime | None = None, limit: int = 500,
          transport: httpx.BaseTransport | None = None, stop: Callable[[], bool] | None = None) -> DrainReport:
    """Send every due row (of DOSSIER_ID, or of up to LIMIT dossiers), each dossier's rows in event order.
    STOP, checked between dossiers, ends the pass early (a worker asked to stop)."""
    from motcua.dossiers.models import PortalSync

    report = DrainReport()
    if not sync_configured():
        return report
    now = now or timezone.now()
    due = PortalSync.objects.filter(state=PortalSync.State.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if dossier_id is not None:
        due = due.filter(dossier_id=dossier_id)
    dossier_ids = list(due.order_by("dossier_id").values_list("dossier_id", flat=True).distinct()[:limit])
    if not dossier_ids:
        return report
    with PortalConnection(transport=transport) as connection, shared_evidence_connection():
        for pk in dossier_ids:
            if stop is not None and stop():
                break
            if connection.client.breaker.state == CircuitBreaker.OPEN:
                # During an outage the other dossiers are left alone: trying each would only burn its attempts
                # (making it a dead item after MAX_ATTEMPTS) and write a call record, while the portal is away.
                report.portal_unavailable = True
                break
            _drain_dossier(connection, pk, now, report)
            if report.portal_unavailable:
                break
    return report


def pending_left() -> bool:
    """Whether any row still waits to be sent (due or backing off; `failed` rows wait for a person)."""
    from motcua.dossiers.models import PortalSync

    return bool(PortalSync.objects.filter(state=PortalSync.State.PENDING).exists())


def _drain_dossier(connection: PortalConnection, dossier_id: int, now: dt.datetime, report: DrainReport) -> None:
    from motcua.dossiers.models import PortalSync

    unfinished = (PortalSync.objects.filter(dossier_id=dossier_id)
                  .filter(state__in=[PortalSync.State.PENDING, PortalSync.State.FAILED]))
    first: bool | None = None  # before the dossier's first push (TraCuuHoSo); once false, false for good
    while True:
        head = unfinished.order_by("event__seq", "pk").values_list("pk", "state", "next_attempt_at").first()
        if head is None:
            return
        pk, state, next_attempt_at = head
        if state != PortalSync.State.PENDING or (next_attempt_at is not None and next_attempt_at > now):
            return  # a failed or backing-off row holds back the later ones of its dossier
        with transaction.atomic():
            # The row lock makes one worker the sender; another one finding it locked leaves the dossier alone.
            row = (PortalSync.objects.select_for_update(skip_locked=True, of=("self",))
                   .select_related("dossier__procedure__field", "dossier__current_agency", "event__actor",
                                   "event__to_agency")
                   .filter(pk=pk, state=PortalSync.State.PENDING).first())
            if row is None:
                return
            if first is not False:
                first = not PortalSync.objects.filter(dossier_id=dossier_id, state=PortalSync.State.SENT).exists()
            # A row the reconciliation queued again asks TraCuuHoSo too: the portal may have lost the dossier.
            if row.origin == PortalSync.Origin.RECONCILE:
                first = True
            try:
                push(connection, row, first=first)
            except SyncFailure as exc:
                _record_failure(row, now, str(exc), permanent=isinstance(exc, PermanentSyncFailure))
                if row.state == PortalSync.State.FAILED:
                    report.failed += 1
                else:
                    report.retrying += 1
                report.portal_unavailable = isinstance(exc, PortalUnavailable)
                return
            row.state, row.sent_at, row.last_error = PortalSync.State.SENT, timezone.now(), ""
            row.attempts += 1
            row.save(update_fields=["state", "sent_at", "last_error", "attempts"])
            report.sent += 1
            first = False


def _record_failure(row: Any, now: dt.datetime, error: str, *, permanent: bool) -> None:
    from motcua.dossiers.models import PortalSync

    row.attempts += 1
    row.last_error = error[:2000]
    if permanent or row.attempts >= settings.MOTCUA_NATIONAL_PORTAL_SYNC_MAX_ATTEMPTS:
        row.state, row.next_attempt_at = PortalSync.State.FAILED, None
        logger.warning("portal sync %s of dossier %s failed for good after %s attempts: %s", row.pk,
                       row.dossier_id, row.attempts, error)
    else:
        row.next_attempt_at = now + backoff(row.attempts)
        logger.info("portal sync %s of dossier %s: attempt %s failed, next at %s: %s", row.pk, row.dossier_id,
                    row.attempts, row.next_attempt_at, error)
    row.save(update_fields=["state", "attempts", "last_error", "next_attempt_at"])


# --- scheduling ----------------------------------------------------------------------------------------------------

def request_sync(dossier_id: int) -> None:
    """After a step's commit: queue a drain of that dossier (nothing when the sync is off)."""
    if not sync_configured():
        return
    from motcua.integrations.tasks import sync_dossier_to_portal

    sync_dossier_to_portal.enqueue(dossier_id)


def retry_later(dossier_id: int, at: dt.datetime) -> None:
    """Queue the drain of a backing-off dossier for AT (when the job backend can defer; otherwise the periodic
    `sync_national_portal` command picks it up)."""
    from motcua.integrations.tasks import sync_dossier_to_portal

    if sync_dossier_to_portal.get_backend().supports_defer:
        sync_dossier_to_portal.using(run_after=at).enqueue(dossier_id)


# --- rows from the workflow ------------------------------------------------------------------------------------

def queue_event(dossier: Dossier, event: DossierEvent) -> None:
    """The workflow's subscriber for public events (`motcua.dossiers.effects`): the event's row for the national
    portal, and a drain of the dossier once the step commits."""
    from motcua.dossiers.models import PortalSync

    # A fixed statement (motcua.core.fastsql): building it through the ORM cost more than running it.
    fastsql.insert(PortalSync(dossier=dossier, event=event, payload=portal_payload(dossier, event)))
    transaction.on_commit(partial(request_sync, dossier.pk), robust=True)


def portal_payload(dossier: Dossier, event: DossierEvent) -> dict[str, Any]:
    """The status update in the national portal's vocabulary (fields of its DongBoHoSoMC message)."""
    def stamp(value: dt.datetime | None) -> str:
        return value.astimezone(timezone.get_current_timezone()).strftime("%Y%m%d%H%M%S") if value else ""

    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure.national_code,
        "TrangThaiHoSo": event.to_status,
        "NgayTiepNhan": stamp(dossier.received_at),
        "NgayHenTra": stamp(dossier.effective_due_at),
        "NgayTra": stamp(dossier.finished_at),
        "MaCoQuan": dossier.current_agency.eid_code,
        "ThoiDiem": stamp(event.created_at),
        "KenhNop": dossier.channel,
    }
