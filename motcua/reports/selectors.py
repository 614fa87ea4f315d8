"""Report figures, read from the monthly rollups (never by scanning dossiers), with the KPI rates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from motcua.directory.models import Agency
from motcua.dossiers.models import Channel
from motcua.reports.models import Metric, MonthlyRollup

ONLINE_CHANNELS = {Channel.ONLINE, Channel.NATIONAL_PORTAL}
FINISHING = {Metric.RESOLVED_EARLY, Metric.RESOLVED_ON_TIME, Metric.RESOLVED_LATE, Metric.REFUSED,
             Metric.WITHDRAWN, Metric.ENDED_OTHERWISE}


def rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    received: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # by channel
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # by metric, in the period
    in_progress: int = 0  # received and not finished by the end of the period

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
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.counts[Metric.SATISFIED], self.counts[Metric.SURVEYED])


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def figures_by_agency(first_month: dt.date, last_month: dt.date, agencies: list[Agency],
                      field_code: str = "") -> dict[int, Figures]:
    """Figures for each agency over [first_month, last_month] (months given by any day in them)."""
    first, last = month_start(first_month), month_start(last_month)
    rows = MonthlyRollup.objects.filter(agency__in=agencies, month__lte=last)
    if field_code:
        rows = rows.filter(procedure__field__code=field_code)
    result: dict[int, Figures] = {a.pk: Figures() for a in agencies}
    in_period = rows.filter(month__gte=first).values("agency_id", "channel", "metric").annotate(total=Sum("value"))
    for row in in_period:
        figures = result[row["agency_id"]]
        if row["metric"] == Metric.RECEIVED:
            figures.received[row["channel"]] += row["total"]
        figures.counts[row["metric"]] += row["total"]
    up_to_end = rows.values("agency_id", "metric").annotate(total=Sum("value"))
    for row in up_to_end:
        if row["metric"] == Metric.RECEIVED:
            result[row["agency_id"]].in_progress += row["total"]
        elif row["metric"] in FINISHING:
            result[row["agency_id"]].in_progress -= row["total"]
    return result


def total(figures: dict[int, Figures]) -> Figures:
    combined = Figures()
    for f in figures.values():
        for channel, value in f.received.items():
            combined.received[channel] += value
        for metric, value in f.counts.items():
            combined.counts[metric] += value
        combined.in_progress += f.in_progress
    return combined
