"""Decision 766 indicators 1a–1c from the national procedures database as the catalog sync keeps it: the national
records of the demo catalog (as the portal simulator builds them, two of them changed nationally, one national
procedure unknown here) stored through the sync, with controlled dates."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.adapters import national_portal as portal
from motcua.catalog.actions import export_record, import_catalog
from motcua.catalog.models import NationalProcedure, Procedure
from motcua.integrations import catalog_sync
from motcua.reports.scorecard import compute, current_scorecard
from simulators.national_portal import NATIONAL_CATALOG

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 1))


@pytest.fixture
def national(demo_catalog):
    for record in NATIONAL_CATALOG.values():
        catalog_sync.store(portal.parse_national_procedure(record))
    return demo_catalog


def lines(agencies):
    card = current_scorecard(dt.date(2026, 11, 1))
    assert card is not None
    return {line.code: line for line in compute(card, *NOVEMBER, list(agencies))}


def test_1c_counts_offered_procedures_complete_and_matching_the_national_record(national, demo_agencies,
                                                                                 province_admin):
    offered = Procedure.objects.published().count()
    assert offered == 9
    # Not matching: 1.013831 and 1.013833 (changed nationally), 2.000815.000.00.00.H19.02 (no national record).
    assert lines(demo_agencies.values())["1c"].rate == Decimal(100 * 6 / 9).quantize(Decimal("0.1"))
    land = NationalProcedure.objects.get(national_code="1.013831")
    catalog_sync.apply("1.013831", land.digest, actor=province_admin)
    line = lines(demo_agencies.values())["1c"]
    assert line.rate == Decimal("77.8") and line.points == Decimal("1.56")  # 7 of 9, of 2 points
    # A local change after the pull: the record was compared with another version, so it no longer counts.
    record = export_record(Procedure.objects.get(national_code="1.001193"))
    record["time_rule"] += " (sửa tại tỉnh)"
    import_catalog([record])
    assert lines(demo_agencies.values())["1c"].rate == Decimal("66.7")
    # Only the agencies asked about: the land office handles 1.013831 and 1.013833, now one of them matches.
    land_office = [a for a in demo_agencies.values() if a.eid_code == "000.01.16.H19"]
    assert lines(land_office)["1c"].rate == 50


def test_1a_and_1b_from_the_publication_dates(national, demo_agencies):
    # 1a: decided in November. 1.013831: 2/11 → effective 1/12, 21 working days before: on time. 1.013833:
    # 20/11 → 1/12, 7 working days: late. 1.013840 (decided in November too) is no procedure of this province.
    NationalProcedure.objects.filter(national_code="1.013833").update(
        decided_on=dt.date(2026, 11, 20), effective_on=dt.date(2026, 12, 1), published_on=dt.date(2026, 11, 6),
        applied_at=None)
    NationalProcedure.objects.filter(national_code="1.013840").update(
        decided_on=dt.date(2026, 11, 25), effective_on=dt.date(2026, 11, 26), published_on=dt.date(2026, 11, 26))
    # 1b: made public nationally in November. 1.013831 on 5/11, published here on 10/11 (within 5 working days);
    # 1.013833 on 6/11, never taken up here: late.
    NationalProcedure.objects.filter(national_code="1.013831").update(
        applied_at=dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC))
    line = lines(demo_agencies.values())
    assert line["1a"].rate == 50 and line["1a"].points == 3
    assert line["1b"].rate == 50 and line["1b"].points == 2
    # Taken up on 13/11, six working days after 5/11: late, and 1b falls to nothing.
    NationalProcedure.objects.filter(national_code="1.013831").update(
        applied_at=dt.datetime(2026, 11, 13, 9, tzinfo=dt.UTC))
    assert lines(demo_agencies.values())["1b"].rate == 0


def test_before_any_pull_1c_is_unscored_not_zero(demo_catalog, demo_agencies):
    line = lines(demo_agencies.values())["1c"]
    assert line.rate is None and line.points is None and "CSDL quốc gia" in line.note


def test_no_publication_in_the_period_is_shown_unscored(national, demo_agencies):
    card = current_scorecard(dt.date(2026, 11, 1))
    assert card is not None
    october = compute(card, dt.date(2026, 10, 1), dt.date(2026, 10, 1), list(demo_agencies.values()))
    line = {item.code: item for item in october}
    assert line["1a"].rate is None and line["1a"].points is None and "quyết định công bố" in line["1a"].note
