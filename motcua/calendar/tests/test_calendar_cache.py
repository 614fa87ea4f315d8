"""The working calendar is kept per process: read once, forgotten on an edit here (explicitly: the models' save
and delete call `process_cache.edited`, no signal), on an edit in another process within the freshness check
(the counter row), and re-read after its time whatever happened."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from motcua.calendar import service
from motcua.calendar.models import CalendarException, WorkSchedule
from motcua.calendar.service import WorkingCalendar
from motcua.core import process_cache
from motcua.core.models import CacheGeneration

DAY = dt.date(2026, 12, 1)  # a Tuesday


def test_second_use_reads_nothing(db):
    WorkingCalendar.for_province("75")
    with CaptureQueriesContext(connection) as queries:
        calendar = WorkingCalendar.for_province("75")
    assert len(queries) == 0 and calendar.is_working_day(DAY)


def test_an_edit_in_this_process_is_seen_at_once(db):
    assert WorkingCalendar.for_province("75").is_working_day(DAY)
    row = CalendarException.objects.create(date=DAY, kind=CalendarException.Kind.DAY_OFF, name="Nghỉ",
                                           province_code="75")
    assert not WorkingCalendar.for_province("75").is_working_day(DAY)
    row.delete()
    assert WorkingCalendar.for_province("75").is_working_day(DAY)
    WorkSchedule.objects.create(province_code="75", sessions="08:00-12:00", receipt_cutoff=dt.time(11))
    assert WorkingCalendar.for_province("75").day_length == dt.timedelta(hours=4)


def test_an_edit_elsewhere_is_seen_after_the_cache_time(db, monkeypatch):
    assert WorkingCalendar.for_province("75").is_working_day(DAY)
    # As another process would: no signal reaches this one.
    CalendarException.objects.bulk_create([
        CalendarException(date=DAY, kind=CalendarException.Kind.DAY_OFF, name="Nghỉ", province_code="75")])
    assert WorkingCalendar.for_province("75").is_working_day(DAY)  # still the kept one
    later = service._clock() + service.CALENDAR_CACHE_SECONDS + 1
    monkeypatch.setattr(service, "_clock", lambda: later)
    assert not WorkingCalendar.for_province("75").is_working_day(DAY)


@pytest.mark.django_db
def test_settings_change_forgets(settings):
    assert WorkingCalendar.for_province("75").day_length == dt.timedelta(hours=8)
    settings.MOTCUA_WORKING_HOURS = "07:00-11:00"
    assert WorkingCalendar.for_province("75").day_length == dt.timedelta(hours=4)


def test_an_edit_in_another_process_is_seen_after_the_freshness_check(db, monkeypatch):
    assert WorkingCalendar.for_province("75").is_working_day(DAY)
    # Another process's edit: its rows and the calendar's counter, committed; no forget reaches this process.
    CalendarException.objects.bulk_create([
        CalendarException(date=DAY, kind=CalendarException.Kind.DAY_OFF, name="Nghỉ", province_code="75")])
    CacheGeneration.objects.filter(area=process_cache.CALENDAR).update(generation=F("generation") + 1)
    assert WorkingCalendar.for_province("75").is_working_day(DAY)
    later = process_cache._clock() + process_cache.FRESHNESS_SECONDS + 0.1
    monkeypatch.setattr(process_cache, "_clock", lambda: later)
    assert not WorkingCalendar.for_province("75").is_working_day(DAY)


def test_no_signal_is_connected(db):
    """The calendar is forgotten by the explicit call in the models' save/delete, not by a post_save receiver."""
    from django.db.models.signals import post_delete, post_save

    for model in (CalendarException, WorkSchedule):
        assert not post_save.has_listeners(model) and not post_delete.has_listeners(model)
