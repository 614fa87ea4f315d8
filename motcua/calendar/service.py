"""Working-day and working-hour arithmetic for statutory deadlines.

A day is a working day when, in this order of precedence:
1. the editable `CalendarException` table says so (a make-up working day, or an extra day off); it ships seeded
   with the Government's announced swaps of 2024-2026, each with its legal source (`government_days.py`), e.g.
   Friday 02/01/2026 off and Saturday 10/01/2026 worked (Công văn 12729/VPCP-KGVX), which `holidays` lacks;
2. it is a make-up working day of a Government swap known to the `holidays` package
   (e.g. Saturday 26/04/2025, worked in exchange for Friday 02/05/2025);
3. otherwise it is not a public holiday of `holidays.VN` (observed days included) and not a Saturday/Sunday.

Working time runs only inside the province's working sessions (07:30–11:30 and 13:00–17:00 by default).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db.models import Q

from motcua.calendar.models import CalendarException, WorkSchedule, default_schedule, parse_sessions
from motcua.core import process_cache

Session = tuple[dt.time, dt.time]


@functools.lru_cache(maxsize=64)
def national_days_off(year: int) -> dict[dt.date, str]:
    """Vietnam's public holidays for YEAR, with Vietnamese names (observed and swapped days included)."""
    return dict(holidays.country_holidays("VN", years=year, language="vi"))


@functools.lru_cache(maxsize=1)
def national_makeup_working_days() -> dict[dt.date, str]:
    """Saturdays worked in exchange for a bridge day off, as recorded by the `holidays` package.

    `holidays` lists only the day off ("Ngày nghỉ (thay cho ngày 26/04/2025)"); the worked Saturday is the
    "from" date of each entry of `VietnamStaticHolidays.special_public_holidays`:
    (to_month, to_day, from_month, from_day[, from_year]).
    """
    from holidays.countries.vietnam import VietnamStaticHolidays

    result: dict[dt.date, str] = {}
    table: dict[int, Any] = VietnamStaticHolidays.special_public_holidays
    for year, entries in table.items():
        swaps = entries if isinstance(entries[0], tuple) else (entries,)
        for swap in swaps:
            to_month, to_day, from_month, from_day, *rest = swap
            from_year = rest[0] if rest else year
            worked = dt.date(from_year, from_month, from_day)
            result[worked] = f"Làm bù cho ngày nghỉ {dt.date(year, to_month, to_day):%d/%m/%Y}"
    return result


# Seconds a process keeps a province's calendar before reading it again.
CALENDAR_CACHE_SECONDS = 60.0
_calendars: dict[str, tuple[float, WorkingCalendar]] = {}
_calendars_lock = threading.Lock()
_clock = time.monotonic


def forget_calendars(**_: Any) -> None:
    """Drop the calendars this process keeps (on an edit of the calendar tables — `process_cache.edited(CALENDAR)`,
    here or, through the counter, in another process — or of the settings they default to)."""
    with _calendars_lock:
        _calendars.clear()


process_cache.on_forget(process_cache.CALENDAR, forget_calendars)


