"""Working-hour arithmetic, the receipt cut-off and statutory due dates."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.calendar.models import WorkSchedule
from motcua.calendar.service import WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def calendar(db):
    return WorkingCalendar.for_province("75")


def test_default_day_is_eight_hours(calendar):
    assert calendar.day_length == dt.timedelta(hours=8)


def test_working_time_skips_lunch_and_night(calendar):
    assert calendar.add_working_hours(at(2026, 11, 23, 11), 1) == at(2026, 11, 23, 13, 30)
    # Friday 16:00 + 2 h → Monday 08:30.
    assert calendar.add_working_hours(at(2026, 11, 20, 16), 2) == at(2026, 11, 23, 8, 30)
    # Ending exactly at closing time stays at 17:00.
    assert calendar.add_working_hours(at(2026, 11, 23, 7, 30), 8) == at(2026, 11, 23, 17)


def test_working_time_between_across_tet_2026(calendar):
    # From Thu 12/02/2026 09:30 to Mon 23/02/2026 09:30: 6 h on Thu, 8 h on Fri, 2 h on Mon.
    assert calendar.working_time_between(at(2026, 2, 12, 9, 30), at(2026, 2, 23, 9, 30)) == dt.timedelta(hours=16)
    assert calendar.working_time_between(at(2026, 2, 23, 9, 30), at(2026, 2, 12, 9, 30)) == -dt.timedelta(hours=16)


def test_due_date_before_the_cut_off_counts_from_receipt(calendar):
    # Received Friday 13/02/2026 at 10:00, 1 working day → Monday 23/02/2026 at 10:00 (Tết in between).
    assert calendar.due_at(at(2026, 2, 13, 10), 1) == at(2026, 2, 23, 10)


def test_due_date_after_the_cut_off_counts_from_next_working_day(calendar):
    # Received Friday 13/02/2026 at 15:30 (after 15:00): the clock starts Monday 23/02 at 07:30.
    assert calendar.counting_start(at(2026, 2, 13, 15, 30)) == at(2026, 2, 23, 7, 30)
    assert calendar.due_at(at(2026, 2, 13, 15, 30), 1) == at(2026, 2, 23, 17)
    assert calendar.due_at(at(2026, 2, 13, 15, 30), Decimal("0.5")) == at(2026, 2, 23, 11, 30)


def test_same_day_procedure(calendar):
    assert calendar.due_at(at(2026, 11, 23, 9), 0) == at(2026, 11, 23, 17)
    assert calendar.due_at(at(2026, 11, 23, 15, 1), 0) == at(2026, 11, 25, 17)  # 24/11 is Vietnamese Culture Day
    assert calendar.due_at(at(2026, 11, 22, 9), 0) == at(2026, 11, 23, 17)  # received on Sunday


def test_ten_day_land_procedure_across_tet_2027(calendar):
    # Received Mon 01/02/2027 09:00; 80 working hours; Tết 04–10/02 is skipped:
    # working days after it are 02, 03, 11, 12, 15, 16, 17, 18, 19 and 22/02.
    assert calendar.due_at(at(2027, 2, 1, 9), 10) == at(2027, 2, 22, 9)


def test_schedule_and_cut_off_are_configurable_per_province(db):
    WorkSchedule.objects.create(province_code="01", sessions="08:00-12:00,13:30-17:30", receipt_cutoff=dt.time(16))
    hanoi = WorkingCalendar.for_province("01")
    assert hanoi.counting_start(at(2026, 11, 23, 15, 30)) == at(2026, 11, 23, 15, 30)
    assert hanoi.add_working_hours(at(2026, 11, 23, 11), 2) == at(2026, 11, 23, 14, 30)
    dong_nai = WorkingCalendar.for_province("75")
    assert dong_nai.counting_start(at(2026, 11, 23, 15, 30)) == at(2026, 11, 25, 7, 30)


def test_naive_datetimes_are_refused(calendar):
    with pytest.raises(ValueError):
        calendar.add_working_hours(dt.datetime(2026, 1, 5, 9), 1)


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(min_value=dt.datetime(2024, 12, 1), max_value=dt.datetime(2027, 12, 31)),
    minutes=st.integers(min_value=0, max_value=60 * 8 * 40),
)
def test_adding_then_measuring_working_time_round_trips(start, minutes):
    calendar = WorkingCalendar(
        sessions=[(dt.time(7, 30), dt.time(11, 30)), (dt.time(13), dt.time(17))], receipt_cutoff=dt.time(15)
    )
    begin = start.replace(tzinfo=VN)
    duration = dt.timedelta(minutes=minutes)
    end = calendar.add_working_time(begin, duration)
    assert end >= begin
    assert calendar.working_time_between(begin, end) == duration
    if minutes:
        assert calendar.is_working_day(end.date())


def test_calendar_day_periods_end_on_a_working_day(calendar):
    # A 15-day construction permit received Tue 03/02/2026: day 15 is Wed 18/02 (Tết), so it ends
    # at the close of the next working day, Mon 23/02/2026.
    assert calendar.due_at(at(2026, 2, 3, 9), 15, unit="calendar_days") == at(2026, 2, 23, 17)
    # Received Mon 02/11/2026: day 15 is Tue 17/11, a working day.
    assert calendar.due_at(at(2026, 11, 2, 16), 15, unit="calendar_days") == at(2026, 11, 17, 17)
    with pytest.raises(ValueError):
        calendar.due_at(at(2026, 11, 2, 16), 15, unit="weeks")
