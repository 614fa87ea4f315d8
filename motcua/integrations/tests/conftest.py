import threading

import pytest

from motcua.integrations.client import reset_breakers
from motcua.integrations.models import CallRecord
from motcua.integrations.tests.loopback import loopback  # noqa: F401  (fixture)
from motcua.integrations.tests.population_helpers import population_registry  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _fresh_breakers():
    reset_breakers()
    yield
    reset_breakers()


@pytest.fixture
def forget_committed_call_records(db):
    """On PostgreSQL the sender's call records are committed on their own connection (docs/integrations.md):
    delete them the same way afterwards, so that other tests' figures do not see them."""
    from django.db import connection

    last = CallRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    if connection.vendor == "sqlite":
        return  # there they joined the test's transaction, which is rolled back

    def delete():
        from django.db import connections

        try:
            CallRecord.objects.filter(pk__gt=last).delete()
        finally:
            connections.close_all()

    worker = threading.Thread(target=delete)
    worker.start()
    worker.join(timeout=30)
