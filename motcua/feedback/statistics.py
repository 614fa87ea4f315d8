"""Petition figures for the reports: petitions received per competent agency over whole months, in the province's
time zone, for the public statistics page and the IOC feed (`motcua.reports.public`); Decision 766 indicators 5a
and 5b for the scorecard (`motcua.reports.scorecard`). A petition merged into another is counted once, as the one
it was merged into."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from motcua.feedback.models import Feedback, Status


def _month_after(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def petitions_by_agency(first: dt.date, last: dt.date, agency_ids: list[int]) -> dict[int, int]:
    """Petitions received from the month of FIRST to the end of the month of LAST, per competent agency among
    AGENCY_IDS (agencies with none are left out)."""
    zone = timezone.get_default_timezone() if settings.USE_TZ else None
    start = dt.datetime.combine(first.replace(day=1), dt.time(), tzinfo=zone)
    end = dt.datetime.combine(_month_after(last.replace(day=1)), dt.time(), tzinfo=zone)
    rows = (Feedback.objects.filter(agency_id__in=agency_ids, received_at__gte=start, received_at__lt=end)
            .exclude(status=Status.MERGED).values("agency_id").annotate(n=Count("pk")).order_by())
    return {row["agency_id"]: row["n"] for row in rows}


def indicator_counts(name: str, start: dt.datetime, end: dt.datetime, agency_ids: list[int] | None,
                     now: dt.datetime | None = None) -> tuple[int, int]:
    """Decision 766 indicators 5a and 5b for the petitions whose answer fell due in [START, END) — and before NOW,
    so that a month in progress does not count a petition still within its time as late — at the agencies
    AGENCY_IDS (competent agency; None: all): (numerator, denominator).

    Counted: petitions within competence, i.e. not merged into another (counted as that one) and not closed without
    an answer (withdrawn or outside competence). 5a "handled on time": answered by the due time. 5b "satisfaction in
    handling" = (all − rated not satisfied (1–2 of 5) − overdue) / all: answered on time and not rated 1–2."""
    due_until = min(end, now or timezone.now())
    rows = (Feedback.objects.filter(due_at__gte=start, due_at__lt=due_until)
            .exclude(status=Status.MERGED).exclude(status=Status.CLOSED, answered_at__isnull=True))
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    on_time = Q(on_time=True)
    wanted = on_time if name == "on_time" else on_time & (Q(rating__isnull=True) | Q(rating__gte=3))
    counts = rows.aggregate(all=Count("pk"), wanted=Count("pk", filter=wanted))
    return counts["wanted"], counts["all"]
