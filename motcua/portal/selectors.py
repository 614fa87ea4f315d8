"""Reads for the citizen pages."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.reports.models import Metric, MonthlyRollup


def most_used_procedures(*, limit: int = 6, months: int = 12, today: dt.date | None = None) -> list[Procedure]:
    """The published procedures with the most dossiers received over the last MONTHS months, most first.

    Read from the monthly figures (maintained as dossiers are received), so the home page never counts the dossier
    table; a procedure nobody has used does not appear."""
    first = (today or timezone.localdate()).replace(day=1)
    year, month = divmod(first.year * 12 + first.month - 1 - (months - 1), 12)
    since = dt.date(year, month + 1, 1)
    counts = (MonthlyRollup.objects.filter(metric=Metric.RECEIVED, month__gte=since)
              .values("procedure").annotate(received=Sum("value")).filter(received__gt=0)
              .order_by("-received", "procedure")[: limit * 3])
    ids = [row["procedure"] for row in counts]
    published = Procedure.objects.published().select_related("current_version").in_bulk(ids)
    return [published[pk] for pk in ids if pk in published][:limit]
