"""Every write of the land app: a dossier's parcel check, the clerk's acknowledgement of its flags, and the
write-back of an approved change to the land database (queued, sent, retried, or entered by hand).

The land database is asked outside any transaction (a look-up on the counter page, or the job queued after a
submission's commit); the write-back row is written in the approval's own transaction (`queue_write_back`, called
by `motcua.land.hooks`) and sent after commit by the job worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.adapters import land_registry as adapter
from motcua.adapters.land_registry import Parcel, ParcelKey
from motcua.core.errors import UserError
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.identity.models import User
from motcua.integrations import land_registry as service
from motcua.land import rules
from motcua.land.models import LandWriteBack, ParcelCheck

logger = logging.getLogger(__name__)


class LandError(UserError):
    """An act on a land dossier that is not allowed now."""


# --- look-ups ------------------------------------------------------------------------------------------------------

@dataclass
class Lookup:
    """A look-up's outcome for a page: the parcel (None: not found or not asked), the flags, and the error."""

    key: ParcelKey
    parcel: Parcel | None = None
    flags: list[rules.Flag] = field(default_factory=list)
    unavailable: str = ""  # why the land database could not be asked (manual check needed)

    @property
    def found(self) -> bool:
        return self.parcel is not None


def look_up(national_code: str, key: ParcelKey, *, applicant_id: str = "", form_data: dict[str, Any] | None = None,
            official: User | None = None) -> Lookup:
    """Ask the land database for KEY (outside a transaction) and compare with the applicant and the e-form."""
    result = Lookup(key=key)
    who = official.username if official is not None else ""
    try:
        result.parcel = service.find_parcel(key, official=who, purpose=f"TTHC {national_code}")
    except service.LandRegistryUnavailable as exc:
        result.unavailable = str(exc)
        return result
    if result.parcel is not None:
        result.flags = rules.flags_for(national_code, result.parcel, applicant_id=applicant_id,
                                       form_data=form_data or {})
    return result


def check_dossier_parcel(dossier_id: int) -> ParcelCheck | None:
    """Look the dossier's parcel up and keep what was found with the flags (None: not a land procedure). Called by
    the job queued at submission, and by a clerk asking again from the dossier page."""
    dossier = Dossier.objects.select_related("procedure").get(pk=dossier_id)
    code = dossier.procedure.national_code
    if not rules.is_land_procedure(code):
        return None
    key = rules.parcel_key_of(dossier.form_data)
    now = timezone.now()
    if key is None:
        return ParcelCheck.objects.create(dossier=dossier, state=ParcelCheck.State.NO_KEY, checked_at=now)
    try:
        parcel = service.find_parcel(key, official="motcua", purpose=f"TTHC {code} {dossier.code}",
                                     dossier_id=dossier.pk)
    except service.LandRegistryUnavailable as exc:
        return ParcelCheck.objects.create(dossier=dossier, state=ParcelCheck.State.UNAVAILABLE,
                                          parcel_key=vars(key), error=str(exc)[:2000], checked_at=now)
    if parcel is None:
        return ParcelCheck.objects.create(dossier=dossier, state=ParcelCheck.State.NOT_FOUND, parcel_key=vars(key),
                                          checked_at=now, flags=[rules.Flag(
                                              "parcel_not_found", "block",
                                              "Không tìm thấy thửa đất trong cơ sở dữ liệu đất đai.",
                                              "The parcel is not in the land database.").as_dict()])
    flags = rules.flags_for(code, parcel, applicant_id=dossier.applicant_id_number, form_data=dossier.form_data)
    return ParcelCheck.objects.create(
        dossier=dossier, state=ParcelCheck.State.FLAGGED if flags else ParcelCheck.State.CLEAR,
        parcel_key=vars(key), parcel=parcel.as_dict(), flags=[flag.as_dict() for flag in flags], checked_at=now)


def latest_check(dossier: Dossier) -> ParcelCheck | None:
    return ParcelCheck.objects.filter(dossier=dossier).order_by("-created_at", "-pk").first()


def acknowledge_check(check: ParcelCheck, *, actor: User) -> ParcelCheck:
    """The clerk has seen the flags (kept: who and when). Idempotent: a second acknowledgement keeps the first."""
    with transaction.atomic():
        check = ParcelCheck.objects.select_for_update().get(pk=check.pk)
        if check.acknowledged_at is None:
            check.acknowledged_by, check.acknowledged_at = actor, timezone.now()
            check.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return check


def request_check(dossier: Dossier) -> None:
    """Inside the creating transaction: a pending check row, and the look-up queued once it commits; when the land
    database is not configured, a row saying the parcel is to be checked by hand."""
    if not service.configured():
        ParcelCheck.objects.create(dossier=dossier, state=ParcelCheck.State.UNAVAILABLE, checked_at=timezone.now(),
                                   error="the land database (dat_dai) is not configured")
        return
    ParcelCheck.objects.create(dossier=dossier, state=ParcelCheck.State.PENDING)
    transaction.on_commit(partial(_enqueue_check, dossier.pk), robust=True)


def _enqueue_check(dossier_id: int) -> None:
    from motcua.land.tasks import check_parcel

    check_parcel.enqueue(dossier_id)


def fill_draft(draft: Any, serial: str) -> str:
    """Fill a citizen's online application (portal FormDraft) from the land database by the certificate serial on
    their certificate. Returns "filled", "not_found", "unavailable" or "bad_serial" (nothing changed but the first)."""
    key = ParcelKey(certificate_serial=serial)
    if not serial.strip() or key.problems():
        return "bad_serial"
    code = draft.procedure.national_code
    try:
        parcel = service.find_parcel(key, official=draft.user.username, purpose=f"TTHC {code} (công dân)")
    except service.LandRegistryUnavailable:
        return "unavailable"
    if parcel is None:
        return "not_found"
    draft.form_data = rules.citizen_fill(code, parcel, dict(draft.form_data), draft.user.national_id or "")
    draft.save(update_fields=["form_data", "updated_at"])
    return "filled"


