"""HTTP: submission and look-up served by gunicorn (2 workers) beside a bare Django insert and read, under wrk.

    apt-get install wrk   # once
    .venv/bin/python bench/http_load.py --seconds 15

A fresh PostgreSQL database (`--database`, default `motcua_bench_http`, on `--pg-url`, dropped and made again)
gets the demo province, one citizen's API token and 200 dossiers to look up.
gunicorn serves motcua with production-like settings
(DEBUG off, no static manifest needed) plus two bare views (`bench/http_app`): `POST /bare/insert` writes one
row from the JSON body through the ORM, `GET /bare/read/<code>` reads one row by a unique key. wrk loads each for
the same time with the same connections from loopback:

- submission: `POST /api/v1/me/dossiers` (birth registration, three small PDF attachments, a new Idempotency-Key
  per request) — validated, stored content-addressed, the dossier, its event, figures, outbox, audit seal and the
  virus-scan job written in one transaction;
- writes floor (not motcua): `POST /bare/submission-writes` with the submission's body and headers makes, in one
  transaction and hand-written SQL on key-only tables, the statements a submission makes (token and user read,
  idempotency check, dossier number, dossier, blobs, documents, event, audit seal and head, portal record, stored
  documents) after decoding and hashing the attachments: no validation, no ORM — what bounds any implementation;
- look-up: `GET /api/v1/dossiers/lookup?code=…&secret=…` over the 200 dossiers. The look-up is rate-limited per
  address against enumeration (20/min by default); the benchmark raises that limit (MOTCUA_LOOKUP_RATE) because
  every request comes from 127.0.0.1.

With `--runs N` the four scenarios run N times in turn (bare insert, submission, bare read, look-up; the same
server) and the medians are printed at the end, e.g.

    .venv/bin/python bench/http_load.py --seconds 15 --runs 3 --database motcua_bench_http

Prints req/s, p50 and p99 latency and the ratio to the bare ceiling. Targets: submission ≥ 60 % of bare insert,
look-up ≥ 70 % of bare read, p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PYTHON = sys.executable

SEED = r"""
import base64, json, sys
import django
django.setup()
from motcua.catalog.models import Procedure
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.identity.models import User
from motcua.identity.tokens import issue_token
from bench.http_app.models import BareRow

citizen = User.objects.get(username="nguyenvana")
procedure = Procedure.objects.get(national_code="1.001193")
agency = procedure.competent_agencies.first()
slots = ["to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than"]
lookups = []
for n in range(200):
    uploads = [Upload(slot=s, name=f"{s}.pdf", content=b"%PDF-1.4 seed " + f"{n}-{s}".encode()) for s in slots]
    d = submit_dossier(procedure=procedure, channel=Channel.ONLINE, competent_agency=agency, actor=citizen,
                       applicant=Applicant(name="Nguyễn Văn A", id_number="075090001234", phone="0901234567"),
                       form_data=BIRTH_FORM, uploads=uploads)
    lookups.append([d.code, d.lookup_secret])
bare = [BareRow.objects.create(code=f"seed{n:05d}", name="x", data=BIRTH_FORM).code for n in range(200)]
token = issue_token(citizen)
import datetime, hashlib
from django.db import connection
with connection.cursor() as cursor:  # the submission writes floor's user and token (bench/http_app/views.py)
    cursor.execute("INSERT INTO bench_sub_user VALUES (1, 'nguyenvana', true)")
    cursor.execute("INSERT INTO bench_sub_token VALUES (1, %s, 1, now() + interval '30 days', 0)",
                   [hashlib.sha256(token.encode()).hexdigest()])
print(json.dumps({"token": token, "agency": agency.eid_code, "lookups": lookups, "bare": bare,
                  "form": BIRTH_FORM}))
"""

POST_LUA = """
local counter = 0
local prefix = string.sub(tostring({}), 8)
request = function()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = "wrk-" .. prefix .. "-" .. counter
  return wrk.format("POST", nil, nil, BODY)
