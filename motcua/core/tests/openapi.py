"""Check API responses against the OpenAPI schema the API publishes (not against hand-written expectations)."""

import re
from functools import cache

from django.test import Client
from jsonschema import Draft202012Validator


@cache
def _document():
    return Client().get("/api/v1/openapi.json").json()


def _operation(path, method):
    for template, item in _document()["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return item[method.lower()]
    raise AssertionError(f"{method} {path} is not in the OpenAPI schema")


def check(response, method):
    """Assert RESPONSE is documented for its path, method and status, and its body matches that schema."""
    path = response.request["PATH_INFO"]
    documented = _operation(path, method)["responses"].get(str(response.status_code))
    assert documented is not None, f"{method} {path} → {response.status_code} is not documented"
    schema = documented.get("content", {}).get("application/json", {}).get("schema")
    if schema is not None:
        # "#/components/…" references resolve against this root, which carries the document's components.
        Draft202012Validator({**schema, "components": _document().get("components", {})}).validate(response.json())
    return response
