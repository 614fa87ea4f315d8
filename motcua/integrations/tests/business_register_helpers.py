"""The business-register simulator as the `dkkd` system of a test (direct route, short timeouts, no waits)."""

from collections.abc import Iterator

import pytest

from simulators.business_register import RegisterSimulator, SimulatorConfig


def register_system(url: str, **overrides: object) -> dict[str, dict[str, object]]:
    return {"dkkd": {"base_url": url, "connect_timeout": 0.5, "read_timeout": 1.5, "max_attempts": 2,
                     "backoff_base": 0, "backoff_max": 0, **overrides}}


@pytest.fixture
def business_register(settings) -> Iterator[RegisterSimulator]:
    with RegisterSimulator(SimulatorConfig(seed=1)) as sim:
        settings.MOTCUA_INTEGRATION_SYSTEMS = {**settings.MOTCUA_INTEGRATION_SYSTEMS, **register_system(sim.url)}
        yield sim
