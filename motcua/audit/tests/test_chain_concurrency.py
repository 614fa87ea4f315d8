"""Concurrent transitions and submissions on PostgreSQL still make one unforked chain (serialised on the head)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from motcua.audit.models import GENESIS_HASH, ChainHead, EventSeal
from motcua.audit.selectors import verify_chain
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.helpers import at, land_dossier

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="row locks under real concurrency need PostgreSQL (SQLite serialises writers)")

THREADS = 16


def test_concurrent_transitions_make_a_single_unforked_chain(units_restored, transactional_db, demo_catalog,
                                                              demo_agencies, clerk):
    existing = [land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9), idempotency_key=f"pre-{n}")
                for n in range(THREADS)]
    barrier = threading.Barrier(THREADS * 2)

    def forward(dossier: Dossier) -> str:
        try:
            barrier.wait()
            return actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10)).code
        finally:
            connections.close_all()

    def submit(number: int) -> str:
        try:
            barrier.wait()
            dossier: Dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 11),
                                            idempotency_key=f"new-{number}")
            return dossier.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS * 2) as pool:
        forwarded = [pool.submit(forward, d) for d in existing]
        submitted = [pool.submit(submit, n) for n in range(THREADS)]
        codes = [f.result() for f in forwarded + submitted]  # any exception (a forked position) is raised here

    assert len(set(codes)) == THREADS * 2
    events = DossierEvent.objects.count()
    assert events == THREADS * 3
    seals = list(EventSeal.objects.order_by("position").values_list("position", "prev_hash", "hash", "event_id"))
    assert [s[0] for s in seals] == list(range(1, events + 1))
    assert len({s[3] for s in seals}) == events
    previous = GENESIS_HASH
    for _, prev_hash, digest, _ in seals:
        assert prev_hash == previous  # no two links claim the same predecessor
        previous = digest
    assert ChainHead.objects.get().hash == previous
    result = verify_chain()
    assert result.ok and result.checked == events
