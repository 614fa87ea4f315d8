"""On PostgreSQL the public look-up runs as a prepared statement once a connection has run it a few times, so
the server stops planning its join on every call (DATABASE_PREPARED_STATEMENTS, docs/operations.md)."""

import pytest
from django.db import connection

from motcua.dossiers.tests.helpers import at, land_dossier

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")


def _prepared_lookups() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                       ["%FROM dossiers_dossier d%"])
        return int(cursor.fetchone()[0])


def test_repeated_lookup_is_prepared_once(client, demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    query = {"code": dossier.code, "secret": dossier.lookup_secret}
    for _ in range(8):
        assert client.get("/api/v1/dossiers/lookup", query).status_code == 200
    assert _prepared_lookups() == 1
