"""The working calendar laid out as a line of working seconds, for generating realistic dossiers fast.

Working day number i (0 = the first working day on or after the start) covers the coordinates [i·L, (i+1)·L],
L being the working seconds of a day. Adding working time is then an addition, and turning a coordinate back into
an instant needs only the day's date and the sessions — which SQL can do too, so `generate_dossiers` makes
millions of dossiers in the database with the same dates that `WorkingCalendar` gives one at a time (tested
against it). Two readings of a coordinate on a boundary, as in `WorkingCalendar`:
- `opening` (a receipt): the session that starts there (13:00, not 11:30);
- `closing` (a due instant, a result): the session that ends there (17:00 of the day, not 07:30 of the next).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from motcua.calendar.service import WorkingCalendar


def _seconds(time: dt.time) -> int:
    return time.hour * 3600 + time.minute * 60 + time.second


@dataclass(frozen=True)
class Session:
    opens: int  # seconds after midnight
    first: int  # working seconds of the day before it
    last: int  # working seconds of the day at its close


class WorkingLine:
    def __init__(self, calendar: WorkingCalendar, start: dt.date, end: dt.date) -> None:
        self.calendar = calendar
        self.start = start
        self.days = list(calendar.working_days(start, end))
        done, sessions = 0, []
        for opens, closes in calendar.sessions:
            length = _seconds(closes) - _seconds(opens)
            sessions.append(Session(_seconds(opens), done, done + length))
            done += length
        self.sessions = sessions
        self.day_length = done
        cutoff = _seconds(calendar.receipt_cutoff)
        self.cutoff = sum(min(max(cutoff - s.opens, 0), s.last - s.first) for s in sessions)
        # For each calendar date from START, the number of the first working day on or after it.
        self.next_day: list[int] = []
        number, day = 0, start
        while day <= end:
            while number < len(self.days) and self.days[number] < day:
                number += 1
            self.next_day.append(number)
            day += dt.timedelta(days=1)

    # --- coordinates -> instants --------------------------------------------------------------------

    def _instant(self, number: int, offset: int, closing: bool) -> dt.datetime:
        for session in self.sessions:
            if (offset < session.last) or (closing and offset == session.last):
                seconds = session.opens + offset - session.first
                return dt.datetime.combine(self.days[number], dt.time(0), tzinfo=self.calendar.tz) \
                    + dt.timedelta(seconds=seconds)
        raise ValueError(f"offset {offset} outside the working day")

    def opening(self, x: int) -> dt.datetime:
        return self._instant(x // self.day_length, x % self.day_length, closing=False)

    def closing(self, x: int) -> dt.datetime:
        number = math.ceil(x / self.day_length) - 1
        return self._instant(number, x - number * self.day_length, closing=True)

    def coordinate(self, instant: dt.datetime) -> int:
        """The working seconds up to INSTANT (the last working moment before it, outside working time)."""
        local = instant.astimezone(self.calendar.tz)
        number = self.next_day[(local.date() - self.start).days]
        if number < len(self.days) and self.days[number] == local.date():
            now = _seconds(local.time())
            done = sum(min(max(now - s.opens, 0), s.last - s.first) for s in self.sessions)
            return number * self.day_length + done
        return number * self.day_length

    # --- the statutory rules in coordinates ----------------------------------------------------------

    def counting_start(self, received: int) -> int:
        """Received before the cut-off: from then; after it: from the next working day's opening."""
        number, offset = divmod(received, self.day_length)
        return received if offset < self.cutoff else (number + 1) * self.day_length

    def due(self, received: int, days: Decimal, unit: str) -> int:
        """`WorkingCalendar.due_at` in coordinates (RECEIVED read as an opening)."""
        if unit == "calendar_days":
            last = self.days[received // self.day_length] + dt.timedelta(days=math.ceil(days))
            return (self.next_day[(last - self.start).days] + 1) * self.day_length
        start = self.counting_start(received)
        if days == 0:
            return (start // self.day_length + 1) * self.day_length
        return start + round(float(days) * self.day_length)
