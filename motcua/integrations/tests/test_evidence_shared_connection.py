"""A drain pass writes its call records (PostgreSQL: outside the caller's transaction) through one writer thread
and one connection, closed when the pass ends; the records still survive the caller's rollback."""

import pytest
from django.db import connection, connections, transaction

from motcua.integrations import actions
from motcua.integrations.models import CallRecord
from motcua.integrations.tests.helpers import client_for, envelope
from motcua.integrations.tests.loopback import Answer


class Rollback(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_one_connection_for_the_records_of_a_pass_and_they_survive_a_rollback(units_restored, loopback,
                                                                              monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("on SQLite the records join the caller's transaction (docs/integrations.md)")
    loopback.answer(Answer(200), Answer(200), Answer(200))
    backends = []
    real_write = actions._write

    def write(values):
        real_write(values)
        backends.append(connections["default"].connection.info.backend_pid)

    monkeypatch.setattr(actions, "_write", write)
    with actions.shared_evidence_connection():
        writer = actions._shared.writer
        with pytest.raises(Rollback), transaction.atomic():
            client = client_for(loopback.url)
            for _ in range(3):
                client.call("LayThuTuc", "GET", "/tt", parse=envelope)
            raise Rollback
    assert not writer._thread.is_alive()  # the writer and its connection are gone with the block
    assert len(backends) == 3 and len(set(backends)) == 1
    assert backends[0] != connection.connection.info.backend_pid
    assert CallRecord.objects.count() == 3
    CallRecord.objects.all().delete()
