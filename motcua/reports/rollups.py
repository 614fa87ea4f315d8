"""Which monthly figures an event changes, and applying that change (incrementally, or all over again)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.reports.models import Metric, MonthlyRollup

Cell = tuple[dt.date, int, int, str, str]  # month, agency, procedure, channel, metric

_ENDINGS = {"refuse": Metric.REFUSED, "withdraw": Metric.WITHDRAWN, "stop": Metric.ENDED_OTHERWISE,
            "cancel": Metric.ENDED_OTHERWISE}
_OUTCOMES = {"early": Metric.RESOLVED_EARLY, "on_time": Metric.RESOLVED_ON_TIME, "late": Metric.RESOLVED_LATE}


def month_of(instant: dt.datetime) -> dt.date:
    return timezone.localtime(instant).date().replace(day=1)


def metrics_of(event: DossierEvent, dossier: Dossier) -> list[Metric]:
    """The figures EVENT adds one to (the dossier is the state after the event); the time sums of a resolved
    dossier are added by `cells_of`."""
    if event.action == "receive":
        found = [Metric.RECEIVED]
        # Documents of the dossier as submitted (supplements come later and are marked as such).
        documents = [d for d in dossier.documents.all() if not d.is_supplement]
        if any(d.reused_from_id for d in documents):
            found.append(Metric.REUSED)
        if any(d.counts_as_digitised for d in documents):  # uploads and counter scans, not rejected by the scan
            found.append(Metric.DIGITISED)
        return found
    if event.action == "return_result" and event.data.get("outcome") in _OUTCOMES:
        # A signed e-result in the citizen's data store makes the return online (indicator 3b).
        online = [Metric.RESULT_ONLINE] if dossier.return_method == "online" else []
        return [_OUTCOMES[event.data["outcome"]], *online]
    if event.action in _ENDINGS and event.from_status != "submitted":
        return [_ENDINGS[event.action]]
    return []


def resolution_minutes(dossier: Dossier) -> tuple[int, int] | None:
    """Working minutes a resolved dossier took and the working minutes the law allowed it (indicator 2b).

    Taken = allowed − the working time still left at the due instant when the result was ready (negative when
    late). Measured against the due instant, it leaves out what the workflow left out of the deadline: receipt
    after the cut-off, pauses for financial obligations and a supplement's restart of the clock.
    """
    from motcua.dossiers.deadlines import calendar_for

    if dossier.result_ready_at is None or dossier.due_at is None or dossier.received_at is None:
        return None
    calendar = calendar_for(dossier)
    version = dossier.procedure_version
    if version.statutory_unit == "working_days" and version.statutory_days > 0:
        allowed = calendar.day_length * float(version.statutory_days)
    else:  # same-day and calendar-day procedures: what the calendar gave from the counting start
        allowed = calendar.working_time_between(calendar.counting_start(dossier.received_at), dossier.due_at)
    left = calendar.working_time_between(dossier.result_ready_at, dossier.due_at)
    taken = max(allowed - left, dt.timedelta(0))
    return int(taken.total_seconds()) // 60, int(allowed.total_seconds()) // 60


def cells_of(event: DossierEvent, dossier: Dossier) -> Counter[Cell]:
    month = month_of(event.created_at)
    base = (month, dossier.competent_agency_id, dossier.procedure_id, dossier.channel)
    cells: Counter[Cell] = Counter((*base, metric) for metric in metrics_of(event, dossier))
    if (*base, Metric.RESOLVED_EARLY) in cells or (*base, Metric.RESOLVED_ON_TIME) in cells \
            or (*base, Metric.RESOLVED_LATE) in cells:
        minutes = resolution_minutes(dossier)
        if minutes is not None:
            cells[(*base, Metric.RESOLUTION_MINUTES)] += minutes[0]
            cells[(*base, Metric.ALLOWED_MINUTES)] += minutes[1]
    return +cells  # without the cells a zero was added to


def add(cells: Iterable[Cell] | Counter[Cell]) -> None:
    """Add each cell's amount (one for a plain iterable of cells; several app servers at once: the rows are
    created idempotently, then incremented)."""
    counts = +cells if isinstance(cells, Counter) else Counter(cells)
    if not counts:
        return
    MonthlyRollup.objects.bulk_create(
        [MonthlyRollup(month=m, agency_id=a, procedure_id=p, channel=c, metric=k, value=0) for m, a, p, c, k in counts],
        ignore_conflicts=True,
    )
    for (m, a, p, c, k), n in counts.items():
        MonthlyRollup.objects.filter(month=m, agency_id=a, procedure_id=p, channel=c, metric=k).update(
            value=F("value") + n)


def record_dossier_event(dossier: Dossier, event: DossierEvent) -> None:
    """The workflow's subscriber (`motcua.dossiers.effects`), inside the event's transaction."""
    record_event(event, dossier)


def record_event(event: DossierEvent, dossier: Dossier) -> None:
    """Called by the workflow inside the event's transaction."""
    add(cells_of(event, dossier))


