"""Fixtures of the dossier tests that come from other apps: the simulated population database."""

from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401  (fixture)
from motcua.integrations.tests.population_helpers import population_registry  # noqa: F401  (fixture)
