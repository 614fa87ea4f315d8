"""A bearer token's last use is kept to the minute: written when stale, not on every request."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.identity.models import ApiToken
from motcua.identity.tokens import LAST_USED_PRECISION, issue_token


def _get(client, token):
    return client.get("/api/v1/me/dossiers", HTTP_AUTHORIZATION=f"Bearer {token}")


def _last_used():
    stamp = ApiToken.objects.get().last_used_at
    assert stamp is not None
    return stamp


def _updates(queries):
    return [q["sql"] for q in queries.captured_queries
            if q["sql"].startswith("UPDATE") and "identity_apitoken" in q["sql"]]


def test_a_token_never_used_is_stamped_on_first_use(client, citizen):
    token = issue_token(citizen)
    assert ApiToken.objects.get().last_used_at is None
    before = timezone.now()
    assert _get(client, token).status_code == 200
    assert _last_used() >= before


def test_a_stale_stamp_is_updated_and_a_fresh_one_is_left_alone(client, citizen):
    token = issue_token(citizen)
    stale = timezone.now() - LAST_USED_PRECISION - dt.timedelta(seconds=5)
    ApiToken.objects.update(last_used_at=stale)
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, token).status_code == 200
    assert len(_updates(queries)) == 1
    fresh = _last_used()
    assert fresh > stale
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, token).status_code == 200
    assert _updates(queries) == []  # used again within the minute: not written
    assert ApiToken.objects.get().last_used_at == fresh


def test_a_stamp_in_the_future_is_corrected(client, citizen):
    token = issue_token(citizen)
    ApiToken.objects.update(last_used_at=timezone.now() + dt.timedelta(hours=1))
    assert _get(client, token).status_code == 200
    assert _last_used() <= timezone.now()