def record_survey(dossier: Dossier, overall: int, when: dt.datetime) -> None:
    month = month_of(when)
    base = (month, dossier.competent_agency_id, dossier.procedure_id, dossier.channel)
    add([(*base, Metric.SURVEYED)] + ([(*base, Metric.SATISFIED)] if overall >= 4 else []))


def record_invoice_paid(dossier: Dossier, *, online: bool, when: dt.datetime) -> None:
    """Called by the payments app inside the transaction that marks an invoice paid."""
    base = (month_of(when), dossier.competent_agency_id, dossier.procedure_id, dossier.channel)
    add([(*base, Metric.PAID)] + ([(*base, Metric.PAID_ONLINE)] if online else []))


def _paid_invoices() -> Counter[Cell]:
    from django.db.models import Exists, OuterRef

    from motcua.payments.models import Invoice, Payment

    counts: Counter[Cell] = Counter()
    online = Payment.objects.filter(invoice=OuterRef("pk"), state=Payment.State.SUCCEEDED,
                                    method=Payment.Method.ONLINE)
    paid = (Invoice.objects.filter(state=Invoice.State.PAID, paid_at__isnull=False)
            .annotate(online=Exists(online)).select_related("dossier"))
    for invoice in paid.iterator(chunk_size=2000):
        assert invoice.paid_at is not None  # noqa: S101 - filtered above
        d = invoice.dossier
        base = (month_of(invoice.paid_at), d.competent_agency_id, d.procedure_id, d.channel)
        counts[(*base, Metric.PAID)] += 1
        if invoice.online:
            counts[(*base, Metric.PAID_ONLINE)] += 1
    return counts


def recompute() -> Counter[Cell]:
    """Every figure, computed afresh from the events and surveys (nothing is written)."""
    from motcua.dossiers.models import SurveyResponse

    counts: Counter[Cell] = Counter()
    events = DossierEvent.objects.filter(action__in=["receive", "return_result", *_ENDINGS]).select_related(
        "dossier__procedure_version").order_by("pk")
    for event in events.iterator(chunk_size=2000):
        counts.update(cells_of(event, event.dossier))
    for survey in SurveyResponse.objects.select_related("dossier"):
        month = month_of(survey.created_at)
        d = survey.dossier
        base = (month, d.competent_agency_id, d.procedure_id, d.channel)
        counts[(*base, Metric.SURVEYED)] += 1
        if survey.overall >= 4:
            counts[(*base, Metric.SATISFIED)] += 1
    counts.update(_paid_invoices())
    return counts


def stored() -> Counter[Cell]:
    rows = MonthlyRollup.objects.filter(value__gt=0).values_list("month", "agency_id", "procedure_id", "channel",
                                                                 "metric", "value")
    return Counter({(m, a, p, c, k): v for m, a, p, c, k, v in rows})


@transaction.atomic
def rebuild() -> int:
    """Replace the figures by ones recomputed from the events; returns the number of rows written."""
    counts = recompute()
    MonthlyRollup.objects.all().delete()
    MonthlyRollup.objects.bulk_create(
        [MonthlyRollup(month=m, agency_id=a, procedure_id=p, channel=c, metric=k, value=n)
         for (m, a, p, c, k), n in counts.items()], batch_size=2000)
    return len(counts)
