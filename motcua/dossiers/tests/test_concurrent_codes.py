"""200 submissions at once at one counter: 200 distinct codes numbered 1..200 with no gap (PostgreSQL)."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.helpers import at, land_dossier

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="row locks under real concurrency need PostgreSQL")


def test_two_hundred_concurrent_submissions_get_gapless_codes(units_restored, transactional_db, demo_catalog,
                                                               demo_agencies, clerk):
    barrier = threading.Barrier(20)

    def submit(number):
        try:
            if number < 20:
                barrier.wait()  # the first twenty start at the same instant
            dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9),
                                   idempotency_key=f"counter-1-{number}")
            return dossier.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(submit, range(200)))

    assert len(set(codes)) == 200
    numbers = sorted(int(re.fullmatch(r"000\.00\.01\.H19-261130-(\d{4})", code).group(1)) for code in codes)
    assert numbers == list(range(1, 201))
    assert Dossier.objects.count() == 200
    assert DossierEvent.objects.filter(seq=1).count() == 200
