"""The public statistics (`/thong-ke/`) and the operations-centre feed: the same figures as the leader's report,
read from the monthly rollups, for every agency of the province, with no personal data (counts only)."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from motcua.core.figures import month_start
from motcua.directory.models import Agency, AgencyLevel
from motcua.reports.models import Metric, MonthlyRollup, Target
from motcua.reports.selectors import Figures, figures_by_agency, total

# Longest period the public page and the feed accept (a trend of more months is not readable on a phone).
MAX_MONTHS = 24


@dataclass(frozen=True)
class Filters:
    first: dt.date
    last: dt.date
    level: str = ""        # AgencyLevel value, "" for all
    agency_id: int | None = None


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def parse_filters(params: Any, today: dt.date) -> tuple[Filters, list[str]]:
    """Filters from the query string (tu, den = YYYY-MM; cap; co_quan), with the errors to show for bad ones."""
    errors: list[str] = []

    def month(name: str, default: dt.date) -> dt.date:
        raw = params.get(name, "")
        if not raw:
            return default
        try:
            return dt.date.fromisoformat(f"{raw}-01")
        except ValueError:
            errors.append(name)
            return default

    this_month = today.replace(day=1)
    first = month("tu", (this_month - dt.timedelta(days=330)).replace(day=1))
    last = month("den", this_month)
    if first > last:
        first, last = last, first
    if len(months_between(first, last)) > MAX_MONTHS:
        errors.append("range")
        first = months_between(first, last)[-MAX_MONTHS]
    level = params.get("cap", "")
    if level and level not in AgencyLevel.values:
        errors.append("cap")
        level = ""
    raw_agency = params.get("co_quan", "")
    agency_id = int(raw_agency) if raw_agency.isdigit() else None
    if raw_agency and agency_id is None:
        errors.append("co_quan")
    return Filters(first, last, level, agency_id), errors


def public_agencies(filters: Filters) -> list[Agency]:
    agencies = Agency.objects.filter(is_active=True).order_by("path")
    if filters.level:
        agencies = agencies.filter(level=filters.level)
    if filters.agency_id is not None:
        agencies = agencies.filter(pk=filters.agency_id)
    return list(agencies)


def petitions_by_agency(first: dt.date, last: dt.date, agency_ids: list[int]) -> dict[int, int] | None:
    """Petitions (phản ánh, kiến nghị) received per agency over the months FIRST..LAST, provided by the feedback
    app's `motcua.feedback.statistics.petitions_by_agency(first, last, agency_ids)`; None (the column is left out)
    while that app does not exist."""
    try:
        provider = importlib.import_module("motcua.feedback.statistics")
    except ModuleNotFoundError:
        return None
    counts: dict[int, int] = provider.petitions_by_agency(first, last, agency_ids)
    return counts


def figures_by_month(first: dt.date, last: dt.date, agencies: list[Agency]) -> list[tuple[dt.date, Figures]]:
    """The period's figures month by month for AGENCIES together (one grouped read of the rollups)."""
    months = months_between(first, last)
    by_month = {m: Figures() for m in months}
    rows = (MonthlyRollup.objects.filter(agency__in=agencies, month__gte=months[0], month__lte=months[-1])
            .values("month", "channel", "metric").annotate(n=Sum("value")).order_by())
    for row in rows:
        figures = by_month[row["month"]]
        if row["metric"] == Metric.RECEIVED:
            figures.received[row["channel"]] += row["n"]
        figures.counts[row["metric"]] += row["n"]
    return list(by_month.items())


def targets_for(year: int) -> dict[str, Decimal]:
    return dict(Target.objects.filter(year=year).values_list("figure", "value"))


@dataclass
class Statistics:
    filters: Filters
    rows: list[tuple[Agency, Figures]]
    summary: Figures
    trend: list[tuple[dt.date, Figures]]
    targets: dict[str, Decimal]
    petitions: dict[int, int] | None


def statistics(filters: Filters, with_trend: bool = True) -> Statistics:
    agencies = public_agencies(filters)
    figures = figures_by_agency(filters.first, filters.last, agencies, live=False) if agencies else {}
    rows = [(a, figures[a.pk]) for a in agencies if figures[a.pk].received_total or figures[a.pk].counts]
    trend = figures_by_month(filters.first, filters.last, agencies) if with_trend and agencies else []
    return Statistics(filters, rows, total(figures), trend, targets_for(filters.last.year),
                      petitions_by_agency(filters.first, filters.last, [a.pk for a, _f in rows]))


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def figure_record(f: Figures) -> dict[str, Any]:
    """The public figures of one agency (or of all of them, or of one month): counts and rates, nothing personal."""
    return {
        "received": f.received_total,
        "received_online": sum(v for c, v in f.received.items() if c in ("online", "national_portal")),
        "online_rate": _number(f.online_rate),
        "resolved": f.resolved,
        "resolved_on_time": f.counts[Metric.RESOLVED_EARLY] + f.counts[Metric.RESOLVED_ON_TIME],
        "resolved_late": f.counts[Metric.RESOLVED_LATE],
        "on_time_rate": _number(f.on_time_rate),
        "digitised": f.counts[Metric.DIGITISED],
        "digitisation_rate": _number(f.digitisation_rate),
        "paid": f.counts[Metric.PAID],
        "paid_online": f.counts[Metric.PAID_ONLINE],
        "online_payment_rate": _number(f.online_payment_rate),
        "surveyed": f.counts[Metric.SURVEYED],
        "satisfied": f.counts[Metric.SATISFIED],
        "satisfaction_rate": _number(f.satisfaction_rate),
    }


def as_json(stats: Statistics) -> dict[str, Any]:
    petitions = stats.petitions
    return {
        "from": f"{stats.filters.first:%Y-%m}", "to": f"{stats.filters.last:%Y-%m}",
        "level": stats.filters.level or None,
        "targets": {k: float(v) for k, v in stats.targets.items()},
        "total": {**figure_record(stats.summary),
                  "petitions": sum(petitions.values()) if petitions is not None else None},
        "agencies": [{"id": a.pk, "code": a.eid_code, "name": a.name, "level": a.level, **figure_record(f),
                      "petitions": petitions.get(a.pk, 0) if petitions is not None else None}
                     for a, f in stats.rows],
        "months": [{"month": f"{m:%Y-%m}", **figure_record(f)} for m, f in stats.trend],
    }