# --- write-back ----------------------------------------------------------------------------------------------------

def queue_write_back(dossier: Dossier, event: DossierEvent) -> LandWriteBack | None:
    """Inside the approval's transaction: the change to write back, as an outbox row, sent after commit. A dossier
    writes back once (approved again after a send-back, the first row stands). A change the e-form cannot describe
    becomes a failed row at once, for the land office to enter by hand."""
    code = dossier.procedure.national_code
    if code not in rules.CHANGE_KIND or LandWriteBack.objects.filter(dossier=dossier).exists():
        return None
    request_id = uuid.uuid4().hex
    key = rules.parcel_key_of(dossier.form_data)
    change = None if key is None else rules.change_for(
        code, dossier.form_data, key, request_id=request_id, dossier_code=dossier.code,
        approved_at=adapter.format_time(event.created_at), agency_code=dossier.competent_agency.eid_code)
    if change is None:
        return LandWriteBack.objects.create(
            dossier=dossier, request_id=request_id, kind=rules.CHANGE_KIND[code], state=LandWriteBack.State.FAILED,
            last_error="The e-form does not describe the change (parcel or new details missing): enter it by hand.")
    row = LandWriteBack.objects.create(dossier=dossier, request_id=request_id, kind=change.kind,
                                       payload=adapter.build_write_back(change))
    if service.configured():  # otherwise the row waits (the periodic command sends it once the system is set)
        transaction.on_commit(partial(enqueue_write_back, row.pk), robust=True)
    return row


def enqueue_write_back(write_back_id: int, at: dt.datetime | None = None) -> None:
    from motcua.land.tasks import send_write_back as job

    if at is not None and job.get_backend().supports_defer:
        job.using(run_after=at).enqueue(write_back_id)
    elif at is None:
        job.enqueue(write_back_id)


def _backoff(attempts: int) -> dt.timedelta:
    base = int(settings.MOTCUA_LAND_WRITE_BACK_BACKOFF_SECONDS)
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0),
                                    int(settings.MOTCUA_LAND_WRITE_BACK_BACKOFF_MAX_SECONDS)))


def send_write_back(write_back_id: int, *, now: dt.datetime | None = None) -> LandWriteBack | None:
    """Send one due pending row (locked: a second worker skips it) and mark it sent with the land database's
    reference, or count the failure: back off, and after MOTCUA_LAND_WRITE_BACK_MAX_ATTEMPTS become failed.
    Returns the row, None when it was not due, not pending or in another worker's hands. The same request id is
    sent every time, so a send whose answer was lost is applied once by the land database."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (LandWriteBack.objects.select_for_update(skip_locked=True)
               .filter(pk=write_back_id, state=LandWriteBack.State.PENDING)
               .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).first())
        if row is None:
            return None
        try:
            answer = service.send_change_message(row.payload, dossier_id=row.dossier_id)
        except service.LandRegistryUnavailable as exc:
            row.attempts += 1
            row.last_error = str(exc)[:2000]
            if row.attempts >= int(settings.MOTCUA_LAND_WRITE_BACK_MAX_ATTEMPTS):
                row.state, row.next_attempt_at = LandWriteBack.State.FAILED, None
                logger.warning("land write-back %s of dossier %s failed for good: %s", row.pk, row.dossier_id, exc)
            else:
                row.next_attempt_at = now + _backoff(row.attempts)
            row.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            return row
        row.attempts += 1
        row.state, row.reference, row.sent_at, row.last_error = (
            LandWriteBack.State.SENT, answer.reference, now, "")
        row.save(update_fields=["attempts", "state", "reference", "sent_at", "last_error"])
        return row


def drain_write_backs(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send every due pending row (the periodic command; picks up rows whose job was lost). Stops at the first
    failure to reach the land database: during an outage the others would only burn their attempts."""
    now = now or timezone.now()
    ids = list(LandWriteBack.objects.filter(state=LandWriteBack.State.PENDING)
               .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
               .order_by("pk").values_list("pk", flat=True)[:limit])
    report = {"sent": 0, "retrying": 0, "failed": 0}
    if not service.configured():
        return report
    for pk in ids:
        row = send_write_back(pk, now=now)
        if row is None:
            continue
        if row.state == LandWriteBack.State.SENT:
            report["sent"] += 1
            continue
        report["failed" if row.state == LandWriteBack.State.FAILED else "retrying"] += 1
        break
    return report


def record_manual_write_back(write_back: LandWriteBack, *, actor: User, reference: str, note: str = ""
                             ) -> LandWriteBack:
    """The land office entered the change in the land database by hand (the service was down or the row failed):
    keep the reference it got, who and when. Only a row not yet sent."""
    reference = reference.strip()
    if not reference:
        raise LandError("reference_required", "Vui lòng nhập mã biến động do cơ sở dữ liệu đất đai cấp.",
                        "Please enter the change reference the land database gave.")
    with transaction.atomic():
        row = LandWriteBack.objects.select_for_update().get(pk=write_back.pk)
        if row.state not in (LandWriteBack.State.PENDING, LandWriteBack.State.FAILED):
            raise LandError("already_written", "Biến động này đã được cập nhật.",
                            "This change has already been written.")
        row.state, row.reference, row.handled_by, row.handled_at, row.note = (
            LandWriteBack.State.MANUAL, reference[:80], actor, timezone.now(), note.strip()[:2000])
        row.save(update_fields=["state", "reference", "handled_by", "handled_at", "note"])
    return row
