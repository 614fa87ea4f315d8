"""The seeded kinds of petition, put back for tests that run after a transactional test flushed the tables (the
migration's rows do not survive a flush; PostgreSQL runs the concurrent test before the browser test)."""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture(autouse=True)
def _feedback_kinds(request: pytest.FixtureRequest) -> None:
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from motcua.feedback.models import FeedbackKind

    seed = importlib.import_module("motcua.feedback.migrations.0002_seed_kinds")
    for code, name, days in seed.KINDS:
        FeedbackKind.objects.get_or_create(code=code, defaults={"name": name, "deadline_days": days,
                                                                "legal_basis": seed.BASIS})
