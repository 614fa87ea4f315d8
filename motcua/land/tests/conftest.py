import pytest

from motcua.integrations.client import reset_breakers
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 (fixture)
from simulators.land_registry import LandSimulator


@pytest.fixture(autouse=True)
def _fresh_breakers():
    reset_breakers()
    yield
    reset_breakers()


def configure(settings, url, **system):
    settings.MOTCUA_INTEGRATION_SYSTEMS = {**settings.MOTCUA_INTEGRATION_SYSTEMS, "dat_dai": {
        "base_url": url, "read_timeout": 1.0, "connect_timeout": 1.0, "max_attempts": 2, "backoff_base": 0.0,
        "backoff_max": 0.0, "breaker_failures": 50, **system}}


@pytest.fixture
def land_sim(settings, forget_committed_call_records):  # noqa: F811
    """The land database simulator with its demo parcels, configured as the `dat_dai` system."""
    with LandSimulator() as sim:
        configure(settings, sim.url)
        yield sim
