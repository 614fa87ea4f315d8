"""The arithmetic every figure shares: a month's bounds in the site's time zone and a percentage.

Reports use it for every KPI; a page elsewhere that shows one figure (the connections page's national-portal sync
rate) uses the same so that both print the same number."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone


def rate(part: int, whole: int) -> Decimal | None:
    """PART of WHOLE in per cent, one decimal, half up; None when WHOLE is 0 (no figure rather than 0 %)."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def period_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the months from FIRST's to LAST's, in the site's time zone (as the rollups count months)."""
    tz = timezone.get_current_timezone()
    end_month = (month_start(last).replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (dt.datetime.combine(month_start(first), dt.time.min, tzinfo=tz),
            dt.datetime.combine(end_month, dt.time.min, tzinfo=tz))
