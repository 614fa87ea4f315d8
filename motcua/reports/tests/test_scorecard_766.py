"""The national Decision 766 scorecard as seeded: group maxima 18/20/22/22/18, each indicator with its formula,
source and legal reference on the page (no internal note), and indicator 2b — the average resolution time —
computed from the figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.reports.scorecard import compute, current_scorecard
from motcua.reports.tests.test_rollups import walk


@pytest.mark.django_db
def test_group_maxima_and_indicator_points():
    card = current_scorecard(dt.date(2026, 11, 1))
    assert card is not None
    groups: dict[str, Decimal] = {}
    for indicator in card.indicators:
        groups[indicator["code"][0]] = groups.get(indicator["code"][0], Decimal(0)) + Decimal(str(indicator["points"]))
    assert groups == {"1": 18, "2": 20, "3": 22, "4": 22, "5": 18}
    points = {i["code"]: Decimal(str(i["points"])) for i in card.indicators}
    assert [points[code] for code in ("1a", "1b", "1c", "1d")] == [Decimal(6), Decimal(4), Decimal(2), Decimal(6)]
    assert points["2a"] == 20 and points["2b"] == 0 and points["5c"] == 6  # quoted from the decision
    for indicator in card.indicators:
        assert indicator["definition"] and indicator["source"] and indicator["legal_reference"], indicator["code"]
        assert "766/QĐ-TTg" in indicator["legal_reference"]
    assert "đối chiếu" not in card.legal_basis


def test_average_resolution_time_is_computed(client, demo_catalog, demo_agencies, clerk, specialist, leader,
                                             tax_specialist, treasury_specialist, province_admin):
    people = (clerk, specialist, tax_specialist, treasury_specialist, leader)
    # Both received Monday 02/11/2026 at 09:00 (before the cut-off: the clock starts then); results ready one and
    # two working days later: 1.5 working days on average, well within the statutory time.
    for ready in (at(2026, 11, 3), at(2026, 11, 4)):
        dossier = walk(land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 2)), people, ready)
        actions.return_result(dossier, actor=clerk, at=ready + dt.timedelta(hours=1))
    card = current_scorecard(dt.date(2026, 11, 1))
    assert card is not None
    lines = {line.code: line for line in compute(card, dt.date(2026, 11, 1), dt.date(2026, 11, 1),
                                                  list(demo_agencies.values()))}
    assert lines["2b"].rate == 100 and lines["2b"].points == lines["2b"].max_points == 0  # followed, not scored
    assert "1,5" in lines["2b"].value or "1.5" in lines["2b"].value

    client.force_login(province_admin)
    page = client.get(reverse("reports:scorecard"), {"tu": "2026-11", "den": "2026-11"}).content.decode()
    assert "1,5 ngày làm việc" in page
    assert "cần đối chiếu" not in page and "Quyết định 766/QĐ-TTg, Phụ lục" in page


def test_indicators_reaching_their_threshold_score_in_full(demo_catalog, demo_agencies, clerk):
    """4b (online dossiers) is scored in full from 50 %: one online dossier of two gives all 6 points."""
    from motcua.dossiers.models import Channel

    land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 2))
    online = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 3), channel=Channel.ONLINE,
                          assurance_level=2)  # online land needs VNeID level 2
    actions.receive_dossier(online, actor=clerk, at=at(2026, 11, 3, 10))
    card = current_scorecard(dt.date(2026, 11, 1))
    assert card is not None
    lines = {line.code: line for line in compute(card, dt.date(2026, 11, 1), dt.date(2026, 11, 1),
                                                  list(demo_agencies.values()))}
    assert lines["4b"].rate == 50 and lines["4b"].points == lines["4b"].max_points == 6
    assert lines["3a"].points == 0  # nothing digitised: 0 of 4
