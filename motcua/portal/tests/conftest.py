"""Fixtures of other apps' tests the portal's tests use: the VNeID and population database simulators."""

from motcua.identity.tests.vneid_sim import vneid_sim  # noqa: F401 - a fixture
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 - a fixture
from motcua.integrations.tests.population_helpers import population_registry  # noqa: F401 - a fixture