@dataclass
class WorkingCalendar:
    sessions: list[Session]
    receipt_cutoff: dt.time
    extra_days_off: dict[dt.date, str] = field(default_factory=dict)
    extra_working_days: dict[dt.date, str] = field(default_factory=dict)
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(settings.TIME_ZONE))

    # --- construction ----------------------------------------------------------------------------

    @classmethod
    def for_province(cls, province_code: str | None = None) -> WorkingCalendar:
        """The province's calendar, kept in this process for CALENDAR_CACHE_SECONDS (every deadline of every
        transition needs it; its tables change a few times a year). An edit in this process is seen at once, one
        in another process within `process_cache.FRESHNESS_SECONDS` (see `forget_calendars`), an edit that
        bypasses both (bulk SQL) within the cache time."""
        code = province_code or settings.MOTCUA_PROVINCE_CODE
        process_cache.check_freshness()
        now = _clock()
        cached = _calendars.get(code)
        if cached is not None and now - cached[0] < CALENDAR_CACHE_SECONDS:
            return cached[1]
        calendar = cls.load(code)
        with _calendars_lock:
            _calendars[code] = (now, calendar)
        return calendar

    @classmethod
    def load(cls, code: str) -> WorkingCalendar:
        """The calendar of province CODE read from the database now."""
        schedule = WorkSchedule.objects.filter(province_code=code).first() or default_schedule()
        calendar = cls(sessions=parse_sessions(schedule.sessions), receipt_cutoff=schedule.receipt_cutoff)
        exceptions = CalendarException.objects.filter(Q(province_code="") | Q(province_code=code))
        # Province-specific rows override nationwide rows of the same day.
        for row in sorted(exceptions, key=lambda r: r.province_code != ""):
            target, other = (
                (calendar.extra_days_off, calendar.extra_working_days)
                if row.kind == CalendarException.Kind.DAY_OFF
                else (calendar.extra_working_days, calendar.extra_days_off)
            )
            target[row.date] = row.name
            other.pop(row.date, None)
        return calendar

    # --- days ------------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        if day in national_makeup_working_days():
            return True
        if day in national_days_off(day.year):
            return False
        return day.weekday() < 5

    def day_off_reason(self, day: dt.date) -> str | None:
        """Why DAY is not a working day (None when it is one)."""
        if self.is_working_day(day):
            return None
        return self.extra_days_off.get(day) or national_days_off(day.year).get(day) or "Nghỉ cuối tuần"

    def working_days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Working days in [start, end]."""
        day = start
        while day <= end:
            if self.is_working_day(day):
                yield day
            day += dt.timedelta(days=1)

    def next_working_day(self, day: dt.date, *, include: bool = False) -> dt.date:
        candidate = day if include else day + dt.timedelta(days=1)
        while not self.is_working_day(candidate):
            candidate += dt.timedelta(days=1)
        return candidate

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The COUNT-th working day after DAY (DAY itself if COUNT is 0); COUNT may be negative."""
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        current = day
        while remaining:
            current += dt.timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days END is after START."""
        return sum(1 for _ in self.working_days(start + dt.timedelta(days=1), end))

    # --- hours -----------------------------------------------------------------------------------

    @property
    def day_length(self) -> dt.timedelta:
        return sum((_span(day_start, day_end) for day_start, day_end in self.sessions), dt.timedelta())

    def _local(self, instant: dt.datetime) -> dt.datetime:
        if instant.tzinfo is None:
            raise ValueError("Naive datetimes are ambiguous; pass an aware datetime.")
        return instant.astimezone(self.tz)

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def next_working_instant(self, instant: dt.datetime) -> dt.datetime:
        """The earliest instant >= INSTANT that lies inside a working session."""
        local = self._local(instant)
        day = local.date()
        if self.is_working_day(day):
            for start, end in self.sessions:
                if local.time() < end:
                    return max(local, self._at(day, start))
        return self._at(self.next_working_day(day), self.sessions[0][0])

    def add_working_time(self, instant: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The instant when DURATION of working time has elapsed after INSTANT.

        A duration that ends exactly at the close of a session ends there (17:00), not at the next opening.
        """
        if duration < dt.timedelta(0):
            raise ValueError("duration must not be negative")
        current = self.next_working_instant(instant)
        remaining = duration
        while True:
            day = current.date()
            for start, end in self.sessions:
                session_end = self._at(day, end)
                if current >= session_end:
                    continue
                current = max(current, self._at(day, start))
                available = session_end - current
                if remaining <= available:
                    return current + remaining
                remaining -= available
                current = session_end
            current = self._at(self.next_working_day(day), self.sessions[0][0])

    def add_working_hours(self, instant: dt.datetime, hours: float | Decimal) -> dt.datetime:
        return self.add_working_time(instant, dt.timedelta(hours=float(hours)))

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time from START to END; negative when END is before START."""
        if end < start:
            return -self.working_time_between(end, start)
        local_start, local_end = self._local(start), self._local(end)
        total = dt.timedelta()
        for day in self.working_days(local_start.date(), local_end.date()):
            for session_start, session_end in self.sessions:
                lo = max(local_start, self._at(day, session_start))
                hi = min(local_end, self._at(day, session_end))
                if hi > lo:
                    total += hi - lo
        return total

    # --- statutory deadlines ---------------------------------------------------------------------

    def counting_start(self, received_at: dt.datetime) -> dt.datetime:
        """When the statutory clock starts for a dossier validly received at RECEIVED_AT.

        Received on a working day before the cut-off: from that moment (or the next session's opening);
        after the cut-off, or on a day off: from the opening of the next working day.
        """
        local = self._local(received_at)
        if self.is_working_day(local.date()) and local.time() < self.receipt_cutoff:
            return self.next_working_instant(local)
        return self._at(self.next_working_day(local.date()), self.sessions[0][0])

    def due_at(
        self, received_at: dt.datetime, days: Decimal | int | float, unit: str = "working_days"
    ) -> dt.datetime:
        """The appointment for a procedure that takes DAYS days of UNIT (0 = within the day).

        Working days (the usual case) are counted as working time from the counting start. Same-day procedures
        ("trong ngày") are due at the close of the day the clock starts on, so a dossier received after the
        cut-off is due at the close of the next working day.

        Calendar days (a few laws say "15 ngày") run from the day after receipt (Civil Code 2015, Art. 147) and end
        at the close of the last day; a last day that is a day off moves to the close of the next working day
        (Art. 148(5)).
        """
        count = Decimal(str(days))
        if count < 0:
            raise ValueError("days must not be negative")
        if unit == "calendar_days":
            last = self._local(received_at).date() + dt.timedelta(days=int(count.to_integral_value("ROUND_CEILING")))
            return self._at(self.next_working_day(last, include=True), self.sessions[-1][1])
        if unit != "working_days":
            raise ValueError(f"unknown time unit {unit!r}")
        start = self.counting_start(received_at)
        if count == 0:
            return self._at(start.date(), self.sessions[-1][1])
        return self.add_working_time(start, self.day_length * float(count))

    def describe(self, days: Iterable[dt.date]) -> list[tuple[dt.date, bool, str | None]]:
        return [(day, self.is_working_day(day), self.day_off_reason(day)) for day in days]


def _span(start: dt.time, end: dt.time) -> dt.timedelta:
    today = dt.date(2000, 1, 3)
    return dt.datetime.combine(today, end) - dt.datetime.combine(today, start)