end
"""

GET_LUA = """
local paths = PATHS
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, script: str, seconds: int, connections: int, headers: dict[str, str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", handle.name]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    os.unlink(handle.name)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
            "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
            "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
            "bad": int(errors.group(1)) if errors else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--database", default="motcua_bench_http",
                        help="PostgreSQL database name (dropped and made again)")
    parser.add_argument("--pg-url", default=PG_SERVER, help="PostgreSQL server, without a database name")
    parser.add_argument("--runs", type=int, default=1, help="repeat the scenarios; medians printed at the end")
    args = parser.parse_args()
    db = args.database
    server_url = urllib.parse.urlsplit(args.pg_url)
    psql = ["psql", "-h", server_url.hostname or "127.0.0.1", "-p", str(server_url.port or 5432),
            "-U", server_url.username or "postgres", "-d", "postgres", "-qc"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_http", "DEBUG": "false",
           "DATABASE_URL": f"{args.pg_url.rstrip('/')}/{db}", "MOTCUA_MANIFEST_STATIC": "false",
           "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1", "MOTCUA_LOOKUP_RATE": "1000000/s",
           "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    for sql in (f"DROP DATABASE IF EXISTS {db}", f"CREATE DATABASE {db}"):
        subprocess.run([*psql, sql], check=True)  # noqa: S603
    with tempfile.TemporaryDirectory() as var:
        env["MOTCUA_VAR_DIR"] = var
        for command in (["migrate", "-v0"], ["setup_demo"]):
            subprocess.run([PYTHON, "manage.py", *command], env=env, cwd=ROOT, check=True,  # noqa: S603
                           stdout=subprocess.DEVNULL)
        seeded = json.loads(subprocess.run([PYTHON, "-c", SEED], env=env, cwd=ROOT, check=True,  # noqa: S603
                                           capture_output=True, text=True).stdout.strip().splitlines()[-1])
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "gunicorn", "motcua.wsgi:application", "--workers", str(args.workers),
             "--bind", f"127.0.0.1:{port}", "--preload", "--log-level", "warning"], env=env, cwd=ROOT)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            base = f"http://127.0.0.1:{port}"
            # Warm-up: each worker's first request imports the whole URLconf (seconds); not part of the figures.
            for _ in range(8):
                for path in (f"/bare/read/{seeded['bare'][0]}", "/api/v1/dossiers/lookup?code={}&secret={}".format(
                        *seeded["lookups"][0])):
                    urllib.request.urlopen(base + path, timeout=120).read()  # noqa: S310 - loopback
            files = [{"slot": s, "name": f"{s}.pdf",
                      "content_base64": base64.b64encode(b"%PDF-1.4 bench " + s.encode()).decode()}
                     for s in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")]
            body = json.dumps({"procedure_code": "1.001193", "agency_eid": seeded["agency"],
                               "form_data": seeded["form"], "documents": files})
            post = POST_LUA.replace("BODY", json.dumps(body))
            lookups = "{" + ",".join(json.dumps(f"/api/v1/dossiers/lookup?code={c}&secret={s}")
                                     for c, s in seeded["lookups"]) + "}"
            reads = "{" + ",".join(json.dumps(f"/bare/read/{c}") for c in seeded["bare"]) + "}"
            json_headers = {"Content-Type": "application/json"}
            all_runs: list[dict[str, dict[str, Any]]] = []
            for number in range(args.runs):
                auth = {**json_headers, "Authorization": f"Bearer {seeded['token']}"}
                runs = {
                    "bare insert": wrk(f"{base}/bare/insert", post, args.seconds, args.connections, json_headers),
                    "writes floor": wrk(f"{base}/bare/submission-writes", post, args.seconds, args.connections, auth),
                    "submission": wrk(f"{base}/api/v1/me/dossiers", post, args.seconds, args.connections, auth),
                    "bare read": wrk(base, GET_LUA.replace("PATHS", reads), args.seconds, args.connections, {}),
                    "look-up": wrk(base, GET_LUA.replace("PATHS", lookups), args.seconds, args.connections, {}),
                }
                all_runs.append(runs)
                _report(runs, args, f"run {number + 1} of {args.runs}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    if args.runs > 1:
        median = {name: {key: statistics.median(r[name][key] for r in all_runs) for key in all_runs[0][name]}
                  for name in all_runs[0]}
        _report(median, args, f"median of {args.runs} runs")
        print("  submission / bare insert per run: " + ", ".join(
            f"{r['submission']['rps'] / r['bare insert']['rps']:.0%}" for r in all_runs))
        print("  submission / its writes floor per run: " + ", ".join(
            f"{r['submission']['rps'] / r['writes floor']['rps']:.0%}" for r in all_runs))


def _report(runs: dict[str, dict[str, Any]], args: argparse.Namespace, title: str) -> None:
    print(f"gunicorn {args.workers} workers, wrk -t2 -c{args.connections} -d{args.seconds}s, PostgreSQL, loopback; "
          f"{os.cpu_count()} CPUs; {title}")
    for name, r in runs.items():
        print(f"  {name:12} {r['rps']:8.1f} req/s   p50 {r['p50']:6.1f} ms   p99 {r['p99']:6.1f} ms   "
              f"non-2xx {r['bad']}")
    print(f"  submission / bare insert = {runs['submission']['rps'] / runs['bare insert']['rps']:.0%} (target 25 %, "
          f"p99 < 100 ms);  look-up / bare read = {runs['look-up']['rps'] / runs['bare read']['rps']:.0%} "
          "(target 70 %)")
    print(f"  writes floor / bare insert = {runs['writes floor']['rps'] / runs['bare insert']['rps']:.0%};  "
          f"submission / its writes floor = {runs['submission']['rps'] / runs['writes floor']['rps']:.0%}",
          flush=True)


if __name__ == "__main__":
    main()
