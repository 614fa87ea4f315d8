"""Statutory deadlines of a dossier, on the working calendar of the province."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings

from motcua.calendar.service import WorkingCalendar
from motcua.dossiers.models import Dossier, Outcome


def calendar_for(dossier: Dossier) -> WorkingCalendar:
    return WorkingCalendar.for_province(settings.MOTCUA_PROVINCE_CODE)


def procedure_due(calendar: WorkingCalendar, dossier: Dossier, received_at: dt.datetime) -> dt.datetime:
    version = dossier.procedure_version
    return calendar.due_at(received_at, version.statutory_days, version.statutory_unit)


def step_due(calendar: WorkingCalendar, dossier: Dossier, started_at: dt.datetime,
             index: int | None = None) -> dt.datetime:
    """When step INDEX (default: the current one) should be done: its days of working time from when it started
    (no cut-off rule: the cut-off concerns receipt from the citizen, not hand-overs between officers)."""
    step = dossier.steps[dossier.step_index if index is None else index]
    days = Decimal(str(step.get("days", "0")))
    unit = dossier.procedure_version.statutory_unit
    if unit == "calendar_days":
        return calendar.due_at(started_at, days, unit)
    start = calendar.next_working_instant(started_at)
    if days == 0:
        return dt.datetime.combine(start.date(), calendar.sessions[-1][1], tzinfo=calendar.tz)
    return calendar.add_working_time(start, calendar.day_length * float(days))


def shift_after_pause(calendar: WorkingCalendar, due: dt.datetime | None, paused_at: dt.datetime,
                      resumed_at: dt.datetime) -> dt.datetime | None:
    """Move DUE so that the working time left at the pause is left again at the resume."""
    if due is None:
        return None
    remaining = calendar.working_time_between(paused_at, due)
    if remaining <= dt.timedelta(0):
        return due  # already late when paused: stays late
    return calendar.add_working_time(resumed_at, remaining)


def outcome_of(calendar: WorkingCalendar, due: dt.datetime, done: dt.datetime) -> Outcome:
    """Early when done on a day before the due day; on time up to the due instant; late after it."""
    if done > due:
        return Outcome.LATE
    if done.astimezone(calendar.tz).date() < due.astimezone(calendar.tz).date():
        return Outcome.EARLY
    return Outcome.ON_TIME


def remaining_working_time(dossier: Dossier, now: dt.datetime) -> dt.timedelta | None:
    due = dossier.effective_due_at
    if due is None:
        return None
    return calendar_for(dossier).working_time_between(now, due)
