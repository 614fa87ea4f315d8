"""The Government's day swaps of 2024-2026 are shipped (seeded by migration, each with its legal source) and
deadlines across each of them skip the weekday given off and count the Saturday worked."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.calendar import service
from motcua.calendar.government_days import read_rows, seed_government_days
from motcua.calendar.models import CalendarException
from motcua.calendar.service import WorkingCalendar

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Each year's weekdays off and weekend days worked for the civil service, assembled by hand from the Labour Code
# 2019 (art. 111(3), 112) and the year's notices, not from the code under test.
NOTICES = {
    2024: (
        [D(2024, 1, 1),
         # Thông báo 5015/TB-LĐTBXH: Tết 08–12/02, with 13 and 14/02 in lieu of the Saturday and Sunday.
         D(2024, 2, 8), D(2024, 2, 9), D(2024, 2, 12), D(2024, 2, 13), D(2024, 2, 14),
         D(2024, 4, 18),  # Giỗ Tổ Hùng Vương
         # Công văn 2450/VPCP-KGVX: Monday 29/04 off, Saturday 04/05 worked.
         D(2024, 4, 29), D(2024, 4, 30), D(2024, 5, 1),
         D(2024, 9, 2), D(2024, 9, 3)],  # Quốc khánh and the day after (Thông báo 5015/TB-LĐTBXH)
        [D(2024, 5, 4)],
    ),
    2025: (
        [D(2025, 1, 1),
         D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31),  # 6150/TB-BLĐTBXH: Tết
         D(2025, 4, 7),  # Giỗ Tổ Hùng Vương
         # The same notice: Friday 02/05 off, Saturday 26/04 worked.
         D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2),
         D(2025, 9, 1), D(2025, 9, 2)],
        [D(2025, 4, 26)],
    ),
    2026: (
        # Công văn 12729/VPCP-KGVX: Friday 02/01 off, Saturday 10/01 worked.
        [D(2026, 1, 1), D(2026, 1, 2),
         D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20),  # 9441/TB-BNV: Tết
         D(2026, 4, 27),  # Giỗ Tổ Hùng Vương on Sunday 26/04, made up on the Monday
         D(2026, 4, 30), D(2026, 5, 1),  # Công văn 3383/BNV-CVL: no swap
         # 9441/TB-BNV: Monday 31/08 off, Saturday 22/08 worked; 01/09 is the second National Day day.
         D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2),
         D(2026, 11, 24)],  # Ngày Văn hóa Việt Nam (Nghị quyết 28/2026/QH16)
        [D(2026, 1, 10), D(2026, 8, 22)],
    ),
}


def _days(year):
    day = D(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


@pytest.fixture
def calendar(db):
    return WorkingCalendar.for_province("75")


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_each_year_has_the_days_its_notices_give(calendar, year):
    weekdays_off = [day for day in _days(year) if day.weekday() < 5 and not calendar.is_working_day(day)]
    weekends_worked = [day for day in _days(year) if day.weekday() >= 5 and calendar.is_working_day(day)]
    assert (weekdays_off, weekends_worked) == NOTICES[year]


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


# (received, working days, due): one working day from 08:00 ends at 08:00 of the next working day.
ACROSS_SWAPS = [
    (at(D(2024, 4, 26)), 1, at(D(2024, 5, 2))),   # over Monday 29/04/2024 given off (and 30/04, 01/05)
    (at(D(2024, 5, 3)), 1, at(D(2024, 5, 4))),    # onto Saturday 04/05/2024 worked
    (at(D(2025, 4, 25)), 1, at(D(2025, 4, 26))),  # onto Saturday 26/04/2025 worked
    (at(D(2025, 4, 29)), 1, at(D(2025, 5, 5))),   # over 30/04, 01/05 and Friday 02/05/2025 given off
    (at(D(2025, 12, 31)), 1, at(D(2026, 1, 5))),  # over 01/01 and Friday 02/01/2026 given off
    (at(D(2026, 1, 9)), 1, at(D(2026, 1, 10))),   # onto Saturday 10/01/2026 worked
    (at(D(2025, 12, 30)), 5, at(D(2026, 1, 8))),  # across 01 and 02/01: 31/12, 05, 06, 07, 08/01
    (at(D(2026, 1, 8)), 3, at(D(2026, 1, 12))),   # 09, 10 (Saturday), 12/01
    (at(D(2026, 8, 21)), 1, at(D(2026, 8, 22))),  # onto Saturday 22/08/2026 worked
    (at(D(2026, 8, 28)), 1, at(D(2026, 9, 3))),   # over Monday 31/08/2026 given off (and 01, 02/09)
]


@pytest.mark.parametrize(("received", "days", "due"), ACROSS_SWAPS,
                         ids=[f"{r:%Y-%m-%d}+{n}" for r, n, _ in ACROSS_SWAPS])
def test_deadlines_across_each_swap(calendar, received, days, due):
    assert calendar.due_at(received, days) == due


def test_the_shipped_table_carries_the_swaps_without_the_holidays_package(db, monkeypatch):
    """The package's own swaps taken away, the seeded rows alone still swap every day."""
    monkeypatch.setattr(service, "national_makeup_working_days", dict)
    package = service.national_days_off
    monkeypatch.setattr(service, "national_days_off", lambda year: {
        day: name for day, name in package(year).items() if not name.startswith("Ngày nghỉ (thay cho")})
    calendar = WorkingCalendar.load("75")
    for row in read_rows():
        assert calendar.is_working_day(row["date"]) == (row["kind"] == CalendarException.Kind.WORKING_DAY), row
    assert calendar.day_off_reason(D(2026, 1, 2)) == "Nghỉ hoán đổi dịp Tết Dương lịch (làm bù thứ Bảy 10/01/2026)"


def test_every_seeded_day_is_nationwide_with_its_legal_source_and_in_a_swap_pair(db):
    rows = read_rows()
    seeded = {row.date: row for row in CalendarException.objects.filter(province_code="")}
    for row in rows:
        stored = seeded[row["date"]]
        assert (stored.kind, stored.name, stored.legal_basis) == (row["kind"], row["name"], row["legal_basis"])
        assert "VPCP" in stored.legal_basis or "/TB-" in stored.legal_basis
    off = sorted(row["date"] for row in rows if row["kind"] == "day_off")
    worked = sorted(row["date"] for row in rows if row["kind"] == "working_day")
    assert all(day.weekday() < 5 for day in off) and all(day.weekday() == 5 for day in worked)
    assert [day.year for day in off] == [day.year for day in worked]  # one Saturday for each weekday given off
    assert {day.year for day in off} == {2024, 2025, 2026}


def test_seeding_again_keeps_an_administrators_edit(db):
    CalendarException.objects.filter(date=D(2026, 1, 10), province_code="").update(
        kind=CalendarException.Kind.DAY_OFF, name="Tỉnh không làm bù")
    CalendarException.objects.filter(date=D(2026, 8, 22), province_code="").delete()
    assert seed_government_days() == 1  # the deleted day comes back, the edited one is left alone
    assert not WorkingCalendar.load("75").is_working_day(D(2026, 1, 10))
    assert WorkingCalendar.load("75").is_working_day(D(2026, 8, 22))
