"""The simulated population database for tests: `population_registry` starts `simulators.population` on a free
loopback port and configures the `dancu` system to reach it directly (short timeouts, no waits between retries).
Import the fixture into a conftest (or a test module) that needs it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulators.population import PopulationSimulator

DEMO_CITIZEN_ID = "075090001234"  # nguyenvana, Nguyễn Văn An
OTHER_CITIZEN_ID = "075195004321"  # tranthibinh, Trần Thị Bình
NOT_REGISTERED_ID = "075090009999"


def dancu_settings(url: str, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {"base_url": url, "label": "CSDL dân cư (thử)", "connect_timeout": 1.0,
                                 "read_timeout": 0.5, "max_attempts": 2, "backoff_base": 0.0, "backoff_max": 0.0,
                                 "breaker_failures": 50}
    values.update(overrides)
    return values


@pytest.fixture
def population_registry(settings) -> Iterator[PopulationSimulator]:
    with PopulationSimulator() as simulator:
        settings.MOTCUA_INTEGRATION_SYSTEMS = {**settings.MOTCUA_INTEGRATION_SYSTEMS,
                                               "dancu": dancu_settings(simulator.url)}
        yield simulator
