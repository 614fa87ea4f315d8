"""/healthz answers without touching anything; /readyz answers 200 only when the database and the cache work."""

from unittest import mock

from django.db import OperationalError


def test_liveness_and_readiness_when_all_is_well(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in ready["Cache-Control"]


def test_readiness_fails_while_the_database_is_unreachable(client, db):
    with mock.patch("motcua.core.health.connection.cursor", side_effect=OperationalError("server closed")):
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert client.get("/healthz").status_code == 200


def test_readiness_fails_when_the_cache_loses_writes(client, db):
    with mock.patch("motcua.core.health.cache.get", return_value=None):
        ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["cache"] == "unavailable"
