import pytest

from motcua.integrations.client import reset_breakers
from motcua.integrations.tests.loopback import loopback  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _fresh_breakers():
    reset_breakers()
    yield
    reset_breakers()
