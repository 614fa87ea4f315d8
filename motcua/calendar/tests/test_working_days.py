"""Working-day arithmetic across Tết 2026 and 2027, swaps, and the editable exceptions table."""

import datetime as dt

import pytest

from motcua.calendar.models import CalendarException
from motcua.calendar.service import WorkingCalendar

D = dt.date


@pytest.fixture
def calendar(db):
    return WorkingCalendar.for_province("75")


def test_tet_2026_days_are_off(calendar):
    # Tết Bính Ngọ: Mon 16/02 (giao thừa) to Fri 20/02/2026.
    assert [calendar.is_working_day(D(2026, 2, day)) for day in range(13, 24)] == [
        True, False, False,             # Fri 13; Sat 14, Sun 15
        False, False, False, False, False,  # Mon 16 … Fri 20: Tết
        False, False,                   # Sat 21, Sun 22
        True,                           # Mon 23
    ]
    assert calendar.day_off_reason(D(2026, 2, 17)) == "Tết Nguyên Đán"


def test_adding_working_days_jumps_over_tet_2026(calendar):
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert calendar.add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    assert calendar.add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)
    assert calendar.count_working_days(D(2026, 2, 1), D(2026, 2, 28)) == 15


def test_adding_working_days_jumps_over_tet_2027(calendar):
    # Tết Đinh Mùi: Thu 04/02 to Wed 10/02/2027 (mùng 1 is Saturday 06/02, so three days are observed after it).
    assert calendar.is_working_day(D(2027, 2, 3))
    assert not any(calendar.is_working_day(D(2027, 2, day)) for day in range(4, 11))
    assert calendar.add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 11)
    assert calendar.add_working_days(D(2027, 2, 1), 10) == D(2027, 2, 22)


def test_swapped_saturday_from_the_holidays_package_is_a_working_day(calendar):
    # Saturday 26/04/2025 was worked in exchange for Friday 02/05/2025.
    assert calendar.is_working_day(D(2025, 4, 26))
    assert not calendar.is_working_day(D(2025, 5, 2))
    assert calendar.add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    # 26/04/2025 (Sat) → 28/04 (Mon) → 29/04 (Tue); 30/04, 01/05, 02/05 off; then Mon 05/05.
    assert calendar.add_working_days(D(2025, 4, 29), 1) == D(2025, 5, 5)


def test_make_up_saturday_in_the_table_counts_as_a_working_day(db):
    saturday = D(2027, 2, 20)
    before = WorkingCalendar.for_province("75")
    assert before.add_working_days(D(2027, 2, 19), 1) == D(2027, 2, 22)
    CalendarException.objects.create(date=saturday, kind=CalendarException.Kind.WORKING_DAY, name="Làm bù")
    after = WorkingCalendar.for_province("75")
    assert after.is_working_day(saturday)
    assert after.add_working_days(D(2027, 2, 19), 1) == saturday


def test_extra_day_off_in_the_table_is_skipped(db):
    CalendarException.objects.create(
        date=D(2026, 12, 1), kind=CalendarException.Kind.DAY_OFF, name="Nghỉ theo quyết định của UBND tỉnh",
        province_code="75",
    )
    calendar = WorkingCalendar.for_province("75")
    assert calendar.add_working_days(D(2026, 11, 30), 1) == D(2026, 12, 2)
    assert calendar.day_off_reason(D(2026, 12, 1)) == "Nghỉ theo quyết định của UBND tỉnh"
    # Another province is not affected.
    assert WorkingCalendar.for_province("01").add_working_days(D(2026, 11, 30), 1) == D(2026, 12, 1)


def test_province_exception_overrides_a_nationwide_one(db):
    day = D(2026, 12, 5)  # a Saturday
    CalendarException.objects.create(date=day, kind=CalendarException.Kind.WORKING_DAY, name="Làm bù toàn quốc")
    CalendarException.objects.create(
        date=day, kind=CalendarException.Kind.DAY_OFF, name="Tỉnh không làm bù", province_code="75"
    )
    assert not WorkingCalendar.for_province("75").is_working_day(day)
    assert WorkingCalendar.for_province("01").is_working_day(day)
