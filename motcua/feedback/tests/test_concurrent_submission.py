"""Retries racing each other: one petition per idempotency key; distinct petitions get gapless codes (PostgreSQL)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.feedback.tests.factories import at, petition

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="row locks under real concurrency need PostgreSQL")


def test_concurrent_retries_make_one_petition(units_restored, transactional_db, demo_agencies, citizen):
    barrier = threading.Barrier(12)

    def submit(number: int) -> str:
        try:
            barrier.wait()  # all at the same instant: half are retries of one request
            key = "mini-app-retry" if number % 2 == 0 else f"other-{number}"
            return petition(citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 9), key=key).code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(submit, range(12)))

    retried = {codes[n] for n in range(0, 12, 2)}
    assert len(retried) == 1 and len(set(codes)) == 7
    assert Feedback.objects.count() == 7 and FeedbackEvent.objects.filter(seq=1).count() == 7
    numbers = sorted(int(re.fullmatch(r"PA-000\.01\.16\.H19-260422-(\d{4})", code).group(1)) for code in set(codes))
    assert numbers == list(range(1, 8))
