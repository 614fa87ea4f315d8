"""Report figures, read from the monthly rollups (never by scanning dossiers), with the KPI rates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.calendar.service import WorkingCalendar
from motcua.catalog.models import ServiceLevel
from motcua.core.figures import month_start, period_bounds, rate
from motcua.directory.models import Agency, Role
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import Channel, Dossier, DossierEvent
from motcua.reports.models import Metric, MonthlyRollup

REPORT_ROLES = (Role.LEADER, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN)
ONLINE_CHANNELS = {Channel.ONLINE, Channel.NATIONAL_PORTAL}
FINISHING = {Metric.RESOLVED_EARLY, Metric.RESOLVED_ON_TIME, Metric.RESOLVED_LATE, Metric.REFUSED,
             Metric.WITHDRAWN, Metric.ENDED_OTHERWISE}


@dataclass
class Figures:
    received: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # by channel
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # by metric, in the period
    in_progress: int = 0  # received and not finished by the end of the period
    overdue_now: int = 0  # open, not paused, past its (extended) due date, now
    fully_online: int = 0  # received online for a procedure offered fully online (toàn trình)

    @property
    def received_total(self) -> int:
        return sum(self.received.values())

    @property
    def resolved(self) -> int:
        return sum(self.counts[m] for m in (Metric.RESOLVED_EARLY, Metric.RESOLVED_ON_TIME, Metric.RESOLVED_LATE))

    @property
    def online_rate(self) -> Decimal | None:
        return rate(sum(v for c, v in self.received.items() if c in ONLINE_CHANNELS), self.received_total)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.counts[Metric.RESOLVED_EARLY] + self.counts[Metric.RESOLVED_ON_TIME], self.resolved)

    @property
    def digitisation_rate(self) -> Decimal | None:
        return rate(self.counts[Metric.DIGITISED], self.received_total)

    @property
    def reuse_rate(self) -> Decimal | None:
        return rate(self.counts[Metric.REUSED], self.received_total)

    @property
    def fully_online_rate(self) -> Decimal | None:
        return rate(self.fully_online, self.received_total)

    @property
    def online_payment_rate(self) -> Decimal | None:
        return rate(self.counts[Metric.PAID_ONLINE], self.counts[Metric.PAID])

    @property
    def average_resolution_days(self) -> Decimal | None:
        """Indicator 2b: working days a resolved dossier took on average (None when none was resolved)."""
        if not self.resolved:
            return None
        day_minutes = Decimal(WorkingCalendar.for_province().day_length.total_seconds()) / 60
        days = Decimal(self.counts[Metric.RESOLUTION_MINUTES]) / self.resolved / day_minutes
        return days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def time_used_rate(self) -> Decimal | None:
        """Indicator 2b scored: the time the law allowed over the time taken, capped at 100 % (resolving within
        the statutory time on average scores in full; taking twice as long scores half)."""
        taken, allowed = self.counts[Metric.RESOLUTION_MINUTES], self.counts[Metric.ALLOWED_MINUTES]
        if not self.resolved or not allowed:
            return None
        return Decimal(100) if taken <= allowed else rate(allowed, taken)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.counts[Metric.SATISFIED], self.counts[Metric.SURVEYED])


def figures_by_agency(first_month: dt.date, last_month: dt.date, agencies: list[Agency],
                      field_code: str = "", procedure_code: str = "", live: bool = True) -> dict[int, Figures]:
    """Figures for each agency over [first_month, last_month] (months given by any day in them), for one field
    or one procedure (national code) when given; LIVE: with "overdue now" (the one figure not from the rollups)."""
    first, last = month_start(first_month), month_start(last_month)
    rows = MonthlyRollup.objects.filter(agency__in=agencies, month__lte=last)
    if field_code:
        rows = rows.filter(procedure__field__code=field_code)
    if procedure_code:
        rows = rows.filter(procedure__national_code=procedure_code)
    result: dict[int, Figures] = {a.pk: Figures() for a in agencies}
    # One pass over the rollups: the period's figures, and everything up to its end (for "in progress").
    cells = rows.values("agency_id", "channel", "metric", "procedure__service_level").annotate(
        in_period=Sum(Case(When(month__gte=first, then="value"), default=0)), to_end=Sum("value")).order_by()
    for row in cells:
        figures = result[row["agency_id"]]
        metric, in_period = row["metric"], row["in_period"]
        if metric == Metric.RECEIVED:
            figures.received[row["channel"]] += in_period
            figures.in_progress += row["to_end"]
            if row["channel"] in ONLINE_CHANNELS and row["procedure__service_level"] == ServiceLevel.FULL_ONLINE:
                figures.fully_online += in_period
        elif metric in FINISHING:
            figures.in_progress -= row["to_end"]
        figures.counts[metric] += in_period
    if live:
        for agency_id, count in overdue_now(agencies, field_code, procedure_code).items():
            result[agency_id].overdue_now = count
    return result


def overdue_now_filter(at: dt.datetime | None = None) -> Q:
    """Open dossiers whose clock runs and whose binding date (new appointment, else due date) has passed; the
    same expression as the partial index `dossier_running_deadline`, so PostgreSQL reads only the overdue ones."""
    return Q(finished_at__isnull=True, paused_at__isnull=True) & Q(
        **{"running_deadline__lt": at or timezone.now()})


def overdue_dossiers(at: dt.datetime | None = None) -> QuerySet[Dossier]:
    return Dossier.objects.alias(running_deadline=Coalesce("extended_due_at", "due_at")).filter(overdue_now_filter(at))


def overdue_now(agencies: list[Agency], field_code: str = "", procedure_code: str = "") -> dict[int, int]:
    """How many dossiers of each agency are overdue right now (a live count over the open dossiers' index:
    "now" moves without events, so it cannot be a rollup)."""
    rows = overdue_dossiers().filter(competent_agency__in=agencies)
    if field_code:
        rows = rows.filter(procedure__field__code=field_code)
    if procedure_code:
        rows = rows.filter(procedure__national_code=procedure_code)
    # Count a column of the index, so that PostgreSQL can answer from the index alone.
    counted = rows.values("competent_agency_id").annotate(n=Count("competent_agency_id")).order_by()
    return {row["competent_agency_id"]: row["n"] for row in counted}


def total(figures: dict[int, Figures]) -> Figures:
    combined = Figures()
    for f in figures.values():
        for channel, value in f.received.items():
            combined.received[channel] += value
        for metric, value in f.counts.items():
            combined.counts[metric] += value
        combined.in_progress += f.in_progress
        combined.overdue_now += f.overdue_now
        combined.fully_online += f.fully_online
    return combined


# Which events stand behind a figure (for the drill-down list and its export).
DRILL = {
    Metric.RECEIVED: {"action": "receive"},
    Metric.RESOLVED_EARLY: {"action": "return_result", "data__outcome": "early"},
    Metric.RESOLVED_ON_TIME: {"action": "return_result", "data__outcome": "on_time"},
    Metric.RESOLVED_LATE: {"action": "return_result", "data__outcome": "late"},
    Metric.REFUSED: {"action": "refuse"},
    Metric.WITHDRAWN: {"action": "withdraw"},
}
OVERDUE_NOW = "overdue_now"


def dossiers_behind(metric: str, first: dt.date, last: dt.date, agency_ids: list[int]) -> tuple[str, QuerySet[Dossier]]:
    """The label and the dossiers behind one figure of the report (received in the period by default)."""
    if metric == OVERDUE_NOW:
        overdue = overdue_dossiers().filter(competent_agency_id__in=agency_ids)
        return str(_("Overdue now")), overdue.order_by("due_at")
    chosen = Metric(metric) if metric in DRILL else Metric.RECEIVED
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month_start(first), dt.time.min, tzinfo=tz)
    end_month = (month_start(last).replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    end = dt.datetime.combine(end_month, dt.time.min, tzinfo=tz)
    events = DossierEvent.objects.filter(created_at__gte=start, created_at__lt=end,
                                         dossier__competent_agency_id__in=agency_ids, **DRILL[chosen])
    return str(chosen.label), Dossier.objects.filter(pk__in=events.values("dossier_id")).order_by("-submitted_at")


def portal_sync_counts(first: dt.date, last: dt.date, agencies: list[Agency] | None) -> tuple[int, int]:
    """Indicator 1d over the months FIRST..LAST (`dossiers.selectors.portal_sync_counts`)."""
    start, end = period_bounds(first, last)
    return dossier_selectors.portal_sync_counts(start, end, agencies)
