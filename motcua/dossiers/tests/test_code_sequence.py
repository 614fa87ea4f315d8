"""The daily sequence behind dossier codes: one upsert per number, per agency and day, inside the transaction."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.codes import next_sequence
from motcua.dossiers.models import DossierSequence

DAY = dt.date(2026, 11, 30)


def test_numbers_follow_each_other_per_agency_and_day(demo_agencies):
    ward, centre = demo_agencies["tran_bien"], demo_agencies["service_center"]
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            first = next_sequence(ward, DAY)
        assert len(queries.captured_queries) == 1  # created (or incremented) and locked in one statement
        numbers = [first, next_sequence(ward, DAY), next_sequence(ward, DAY)]
        others = [next_sequence(centre, DAY), next_sequence(ward, DAY + dt.timedelta(days=1))]
    assert numbers == [1, 2, 3] and others == [1, 1]
    assert DossierSequence.objects.get(agency=ward, day=DAY).value == 3


def test_a_rolled_back_number_is_given_again(demo_agencies):
    ward = demo_agencies["tran_bien"]
    with transaction.atomic():
        assert next_sequence(ward, DAY) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_sequence(ward, DAY) == 2
        raise RuntimeError("the submission failed after its number was drawn")
    with transaction.atomic():
        assert next_sequence(ward, DAY) == 2


def test_a_number_is_only_drawn_inside_a_transaction(units_restored, transactional_db, demo_agencies):
    with pytest.raises(TransactionManagementError):
        next_sequence(demo_agencies["tran_bien"], DAY)
    assert not DossierSequence.objects.exists()
