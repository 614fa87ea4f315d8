"""Indicator 1d (dossiers synced to the national portal / received): time of its one aggregate query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/portal_sync_rate.py \
        --dossiers 100000

Creates the database content if needed (setup_demo, then generate_dossiers up to --dossiers, as bench/reports.py
does), gives every public event of the generated dossiers a PortalSync row if it has none (one INSERT … SELECT;
by event id: 90 % sent, 5 % pending, 3 % failed, 2 % skipped), then times `portal_sync_counts` for one month and
for twelve, over all agencies and over one agency, and prints p50/p95/max in ms after one warm-up call each,
the figures found, and on PostgreSQL the plan of the twelve-month query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

ADD_ROWS = (
    "INSERT INTO dossiers_portalsync (dossier_id, event_id, origin, state, payload, attempts, last_error, "
    "created_at, skip_reason) "
    "SELECT e.dossier_id, e.id, 'event', CASE WHEN e.id % 100 < 90 THEN 'sent' WHEN e.id % 100 < 95 THEN 'pending' "
    "WHEN e.id % 100 < 98 THEN 'failed' ELSE 'skipped' END, '{}', 0, '', e.created_at, '' "
    "FROM dossiers_dossierevent e WHERE e.is_public AND NOT EXISTS "
    "(SELECT 1 FROM dossiers_portalsync s WHERE s.event_id = e.id)"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from motcua.directory.models import Agency
    from motcua.dossiers.models import Dossier, PortalSync
    from motcua.reports.selectors import portal_sync_counts

    call_command("migrate", verbosity=0)
    call_command("setup_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    have = Dossier.objects.filter(code__startswith="SIM-").count()
    if have < args.dossiers:
        began = time.perf_counter()
        call_command("generate_dossiers", count=args.dossiers, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"generated {args.dossiers - have} dossiers in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(ADD_ROWS)
        added = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
    print(f"{added} portal rows added in {time.perf_counter() - began:.1f} s "
          f"({PortalSync.objects.count()} in all, {Dossier.objects.count()} dossiers)")

    agencies = list(Agency.objects.all())
    busiest = Dossier.objects.values("competent_agency").annotate(n=django.db.models.Count("pk")).order_by("-n")
    one = [Agency.objects.get(pk=busiest[0]["competent_agency"])]
    last = timezone.localdate().replace(day=1)
    first = (last - dt.timedelta(days=330)).replace(day=1)

    def timed(fn: Callable[[], tuple[int, int]]) -> tuple[list[float], tuple[int, int]]:
        found = fn()
        samples = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - began) * 1000)
        return samples, found

    def show(name: str, samples: list[float], found: tuple[int, int]) -> None:
        samples.sort()
        p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
        print(f"{name:38} p50 {statistics.median(samples):8.1f} ms  p95 {p95:8.1f} ms  max {samples[-1]:8.1f} ms"
              f"  synced {found[0]} / received {found[1]}")

    for name, months, scope in (("1 month, all agencies", (last, last), agencies),
                                ("12 months, all agencies", (first, last), agencies),
                                ("1 month, busiest agency", (last, last), one),
                                ("12 months, busiest agency", (first, last), one)):
        samples, found = timed(lambda months=months, scope=scope: portal_sync_counts(*months, scope))
        show(name, samples, found)
    if connection.vendor == "postgresql":
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            portal_sync_counts(first, last, agencies)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + queries.captured_queries[-1]["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))

if __name__ == "__main__":
    main()
