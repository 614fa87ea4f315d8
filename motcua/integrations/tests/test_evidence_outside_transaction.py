"""A step that calls an outside system and then rolls back keeps the evidence of its calls."""

import logging

import pytest
from django.db import connection, transaction

from motcua.integrations.models import CallRecord
from motcua.integrations.tests.helpers import client_for, envelope
from motcua.integrations.tests.loopback import Answer


class Rollback(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_step_keeps_its_evidence(units_restored, loopback, caplog):
    loopback.answer(Answer(503), Answer(200))
    caplog.set_level(logging.INFO, logger="motcua.integrations.evidence")
    with pytest.raises(Rollback), transaction.atomic():
        client_for(loopback.url).call("LayThuTuc", "GET", "/tt", parse=envelope)
        raise Rollback
    logged = [r.getMessage() for r in caplog.records if r.name == "motcua.integrations.evidence"]
    assert len(logged) == 2 and "'status_code': 503" in logged[0] and "'status_code': 200" in logged[1]
    if connection.vendor == "sqlite":
        # One writer at a time: the row joined the caller's transaction; the log line is the surviving copy.
        assert CallRecord.objects.count() == 0
    else:
        assert list(CallRecord.objects.order_by("status_code").values_list("status_code", flat=True)) == [200, 503]
    CallRecord.objects.all().delete()
