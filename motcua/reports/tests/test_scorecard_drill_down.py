"""The 766 scorecard per agency and per level (commune …): each indicator computed from the figures equals a hand
count on a small fixture, for the agency drilled into; points by agency add up to each agency's own scorecard."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from motcua.directory.models import AgencyLevel
from motcua.directory.selectors import agencies_in_scope
from motcua.dossiers import actions
from motcua.dossiers.models import Channel
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.reports.scorecard import compute, current_scorecard
from motcua.reports.selectors import REPORT_ROLES
from motcua.reports.tests.test_public_statistics import PERIOD, dossiers  # noqa: F401


def test_each_indicator_equals_a_hand_count(dossiers, demo_catalog, demo_agencies, clerk, province_admin,  # noqa: F811
                                            client):
    online = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 6), channel=Channel.ONLINE,
                          assurance_level=2)
    actions.receive_dossier(online, actor=clerk, at=at(2026, 11, 6, 10))
    land = demo_agencies["land_office"]
    client.force_login(province_admin)
    page = client.get(reverse("reports:scorecard"), {**PERIOD, "co_quan": land.pk})
    assert page.status_code == 200 and page.context["agency"] == land
    lines = {line.code: line for line in page.context["lines"]}
    # By hand: 6 received (1 online), 3 resolved (early, late, on time), nothing digitised, reused, paid, rated or
    # returned electronically.
    assert lines["2a"].rate == Decimal("66.7") and lines["2a"].points == Decimal("13.34")
    assert lines["4b"].rate == Decimal("16.7") and lines["4b"].points == Decimal("2.00")  # full at 50 %
    assert lines["3a"].rate == 0 and lines["3c"].rate == 0 and lines["3b"].rate == 0
    assert lines["4c"].rate is None and lines["5c"].rate is None  # nothing paid, nobody rated: unscored, not zero
    assert lines["5a"].points is None and lines["5b"].points is None  # the feedback app's
    assert lines["1d"].rate == 0  # nothing sent to the national portal in this fixture (no portal configured)
    assert lines["2b"].value  # the average working days, shown
    card = current_scorecard(dt.date(2026, 12, 1))
    assert card is not None
    assert {line.code: line.points for line in compute(card, dt.date(2026, 11, 1), dt.date(2026, 12, 1), [land])} \
        == {code: line.points for code, line in lines.items()}

    # Per level: the communes handled none of these dossiers, so every dossier indicator is unscored for them.
    communes = client.get(reverse("reports:scorecard"), {**PERIOD, "cap": AgencyLevel.COMMUNE})
    commune_lines = {line.code: line for line in communes.context["lines"]}
    assert commune_lines["2a"].rate is None and commune_lines["4b"].rate is None

    # Points by agency: the one agency with dossiers, with the points of its own scorecard, linking to it.
    by_agency = client.get(reverse("reports:scorecard"), {**PERIOD, "theo_co_quan": "1"})
    assert [(a, s) for a, s, _av in by_agency.context["by_agency"]] == [(land, page.context["score"])]
    assert f"co_quan={land.pk}" in by_agency.content.decode()


def test_the_drill_down_stays_within_the_scope(dossiers, demo_agencies, leader, client):  # noqa: F811
    """A leader asking for an agency outside their scope gets their own scope, not that agency."""
    client.force_login(leader)
    mine = {a.pk for a in agencies_in_scope(leader, *REPORT_ROLES)}
    outside = next(a for a in demo_agencies.values() if a.pk not in mine)
    scope = client.get(reverse("reports:scorecard"), PERIOD).context
    page = client.get(reverse("reports:scorecard"), {**PERIOD, "co_quan": outside.pk})
    assert page.context["agency"] is None
    assert [line.points for line in page.context["lines"]] == [line.points for line in scope["lines"]]
