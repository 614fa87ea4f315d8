"""Fixtures of the back-office tests: signed-in clients of the cast, a fixed clock, a counter dossier."""

import pytest

from motcua.backoffice.tests.helpers import NOW, local, signed_in
from motcua.dossiers.tests.helpers import land_dossier


@pytest.fixture
def frozen_now(monkeypatch):
    """Every `timezone.now()` (views, actions, badges) answers NOW."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def as_clerk(clerk, demo_catalog):
    return signed_in(clerk)


@pytest.fixture
def as_specialist(specialist, demo_catalog):
    return signed_in(specialist)


@pytest.fixture
def as_leader(leader, demo_catalog):
    return signed_in(leader)


@pytest.fixture
def as_other_clerk(other_clerk, demo_catalog):
    return signed_in(other_clerk)


@pytest.fixture
def received(demo_catalog, demo_agencies, clerk):
    """A land-transfer dossier just received at the provincial service centre's counter."""
    return land_dossier(demo_catalog, demo_agencies, clerk, local(2026, 12, 2, 8))


from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: E402,F401  (fixture)
from motcua.integrations.tests.population_helpers import population_registry  # noqa: E402,F401  (fixture)
