"""Report page time over generated dossiers, read from the monthly rollups.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/reports.py --dossiers 1000000

Creates the database content if needed (setup_demo, then generate_dossiers up to --dossiers), then times the
report figures for a 12-month range over all agencies, the live "overdue now" count, the rendered report and
scorecard pages and the Excel export (as the province administrator, all agencies), the public statistics
page /thong-ke/ with its CSV/JSON downloads and the IOC feed (anonymous / IOC token), and prints p50/p95/max in ms
after one warm-up call each. Figures are in docs/reports.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_MANIFEST_STATIC", "false")  # no collectstatic needed to time the page


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--only-public", action="store_true",
                        help="time only the public statistics page, its downloads and the IOC feed")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from motcua.directory.models import Agency
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.identity.models import User
    from motcua.reports.models import MonthlyRollup
    from motcua.reports.selectors import figures_by_agency, overdue_now

    call_command("migrate", verbosity=0)
    call_command("setup_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    have = Dossier.objects.filter(code__startswith="SIM-").count()
    if have < args.dossiers:
        began = time.perf_counter()
        call_command("generate_dossiers", count=args.dossiers, stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("migrate", verbosity=0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(f"generated {args.dossiers - have} dossiers in {time.perf_counter() - began:.1f} s")
    agencies = list(Agency.objects.all())
    last = timezone.localdate().replace(day=1)
    first = (last - dt.timedelta(days=330)).replace(day=1)

    def timed(fn: Callable[[], object]) -> list[float]:
        samples = []
        fn()  # warm-up (first request compiles templates and loads translations)
        for _ in range(args.repeat):
            began = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - began) * 1000)
        return samples

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="quantri.tinh"))
    anonymous = Client()
    query = {"tu": f"{first:%Y-%m}", "den": f"{last:%Y-%m}"}

    def get(path: str, who: Client = client, **headers: str) -> None:
        response = who.get(path, query, **headers)
        assert response.status_code == 200, (path, response.status_code)  # noqa: S101

    results: list[tuple[str, list[float]]] = []
    if not args.only_public:
        results += [("report figures (rollups)", timed(lambda: figures_by_agency(first, last, agencies))),
                    ("overdue now (open-dossier index)", timed(lambda: overdue_now(agencies))),
                    ("report page (rendered)", timed(lambda: get("/bao-cao/"))),
                    ("766 scorecard page", timed(lambda: get("/bao-cao/chi-so-766/"))),
                    ("report Excel export", timed(lambda: get("/bao-cao/excel/")))]
    # The public statistics (no sign-in), its downloads and the operations centre's feed (a throw-away token).
    settings.MOTCUA_IOC_TOKEN = secrets.token_urlsafe(24)
    ioc = {"HTTP_AUTHORIZATION": f"Bearer {settings.MOTCUA_IOC_TOKEN}"}
    results += [("public statistics page /thong-ke/ (rendered)", timed(lambda: get("/thong-ke/", anonymous))),
                ("public statistics JSON", timed(lambda: get("/thong-ke/thong-ke.json", anonymous))),
                ("public statistics CSV", timed(lambda: get("/thong-ke/thong-ke.csv", anonymous))),
                ("IOC figures /api/v1/ioc/figures", timed(lambda: get("/api/v1/ioc/figures", anonymous, **ioc))),
                ("IOC overdue now /api/v1/ioc/overdue", timed(lambda: get("/api/v1/ioc/overdue", anonymous, **ioc)))]
    print(f"database: {connection.vendor}; dossiers: {Dossier.objects.count():,}; "
          f"events: {DossierEvent.objects.count():,}; rollup rows: {MonthlyRollup.objects.count():,}; "
          f"agencies: {len(agencies)}; months: {first:%m/%Y}–{last:%m/%Y}; runs: {args.repeat}")
    for name, samples in results:
        ordered = sorted(samples)
        p95 = ordered[int(len(ordered) * 0.95) - 1]
        print(f"{name}: p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms, max {max(samples):.1f} ms")


if __name__ == "__main__":
    main()
