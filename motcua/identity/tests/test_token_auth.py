"""Bearer-token authentication: the token's own user, only while the token is unexpired and the user active;
two fixed statements on unique keys (no join, no query building)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.core import fastsql
from motcua.identity.models import ApiToken, User
from motcua.identity.tokens import issue_token


def _get(client, token):
    return client.get("/api/v1/me/dossiers", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_token_signs_in_its_own_user_in_two_statements_without_a_join(client, citizen):
    other = User.objects.create_user("other-citizen", full_name="Người khác")
    issue_token(other)
    token = issue_token(citizen)
    _get(client, token)  # the last-use stamp written once
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, token)
    assert response.status_code == 200
    auth = [q["sql"] for q in queries.captured_queries[:2]]
    assert "identity_apitoken" in auth[0] and not re.search(r"\bJOIN\b", auth[0], re.IGNORECASE)
    assert "identity_user" in auth[1] and not re.search(r"\bJOIN\b", auth[1], re.IGNORECASE)


@pytest.mark.parametrize("spoil", ["expired", "inactive", "unknown", "deleted user"])
def test_a_token_that_should_not_sign_in_is_refused(client, citizen, spoil):
    token = issue_token(citizen)
    if spoil == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif spoil == "inactive":
        User.objects.filter(pk=citizen.pk).update(is_active=False)
    elif spoil == "unknown":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    else:
        citizen.delete()
    assert _get(client, token).status_code == 401


def test_fastsql_finds_a_row_by_a_unique_field_only(citizen, db):
    issue_token(citizen)
    row = ApiToken.objects.get()
    assert fastsql.get(ApiToken, row.key_hash, by="key_hash").pk == row.pk
    with pytest.raises(ApiToken.DoesNotExist):
        fastsql.get(ApiToken, "0" * 64, by="key_hash")
    with pytest.raises(ValueError, match="not unique"):
        fastsql.get(ApiToken, "label", by="label")
