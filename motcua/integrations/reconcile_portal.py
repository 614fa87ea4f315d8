"""Nightly reconciliation with the national public-service portal (Cổng DVCQG): ask it about every dossier that
changed recently and queue again whatever it does not hold as motcua last sent it (docs/integrations.md,
"Nightly reconciliation").

- **Window**: dossiers with a portal event queued or sent since the last completed run (less an hour of overlap,
  for transactions that committed late), or in the last `MOTCUA_NATIONAL_PORTAL_RECONCILE_DAYS` days the first time.
- **Bounded and resumable**: dossiers in id order, at most `MOTCUA_NATIONAL_PORTAL_RECONCILE_LIMIT` per run; a run
  that stops at the limit (`partial`) or because the portal does not answer (`interrupted`) keeps its cursor, and
  the next run continues the same window after it.
- **Compared** (`adapters.national_portal`, section "Reconciliation"): held or not, `TrangThaiHoSo` (mapped through
  the province's status table), the dates, and the progress steps when the answer shows them, against the
  messages of the dossier's latest *sent* event (what the portal should hold). A dossier with a row still pending or
  failed is left to the queue ("in flight").
- **Re-sent through the queue**: a difference queues fresh `PortalSync` rows (origin `reconcile`) for the events to
  send again — every sent event when the portal lost the dossier, the missing steps' events, and always the latest
  one last — so the ordinary drain delivers them once, in order. Under the dossier's row lock, after checking that
  nothing changed meanwhile; a partial unique index (one unfinished row per event) makes a second run, or two at
  once, queue nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.adapters import national_portal as portal
from motcua.integrations.models import PortalReconciliation
from motcua.integrations.national_portal_sync import (
    PortalConnection,
    SyncFailure,
    messages_for,
    request_sync,
    sync_configured,
)

logger = logging.getLogger("motcua.integrations.reconcile_portal")

OVERLAP = dt.timedelta(hours=1)
DETAILS_KEPT = 50  # differences listed on the page per run
SAVE_EVERY = 25  # dossiers between two saves of the run's cursor and counts

_COUNTER = {portal.DIFFERENCE_MISSING: "missing", portal.DIFFERENCE_STATUS: "status_differs",
            portal.DIFFERENCE_DATES: "dates_differ", portal.DIFFERENCE_PROGRESS: "progress_missing"}


@dataclass
class Outcome:
    code: str = ""  # the dossier's MaHoSo
    in_flight: bool = False
    skipped: bool = False  # never sent (every row skipped): nothing the portal should hold
    differences: tuple[portal.Difference, ...] = ()
    requeued: int = 0
    error: str = ""


def _window(now: dt.datetime, days: int | None) -> tuple[dt.datetime, dt.datetime, int]:
    """(start, end, cursor) of the next run: the unfinished window of the last run, or a new one."""
    last = PortalReconciliation.objects.order_by("-started_at", "-pk").first()
    if last is not None and last.state != PortalReconciliation.State.DONE:
        return last.window_start, last.window_end, last.cursor
    done = PortalReconciliation.objects.filter(state=PortalReconciliation.State.DONE).order_by(
        "-window_end").values_list("window_end", flat=True).first()
    default_start = now - dt.timedelta(days=days or settings.MOTCUA_NATIONAL_PORTAL_RECONCILE_DAYS)
    if days is None and done is not None:
        return min(done - OVERLAP, now), now, 0
    return default_start, now, 0


def changed_dossiers(start: dt.datetime, end: dt.datetime, after: int, limit: int) -> list[int]:
    """Ids (above AFTER, ascending, at most LIMIT) of dossiers with a portal event queued or sent in [START, END)."""
    from motcua.dossiers.models import PortalSync

    ids: set[int] = set()
    for window in ({"created_at__gte": start, "created_at__lt": end}, {"sent_at__gte": start, "sent_at__lt": end}):
        ids.update(PortalSync.objects.filter(dossier_id__gt=after, **window).order_by("dossier_id")
                   .values_list("dossier_id", flat=True).distinct()[:limit])
    return sorted(ids)[:limit]


def reconcile(*, now: dt.datetime | None = None, limit: int | None = None, days: int | None = None,
              transport: httpx.BaseTransport | None = None) -> PortalReconciliation | None:
    """One bounded run; None when the portal sync is not configured. Never raises for the portal's failures: the
    run records them (`interrupted`) and keeps what it did."""
    if not sync_configured():
        return None
    now = now or timezone.now()
    limit = limit or settings.MOTCUA_NATIONAL_PORTAL_RECONCILE_LIMIT
    start, end, cursor = _window(now, days)
    run = PortalReconciliation.objects.create(started_at=now, window_start=start, window_end=end, cursor=cursor)
    ids = changed_dossiers(start, end, cursor, limit + 1)
    batch, more = ids[:limit], len(ids) > limit
    try:
        with PortalConnection(transport=transport) as connection:
            for n, dossier_id in enumerate(batch, 1):
                _count(run, check_dossier(connection, dossier_id))
                run.cursor = dossier_id
                if n % SAVE_EVERY == 0:
                    run.save()
    except SyncFailure as exc:
        run.state = PortalReconciliation.State.INTERRUPTED
        run.message = str(exc)[:2000]  # the technical cause; the page says "interrupted" in the reader's language
        logger.warning("portal reconciliation %s interrupted after %s dossiers: %s", run.pk, run.checked, exc)
    else:
        run.state = PortalReconciliation.State.PARTIAL if more else PortalReconciliation.State.DONE
    run.finished_at = timezone.now()
    run.save()
    logger.info("portal reconciliation %s %s: checked %s, in flight %s, missing %s, status %s, dates %s, "
                "progress %s, queued again %s, errors %s", run.pk, run.state, run.checked, run.in_flight,
                run.missing, run.status_differs, run.dates_differ, run.progress_missing, run.requeued, run.errors)
    return run


def _count(run: PortalReconciliation, outcome: Outcome) -> None:
    if outcome.in_flight:
        run.in_flight += 1
        return
    if outcome.skipped:
        return
    if outcome.error:
        run.errors += 1
        if len(run.details) < DETAILS_KEPT:
            run.details.append({"code": outcome.code, "kind": "error", "field": "", "local": "",
                                "portal": outcome.error[:300]})
        return
    run.checked += 1
    for kind in {d.kind for d in outcome.differences}:
        setattr(run, _COUNTER[kind], getattr(run, _COUNTER[kind]) + 1)
    run.requeued += 1 if outcome.requeued else 0
    for d in outcome.differences:
        if len(run.details) < DETAILS_KEPT:
            # The portal's values are shown on the page (escaped there): kept short whatever it sends.
            run.details.append({"code": outcome.code, "kind": d.kind, "field": d.field, "local": d.local[:100],
                                "portal": d.portal[:100]})


def check_dossier(connection: PortalConnection, dossier_id: int) -> Outcome:
    """Compare one dossier with the portal's copy and queue again what differs. Raises SyncFailure when the
    portal cannot be reached (the run stops); any other problem is this dossier's error."""
    from motcua.dossiers.models import PortalSync

    rows = list(PortalSync.objects.filter(dossier_id=dossier_id).select_related(
        "dossier__procedure__field", "dossier__current_agency", "event__actor", "event__to_agency")
        .order_by("event__seq", "pk"))
    if any(r.state in (PortalSync.State.PENDING, PortalSync.State.FAILED) for r in rows):
        return Outcome(in_flight=True)
    sent: dict[int, Any] = {}  # event id -> its (last) sent row, in event order
    for row in rows:
        if row.state == PortalSync.State.SENT:
            sent[row.event_id] = row
    if not sent:
        return Outcome(skipped=True)
    sent_rows = list(sent.values())
    try:
        messages = [messages_for(row) for row in sent_rows]
    except SyncFailure as exc:  # e.g. a status the province's table no longer maps: not the portal's fault
        return Outcome(code=rows[0].dossier.code, error=str(exc))
    expected = messages[-1][0]
    code = expected.code
    answer = connection.operation(lambda s: portal.build_lookup_request(s, connection.agency_code, code),
                                  service=portal.SERVICE_LOOKUP_DOSSIER, key=code, dossier_id=dossier_id)
    try:
        record = portal.parse_lookup_record(answer)
    except portal.PortalMessageError as exc:
        return Outcome(code=code, error=str(exc))
    differences = portal.compare_with_portal(expected, [step for _, step in messages], record)
    if not differences:
        return Outcome(code=code)
    if record is None:
        resend = sent_rows  # the portal lost it: its whole history again
    else:  # the events whose steps the portal lacks (when it shows its steps)
        held = record.progress
        resend = [row for row, (_, step) in zip(sent_rows, messages, strict=True)
                  if held is not None and portal.step_key(step) not in held]
    if sent_rows[-1] not in resend:
        resend.append(sent_rows[-1])  # the latest state last, so the portal ends as it should be
    requeued = requeue(dossier_id, resend, latest_seq=rows[-1].event.seq)
    return Outcome(code=code, differences=tuple(differences), requeued=requeued)


def requeue(dossier_id: int, sources: Iterable[Any], *, latest_seq: int) -> int:
    """Queue SOURCES' events again (origin `reconcile`, the same payload), under the dossier's row lock, unless the
    dossier changed since it was compared (a newer event, or a row queued meanwhile). Returns the rows queued."""
    from motcua.dossiers.models import Dossier, PortalSync

    sources = list(sources)
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier_id).values_list("pk", flat=True).first()
        current = PortalSync.objects.filter(dossier_id=dossier_id)
        newest = current.order_by("-event__seq").values_list("event__seq", flat=True).first()
        if newest != latest_seq or current.filter(
                state__in=[PortalSync.State.PENDING, PortalSync.State.FAILED]).exists():
            return 0
        try:
            with transaction.atomic():
                PortalSync.objects.bulk_create([
                    PortalSync(dossier_id=dossier_id, event_id=row.event_id, payload=row.payload,
                               origin=PortalSync.Origin.RECONCILE) for row in sources])
        except IntegrityError:  # another run queued them first
            return 0
        transaction.on_commit(partial(request_sync, dossier_id), robust=True)
    return len(sources)
