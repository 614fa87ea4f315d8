"""The Decision 766/QĐ-TTg scorecard computed from the monthly figures.

Each indicator is configuration: `{"code", "group", "name", "points", "formula"}` where the formula is one of
- `{"ratio": [numerator metrics], "over": [denominator metrics]}` over the rollups (metrics, or `received:<channel>`);
- `{"catalog": "toan_trinh"}`: share of offered procedures that are fully online;
- `{"average_time": "working_days"}`: indicator 2b, the average working days a resolved dossier took, scored as
  the time allowed by law over the time taken (capped at 100 %);
- `{"portal_sync": "received"}`: indicator 1d, dossiers received in the period that the national portal holds as
  they stood at its end, over dossiers received (`selectors.portal_sync_counts`, docs/reports.md);
- `{"national_catalog": "decided_on_time" | "published_on_time" | "complete", "working_days": N}`: indicators
  1a–1c from the national procedures database as pulled by the catalog sync (`reports/catalog_indicators.py`);
- `{"petitions": "on_time" | "satisfaction"}`: indicators 5a and 5b from the petitions (`feedback` app) whose
  answer fell due in the period (`motcua.feedback.statistics.indicator_counts`);
- `{"unavailable": "why"}`: shown, not scored, until the data exists.
Each indicator may also say, for the page: `"definition"` (the formula in words), `"source"` (where its points and
formula come from) and `"legal_reference"` (the legal text it rests on).
Points = maximum points × the rate (linear), the method provinces use for rate indicators; with `"full_at": P` the
maximum is reached at P % (the national portal's rule for several indicators, e.g. online dossiers at 50 %).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure, ServiceLevel
from motcua.core.figures import period_bounds, rate
from motcua.directory.models import Agency
from motcua.feedback.statistics import indicator_counts as petition_counts
from motcua.reports.models import Scorecard
from motcua.reports.selectors import Figures, figures_by_agency, portal_sync_counts, total


@dataclass(frozen=True)
class Line:
    code: str
    group: str
    name: str
    max_points: Decimal
    rate: Decimal | None
    points: Decimal | None
    note: str
    definition: str = ""
    source: str = ""
    legal_reference: str = ""
    value: str = ""  # a figure that is not a rate (2b: the average time), shown beside the rate


def _count(figures: Figures, names: list[str]) -> int:
    result = 0
    for name in names:
        if name.startswith("received:"):
            result += figures.received.get(name.split(":", 1)[1], 0)
        elif name == "received":
            result += figures.received_total
        else:
            result += figures.counts.get(name, 0)
    return result


def _rate(indicator: dict[str, Any], figures: Figures, agencies: list[Agency], first: dt.date | None = None,
          last: dt.date | None = None) -> tuple[Decimal | None, str]:
    formula = indicator["formula"]
    if "portal_sync" in formula or "petitions" in formula:
        return None, ""  # computed by `compute`, which has the period
    if "national_catalog" in formula and first is not None and last is not None:
        from motcua.reports.catalog_indicators import national_catalog_rate

        return national_catalog_rate(formula, first, last, agencies)
    if "ratio" in formula:
        return rate(_count(figures, formula["ratio"]), _count(figures, formula["over"])), ""
    if "average_time" in formula:
        return figures.time_used_rate, ""
    if formula.get("catalog") == "toan_trinh":
        offered = Procedure.objects.published().filter(competent_agencies__in=agencies).distinct()
        return rate(offered.filter(service_level=ServiceLevel.FULL_ONLINE).count(), offered.count()), ""
    return None, str(formula.get("unavailable", ""))


def compute(card: Scorecard, first: dt.date, last: dt.date, agencies: list[Agency]) -> list[Line]:
    figures = total(figures_by_agency(first, last, agencies))
    lines = []
    for indicator in card.indicators:
        value, note = _rate(indicator, figures, agencies, first, last)
        shown = ""
        if "portal_sync" in indicator["formula"]:
            synced, received = portal_sync_counts(first, last, agencies)
            value = rate(synced, received)
            shown = _("%(synced)s of %(received)s dossiers synced") % {"synced": synced, "received": received}
        if "petitions" in indicator["formula"]:
            counted, due = petition_counts(indicator["formula"]["petitions"], *period_bounds(first, last),
                                           [a.pk for a in agencies])
            value = rate(counted, due)
            shown = _("%(counted)s of %(due)s petitions due in the period") % {"counted": counted, "due": due}
        points = Decimal(str(indicator["points"]))
        full_at = Decimal(str(indicator.get("full_at", 100)))
        scored = None if value is None else (points * min(value / full_at, Decimal(1))).quantize(
            Decimal("0.01"), ROUND_HALF_UP)
        if "average_time" in indicator["formula"] and figures.average_resolution_days is not None:
            days = number_format(figures.average_resolution_days, 1)
            shown = _("%(days)s working days on average") % {"days": days}
        lines.append(Line(indicator["code"], indicator["group"], indicator["name"], points, value, scored, note,
                          indicator.get("definition", ""), indicator.get("source", ""),
                          indicator.get("legal_reference", ""), shown))
    return lines


def current_scorecard(day: dt.date) -> Scorecard | None:
    return Scorecard.objects.filter(is_active=True, effective_from__lte=day).order_by("-effective_from").first()
