"""Petition figures for the public statistics page and the IOC feed (`motcua.reports.public` asks for them):
petitions received per competent agency over whole months, in the province's time zone. A petition merged into
another is counted once, as the one it was merged into."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count
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
