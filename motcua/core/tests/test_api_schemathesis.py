"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis, in-process over WSGI):
no input, with or without a valid bearer token, makes the server answer 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from motcua.identity.tokens import issue_token

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# The WSGI test client sets no client address; every real server does (gunicorn, runserver).
CLIENT = {"REMOTE_ADDR": "127.0.0.1"}
FUZZ = settings(max_examples=15, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much])


@pytest.fixture
def in_test_transaction(db: None) -> Iterator[None]:
    """Run the WSGI requests inside the test's transaction, as Django's test client does (it would otherwise close
    the connection at the end of each request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(in_test_transaction: None, citizen) -> str:
    return issue_token(citizen, "schemathesis")


def test_the_schema_lists_the_api() -> None:
    paths = set(schema.raw_schema["paths"])
    assert {"/api/v1/me/dossiers", "/api/v1/dossiers/lookup", "/api/v1/catalog/procedures"} <= paths


@schema.parametrize()
@FUZZ
def test_no_server_error_anonymous(case: schemathesis.Case[Any], in_test_transaction: None) -> None:
    response = case.call(environ_base=CLIENT)
    case.validate_response(response, checks=[not_a_server_error])


@schema.parametrize()
@FUZZ
def test_no_server_error_with_a_valid_token(case: schemathesis.Case[Any], token: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {token}"}, environ_base=CLIENT)
    case.validate_response(response, checks=[not_a_server_error])
