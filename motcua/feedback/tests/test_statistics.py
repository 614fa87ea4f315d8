"""Petitions per agency for the public statistics: whole months in the province's zone, merged duplicates once."""

import datetime as dt

import pytest

from motcua.feedback.models import Feedback, Status
from motcua.feedback.statistics import petitions_by_agency
from motcua.feedback.tests.factories import at, petition

pytestmark = pytest.mark.django_db


def test_petitions_are_counted_per_agency_over_whole_local_months(demo_agencies, citizen):
    land, centre = demo_agencies["land_office"], demo_agencies["service_center"]
    petition(citizen, land, when=at(2026, 10, 31, 23, 30), key="a" * 32)  # October in Vietnam (16:30 UTC)
    petition(citizen, land, when=at(2026, 11, 1, 0, 15), key="b" * 32)  # November, though 31/10 in UTC
    petition(citizen, land, when=at(2026, 11, 30, 23, 59), key="c" * 32)
    petition(citizen, centre, when=at(2026, 11, 10, 9), key="d" * 32)
    duplicate = petition(citizen, land, when=at(2026, 11, 12, 9), key="e" * 32)
    Feedback.objects.filter(pk=duplicate.pk).update(status=Status.MERGED)
    petition(citizen, land, when=at(2026, 12, 1, 0, 0), key="f" * 32)

    november = dt.date(2026, 11, 1)
    assert petitions_by_agency(november, november, [land.pk, centre.pk]) == {land.pk: 2, centre.pk: 1}
    assert petitions_by_agency(november, november, [centre.pk]) == {centre.pk: 1}
    assert petitions_by_agency(dt.date(2026, 10, 1), dt.date(2026, 12, 1), [land.pk]) == {land.pk: 4}
    assert petitions_by_agency(dt.date(2027, 1, 1), dt.date(2027, 1, 1), [land.pk]) == {}
