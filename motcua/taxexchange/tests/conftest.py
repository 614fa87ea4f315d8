"""Tax exchange tests: jobs run at once, the inbound token, the demo land transfer with its external tax and
treasury steps, a loopback tax authority."""

import pytest

from motcua.integrations.tests.loopback import loopback  # noqa: F401  (fixture)
from motcua.taxexchange.tests.chain import chain  # noqa: F401  (fixture: the end-to-end chain)

TOKEN = "test-tax-inbound-token"


@pytest.fixture(autouse=True)
def _tax_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}
    settings.MOTCUA_TAX_AUTHORITY_INBOUND_TOKEN = TOKEN
    settings.MOTCUA_INTEGRATION_SYSTEMS = {}


@pytest.fixture(autouse=True)
def _fresh_breakers():
    from motcua.integrations.client import reset_breakers

    reset_breakers()
    yield
    reset_breakers()
