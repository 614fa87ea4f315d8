"""Where a workflow step's time goes: cProfile of motcua's `forward_dossier` over N dossiers × 5 steps, as in
`bench/workflow.py` (land transfers received at the counter, then forwarded round-robin), on one database.

    .venv/bin/python bench/profile_step.py --database motcua_bench_profile          # PostgreSQL
    .venv/bin/python bench/profile_step.py --sqlite                                  # SQLite (a file, WAL)

Prints the wall time per step without and with the profiler, the statements per step, and the functions with the
most own time and the most cumulative time (the profiler slows Python, not the database: read the shares, not
the absolute milliseconds).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = 5


def child(instances: int, top: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("setup_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from motcua.catalog.models import Procedure
    from motcua.directory.models import Agency
    from motcua.dossiers.actions import Applicant, forward_dossier, submit_dossier
    from motcua.dossiers.models import Channel, Dossier
    from motcua.dossiers.tests.helpers import LAND_FORM, LAND_PAPERS
    from motcua.identity.models import User

    people = [User.objects.get(username=name) for name in (
        "tiepnhan.ttpvhcc", "chuyenvien.vpdkdd", "chuyenvien.thue", "chuyenvien.khobac", "chuyenvien.vpdkdd")]
    procedure = Procedure.objects.get(national_code="1.013831")
    land_office = Agency.objects.get(eid_code="000.01.16.H19")
    centre = Agency.objects.get(eid_code="000.00.01.H19")

    def batch() -> list[int]:
        return [submit_dossier(
            procedure=procedure, channel=Channel.COUNTER, competent_agency=land_office, receiving_agency=centre,
            actor=people[0], applicant=Applicant(name="Trần Thị Bình", id_number="075195004321", phone="0987654321"),
            form_data=LAND_FORM, paper_documents=LAND_PAPERS).pk for _ in range(instances)]

    def run(ids: list[int]) -> float:
        began = time.perf_counter()
        for step in range(STEPS):
            for pk in ids:
                forward_dossier(Dossier(pk=pk), actor=people[step])
        return (time.perf_counter() - began) / (STEPS * len(ids)) * 1000

    run(batch())  # warm-up: caches, prepared statements
    plain = run(batch())
    ids = batch()
    with CaptureQueriesContext(connection) as queries:
        forward_dossier(Dossier(pk=ids[0]), actor=people[0])
    statements = len(queries.captured_queries)
    profiler = cProfile.Profile()
    ids = batch()
    profiler.enable()
    profiled = run(ids)
    profiler.disable()
    print(f"{connection.vendor}: {plain:.2f} ms per step ({1000 / plain / STEPS:.1f} instances/s), "
          f"{profiled:.2f} ms under the profiler, {statements} statements in a step")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        print(out.getvalue().split("\n", 6)[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--database", default="motcua_bench_profile", help="PostgreSQL database (dropped, made)")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        child(args.instances, args.top)
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings", "MOTCUA_MANIFEST_STATIC": "false",
           "MOTCUA_SMS_BACKEND": "log", "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as var:
        env["MOTCUA_VAR_DIR"] = var
        if args.sqlite:
            env["DATABASE_URL"] = f"sqlite:///{var}/profile.sqlite3"
        else:
            env["DATABASE_URL"] = f"{args.pg_url.rstrip('/')}/{args.database}"
            for sql in (f"DROP DATABASE IF EXISTS {args.database}", f"CREATE DATABASE {args.database}"):
                subprocess.run(["psql", args.pg_url + "/postgres", "-qc", sql], check=True)  # noqa: S603, S607
        subprocess.run([sys.executable, __file__, "--child", "--instances", str(args.instances),  # noqa: S603
                        "--top", str(args.top)], env=env, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
