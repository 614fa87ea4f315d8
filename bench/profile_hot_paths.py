"""Where the time of the two hot paths goes, in-process (no HTTP server, no wrk), on one database:

- step: cProfile of motcua's `forward_dossier` over N dossiers × 5 steps, as in `bench/workflow.py` (land
  transfers received at the counter, then forwarded round-robin);
- submission: cProfile of N `POST /api/v1/me/dossiers` through Django's test client with a bearer token, the body
  of `bench/http_load.py` (birth registration, three small PDFs, a new Idempotency-Key each), DEBUG off.

    .venv/bin/python bench/profile_hot_paths.py step --database motcua_bench_profile     # PostgreSQL
    .venv/bin/python bench/profile_hot_paths.py submission --sqlite                      # SQLite (a file, WAL)

Prints the wall time per operation without and with the profiler, the statements of one, and the functions with
the most own time and the most cumulative time (the profiler slows Python, not the database: read the shares,
not the absolute milliseconds).
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STEPS = 5


def _print_profile(profiler: cProfile.Profile, top: int) -> None:
    if os.environ.get("PROFILE_DUMP"):
        profiler.dump_stats(os.environ["PROFILE_DUMP"])
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        print(out.getvalue().split("\n", 6)[-1])


def submission(count: int, top: int) -> None:
    import base64
    import json

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("setup_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from motcua.catalog.models import Procedure
    from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
    from motcua.identity.models import User
    from motcua.identity.tokens import issue_token

    token = issue_token(User.objects.get(username="nguyenvana"))
    agency = Procedure.objects.get(national_code="1.001193").competent_agencies.first()
    assert agency is not None  # noqa: S101
    files = [{"slot": s, "name": f"{s}.pdf", "content_base64": base64.b64encode(b"%PDF-1.4 bench " + s.encode())
              .decode()} for s in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")]
    body = json.dumps({"procedure_code": "1.001193", "agency_eid": agency.eid_code, "form_data": BIRTH_FORM,
                       "documents": files})
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    sent = iter(range(10**9))

    def post() -> None:
        response = client.post("/api/v1/me/dossiers", body, content_type="application/json",
                               headers={"Idempotency-Key": f"profile-{next(sent)}"})
        assert response.status_code in (200, 201), response.content  # noqa: S101

    def run(n: int) -> float:
        began = time.perf_counter()
        for _ in range(n):
            post()
        return (time.perf_counter() - began) / n * 1000

    run(20)  # warm-up
    plain = run(count)
    timings: list[tuple[float, str]] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(((time.perf_counter() - began) * 1000, sql))

    for _ in range(20):
        timings.clear()
        with connection.execute_wrapper(timed):
            post()
    print("statements of one submission (ms, the last of 20):")
    for ms, sql in timings:
        print(f"  {ms:6.2f}  {sql[:110]}")
    queries = timings
    profiler = cProfile.Profile()
    profiler.enable()
    profiled = run(count)
    profiler.disable()
    print(f"{connection.vendor}: {plain:.2f} ms per submission ({1000 / plain:.1f}/s in one process), "
          f"{profiled:.2f} ms under the profiler, {len(queries)} statements in one")
    _print_profile(profiler, top)


def child(instances: int, top: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.land_transfers import set_up
    from motcua.dossiers.actions import forward_dossier
    from motcua.dossiers.models import Dossier

    land = set_up()
    people = land.people

    def batch() -> list[int]:
        return land.make(instances)

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
    _print_profile(profiler, top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", choices=["step", "submission"])
    parser.add_argument("--instances", type=int, default=200, help="dossiers (step) or submissions")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--dump", default="", help="also write the profile to this file (pstats)")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--database", default="motcua_bench_profile", help="PostgreSQL database (dropped, made)")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        (child if args.path == "step" else submission)(args.instances, args.top)
        return
    env = {**os.environ, "PROFILE_DUMP": args.dump, "DJANGO_SETTINGS_MODULE": "motcua.settings",
           "MOTCUA_MANIFEST_STATIC": "false", "MOTCUA_SMS_BACKEND": "log", "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as var:
        env["MOTCUA_VAR_DIR"] = var
        if args.sqlite:
            env["DATABASE_URL"] = f"sqlite:///{var}/profile.sqlite3"
        else:
            env["DATABASE_URL"] = f"{args.pg_url.rstrip('/')}/{args.database}"
            for sql in (f"DROP DATABASE IF EXISTS {args.database}", f"CREATE DATABASE {args.database}"):
                subprocess.run(["psql", args.pg_url + "/postgres", "-qc", sql], check=True)  # noqa: S603, S607
        subprocess.run([sys.executable, __file__, args.path, "--child", "--instances", str(args.instances),  # noqa: S603
                        "--top", str(args.top)], env=env, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
