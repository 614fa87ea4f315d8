"""Decision 766 indicators 5a (petitions handled on time) and 5b (satisfaction in handling petitions) equal a hand
count over the petitions whose answer fell due in the period: merged ones and ones closed without an answer are
not counted, a month in progress does not count a petition still within its time, the agency filter holds."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.core.figures import period_bounds
from motcua.feedback.models import Feedback, Status
from motcua.feedback.statistics import indicator_counts
from motcua.feedback.tests.factories import at, petition
from motcua.reports.scorecard import compute, current_scorecard

pytestmark = pytest.mark.django_db
NOVEMBER = dt.date(2026, 11, 1)


def made(citizen, agency, key, due, **fields):
    item = petition(citizen, agency, when=at(2026, 10, 20, 9), key=key * 32)
    Feedback.objects.filter(pk=item.pk).update(due_at=due, **fields)
    return item


@pytest.fixture
def petitions(demo_agencies, citizen):
    land, centre = demo_agencies["land_office"], demo_agencies["service_center"]
    answered = {"status": Status.ANSWERED}
    made(citizen, land, "a", at(2026, 11, 5, 9), answered_at=at(2026, 11, 4, 9), on_time=True, rating=5, **answered)
    made(citizen, land, "b", at(2026, 11, 10, 9), answered_at=at(2026, 11, 9, 9), on_time=True, rating=2, **answered)
    made(citizen, land, "c", at(2026, 11, 12, 9), answered_at=at(2026, 11, 16, 9), on_time=False, **answered)
    made(citizen, land, "d", at(2026, 11, 20, 9), status=Status.IN_PROGRESS)  # unanswered, overdue
    made(citizen, land, "e", at(2026, 11, 25, 9), status=Status.MERGED)
    made(citizen, land, "f", at(2026, 11, 26, 9), status=Status.CLOSED)  # closed without an answer
    made(citizen, land, "g", at(2026, 12, 3, 9), status=Status.IN_PROGRESS)  # due in December
    made(citizen, land, "h", at(2026, 11, 28, 9), answered_at=at(2026, 11, 27, 9), on_time=True, **answered)
    made(citizen, land, "i", at(2026, 12, 1, 0, 0), status=Status.IN_PROGRESS)  # 1/12 00:00 local: December
    made(citizen, centre, "j", at(2026, 11, 15, 9), answered_at=at(2026, 11, 14, 9), on_time=True, rating=1,
         **answered)
    return land, centre


def test_5a_and_5b_equal_a_hand_count(petitions, demo_agencies):
    land, _centre = petitions
    start, end = period_bounds(NOVEMBER, NOVEMBER)
    later = at(2027, 1, 5, 9)
    # Land office: a, b, c, d, h are counted; on time a, b, h; on time and not rated 1–2: a, h.
    assert indicator_counts("on_time", start, end, [land.pk], now=later) == (3, 5)
    assert indicator_counts("satisfaction", start, end, [land.pk], now=later) == (2, 5)
    assert indicator_counts("on_time", start, end, None, now=later) == (4, 6)  # j too
    assert indicator_counts("satisfaction", start, end, None, now=later) == (2, 6)  # j was rated 1

    card = current_scorecard(NOVEMBER)
    assert card is not None
    lines = {line.code: line for line in compute(card, NOVEMBER, NOVEMBER, [land])}
    assert (lines["5a"].rate, lines["5a"].points) == (Decimal("60.0"), Decimal("3.60"))
    assert (lines["5b"].rate, lines["5b"].points) == (Decimal("40.0"), Decimal("2.40"))
    assert lines["5a"].value == "3 trên 5 PAKN đến hạn trả lời trong kỳ"
    assert lines["5a"].note == "" and "thẩm quyền" in lines["5a"].definition


def test_a_month_in_progress_counts_only_petitions_already_due(petitions):
    land, _centre = petitions
    start, end = period_bounds(dt.date(2026, 12, 1), dt.date(2026, 12, 1))
    assert indicator_counts("on_time", start, end, [land.pk], now=at(2026, 12, 2, 9)) == (0, 1)  # i only
    assert indicator_counts("on_time", start, end, [land.pk], now=at(2026, 12, 10, 9)) == (0, 2)  # i and g


def test_no_petitions_due_is_no_rate_not_zero(demo_agencies):
    card = current_scorecard(NOVEMBER)
    assert card is not None
    lines = {line.code: line for line in compute(card, NOVEMBER, NOVEMBER, [demo_agencies["land_office"]])}
    assert lines["5a"].rate is None and lines["5a"].points is None


def test_the_scorecard_page_shows_the_petition_indicators(client, petitions, province_admin):
    client.force_login(province_admin)
    page = client.get(reverse("reports:scorecard"), {"tu": "2026-11", "den": "2026-11"}).content.decode()
    assert "Tỷ lệ PAKN xử lý đúng hạn" in page and "chưa có phân hệ PAKN" not in page
