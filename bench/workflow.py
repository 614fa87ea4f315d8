"""Workflow engines side by side: the same 5-step sequential process, N instances, each step a transaction that
reloads the instance's state, moves it one step and persists it.

    .venv/bin/uv pip install --python .venv/bin/python -e ".[bench]"     # SpiffWorkflow and django-viewflow
    .venv/bin/python bench/workflow.py                                    # SQLite and PostgreSQL, 2,000 instances

- motcua: real land-transfer dossiers received at the counter, moved by the real actions (`forward_dossier`
  five times: clerk → land office → tax → treasury → land office → leader). Each step is
  `workflow.transition()`: the dossier row locked, the transition table checked, the step's agency, role and
  deadline (working-hours calendar) computed, one DossierEvent, the monthly figures, the notification outbox,
  the sync record for the national portal and the audit-chain seal, all in one transaction.
- SpiffWorkflow (BPMN, five manual tasks): the workflow is JSON-serialised into a row; each step locks the row,
  deserialises, completes the ready task, runs the engine steps, serialises and writes the row back.
- django-viewflow 2: a flow of five `Handle` tasks; each step runs the next task with its select-for-update lock
  (the process row), which completes it and creates the next task.
- floor (not an engine): each step locks one row and writes it back, nothing else — the least a durable
  step can cost on that database, the ceiling no engine can pass.
- writes floor (not an engine): the statements a motcua step has to make, hand-written with no domain logic —
  lock and update the instance row, insert its event, lock and move the audit-chain head, insert the seal and
  the national-portal record — the ceiling for any implementation of motcua's step, however it were written.
- schema floor (not an engine): the same statements, hand-written, on motcua's own tables (the dossier row with
  its indexes, which a step's update of the status, agency and deadline must all touch; the event, seal, head and
  portal rows as they are) — what the schema costs, with no Python beyond the statements.

Instances are made before the clock starts; the steps run round-robin (step 1 of every instance, then step 2 …),
so every step reloads its state from the database, and the engines take turns one step round at a time (a slow
spell of the machine falls on all of them alike). Each database gets a fresh database (PostgreSQL:
`--database` on `--pg-url`, default `motcua_bench_wf` on 127.0.0.1, dropped and made again). Prints instances/s
and the ratios; with `--runs N` the whole comparison is made N times (a fresh database each time) and the medians
are printed at the end, e.g.

    .venv/bin/python bench/workflow.py --instances 500 --runs 3 --database motcua_bench_wf
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
STEPS = 5


def _spiff_spec() -> Any:
    from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser  # type: ignore[import-untyped]

    tasks = "".join(f'<bpmn:manualTask id="s{i}" name="step {i}"/>' for i in range(1, STEPS + 1))
    flows = "".join(
        f'<bpmn:sequenceFlow id="f{i}" sourceRef="{"start" if i == 0 else f"s{i}"}" '
        f'targetRef="{"end" if i == STEPS else f"s{i + 1}"}"/>' for i in range(STEPS + 1))
    xml = ('<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions '
           'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="motcua">'
           f'<bpmn:process id="five" isExecutable="true"><bpmn:startEvent id="start"/>{tasks}'
           f'<bpmn:endEvent id="end"/>{flows}</bpmn:process></bpmn:definitions>')
    parser = BpmnParser()
    parser.add_bpmn_str(xml.encode())
    return parser.get_spec("five")


def run_engines(instances: int) -> dict[str, Any]:
    """In a process set up for one database: make the instances, then time the steps of each engine."""
    import django

    django.setup()
    from django.db import connection, transaction

    # --- motcua ---------------------------------------------------------------------------------------------
    from bench.land_transfers import set_up
    from motcua.dossiers.actions import forward_dossier
    from motcua.dossiers.models import Dossier

    land = set_up()
    people, land_office = land.people, land.land_office
    dossier_ids = land.make(instances)

    def motcua_step(step: int, pk: int) -> None:
        # The transition reads the dossier itself, under its row lock: the action needs only the key.
        forward_dossier(Dossier(pk=pk), actor=people[step])

    # --- SpiffWorkflow ---------------------------------------------------------------------------------------
    from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer  # type: ignore[import-untyped]
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # type: ignore[import-untyped]
    from SpiffWorkflow.util.task import TaskState  # type: ignore[import-untyped]

    spec = _spiff_spec()
    serializer = BpmnWorkflowSerializer()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_spiff_instance")
        cursor.execute("CREATE TABLE bench_spiff_instance (id integer PRIMARY KEY, state text NOT NULL)")
        for number in range(instances):
            workflow = BpmnWorkflow(spec)
            workflow.do_engine_steps()
            cursor.execute("INSERT INTO bench_spiff_instance VALUES (%s, %s)",
                           [number, serializer.serialize_json(workflow)])
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""

    def spiff_step(step: int, pk: int) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT state FROM bench_spiff_instance WHERE id = %s{lock}", [pk])  # noqa: S608
            workflow = serializer.deserialize_json(cursor.fetchone()[0])
            task = workflow.get_next_task(state=TaskState.READY, manual=True)
            task.run()
            workflow.do_engine_steps()
            cursor.execute("UPDATE bench_spiff_instance SET state = %s WHERE id = %s",
                           [serializer.serialize_json(workflow), pk])

    # --- floor: lock one row, write it back -------------------------------------------------------------------
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor")
        cursor.execute("CREATE TABLE bench_floor (id integer PRIMARY KEY, step integer NOT NULL)")
        for number in range(instances):
            cursor.execute("INSERT INTO bench_floor VALUES (%s, 0)", [number])

    def floor_step(step: int, pk: int) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT step FROM bench_floor WHERE id = %s{lock}", [pk])  # noqa: S608
            cursor.execute("UPDATE bench_floor SET step = %s WHERE id = %s", [cursor.fetchone()[0] + 1, pk])

    # --- writes floor: the statements a motcua step has to make, hand-written, no domain logic -----------------
    import hashlib

    with connection.cursor() as cursor:
        for table in ("bench_wf_row", "bench_wf_event", "bench_wf_head", "bench_wf_seal", "bench_wf_sync"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute("CREATE TABLE bench_wf_row (id integer PRIMARY KEY, step integer NOT NULL, "
                       "status varchar(20) NOT NULL, due text NOT NULL)")
        cursor.execute("CREATE TABLE bench_wf_event (id integer PRIMARY KEY, row_id integer NOT NULL, "
                       "seq integer NOT NULL, action varchar(30) NOT NULL, at text NOT NULL, data text NOT NULL)")
        cursor.execute("CREATE TABLE bench_wf_head (id integer PRIMARY KEY, position integer NOT NULL, "
                       "hash varchar(64) NOT NULL)")
        cursor.execute("CREATE TABLE bench_wf_seal (position integer PRIMARY KEY, event_id integer NOT NULL, "
                       "prev_hash varchar(64) NOT NULL, hash varchar(64) NOT NULL)")
        cursor.execute("CREATE TABLE bench_wf_sync (id integer PRIMARY KEY, row_id integer NOT NULL, "
                       "event_id integer NOT NULL, payload text NOT NULL)")
        cursor.execute("INSERT INTO bench_wf_head VALUES (1, 0, %s)", ["0" * 64])
        for number in range(instances):
            cursor.execute("INSERT INTO bench_wf_row VALUES (%s, 0, 'received', '')", [number])
    next_event = iter(range(1, STEPS * instances + 1))

    def writes_floor_step(step: int, pk: int) -> None:
        event_id, at = next(next_event), time.time()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT step, status, due FROM bench_wf_row WHERE id = %s{lock}", [pk])  # noqa: S608
            cursor.execute("UPDATE bench_wf_row SET step = %s, status = 'processing', due = %s WHERE id = %s",
                           [cursor.fetchone()[0] + 1, str(at + 86400), pk])
            cursor.execute("INSERT INTO bench_wf_event VALUES (%s, %s, %s, 'forward', %s, '{}')",
                           [event_id, pk, step + 2, str(at)])
            cursor.execute(f"SELECT position, hash FROM bench_wf_head WHERE id = 1{lock}")  # noqa: S608
            position, previous = cursor.fetchone()
            digest = hashlib.sha256(f"{previous}|{event_id}|{pk}|forward|{at}".encode()).hexdigest()
            cursor.execute("INSERT INTO bench_wf_seal VALUES (%s, %s, %s, %s)",
                           [position + 1, event_id, previous, digest])
            cursor.execute("UPDATE bench_wf_head SET position = %s, hash = %s WHERE id = 1", [position + 1, digest])
            cursor.execute("INSERT INTO bench_wf_sync VALUES (%s, %s, %s, %s)",
                           [event_id, pk, event_id, json.dumps({"MaHoSo": pk, "TrangThaiHoSo": "processing"})])

    # --- schema floor: the same statements on motcua's own tables (their indexes and row widths) -----------------
    from django.utils import timezone

    schema_ids = land.make(instances)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM audit_chainhead")
        if cursor.fetchone() is None:
            cursor.execute("INSERT INTO audit_chainhead (id, position, hash, updated_at) VALUES (1, 0, %s, %s)",
                           ["0" * 64, timezone.now()])
    dossier_columns = ", ".join(connection.ops.quote_name(f.column) for f in Dossier._meta.concrete_fields)
    returning = connection.vendor == "postgresql"

    def schema_floor_step(step: int, pk: int) -> None:
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT {dossier_columns} FROM dossiers_dossier WHERE id = %s{lock}", [pk])  # noqa: S608
            cursor.fetchone()
            cursor.execute("UPDATE dossiers_dossier SET status = %s, step_index = %s, current_agency_id = %s, "
                           "\"current_role\" = %s, assignee_id = NULL, step_started_at = %s, step_due_at = %s, "
                           "version = version + 1 WHERE id = %s",
                           ["processing", step + 1, land_office.pk, "specialist", now, now + dt.timedelta(days=1),
                            pk])
            event_sql = ("INSERT INTO dossiers_dossierevent (dossier_id, seq, action, from_status, to_status, "
                         "from_step, to_step, actor_id, actor_agency_id, to_agency_id, note, is_public, data, "
                         "created_at) VALUES (%s, %s, 'forward', 'processing', 'processing', %s, %s, %s, %s, %s, "
                         "'', %s, %s, %s)")
            cursor.execute(event_sql + (" RETURNING id" if returning else ""),
                           [pk, step + 3, step, step + 1, people[step].pk, land_office.pk, land_office.pk, True,
                            json.dumps({"step": f"s{step + 1}", "step_due_at": now.isoformat()}), now])
            event_id = cursor.fetchone()[0] if returning else cursor.lastrowid
            cursor.execute(f"SELECT position, hash FROM audit_chainhead WHERE id = 1{lock}")  # noqa: S608
            position, previous = cursor.fetchone()
            digest = hashlib.sha256(f"{previous}|{position + 1}|{event_id}|{pk}|forward|{now}".encode()).hexdigest()
            seal = ("INSERT INTO audit_eventseal (position, event_id, prev_hash, hash) VALUES (%s, %s, %s, %s)")
            head = "UPDATE audit_chainhead SET position = %s, hash = %s, updated_at = %s WHERE id = 1"
            if returning:  # one statement, as motcua's seal on PostgreSQL
                cursor.execute(f"WITH seal AS ({seal}) {head}",
                               [position + 1, event_id, previous, digest, position + 1, digest, now])
            else:
                cursor.execute(seal, [position + 1, event_id, previous, digest])
                cursor.execute(head, [position + 1, digest, now])
            cursor.execute("INSERT INTO dossiers_portalsync (dossier_id, event_id, origin, state, payload, attempts, "
                           "last_error, created_at, skip_reason) VALUES (%s, %s, 'local', 'pending', %s, 0, '', %s, "
                           "'')", [pk, event_id, json.dumps({"MaHoSo": pk, "TrangThaiHoSo": "processing"}), now])

    # --- django-viewflow -------------------------------------------------------------------------------------
    from viewflow.workflow.models import Task  # type: ignore[import-untyped]
    from viewflow.workflow.status import STATUS  # type: ignore[import-untyped]

    from bench.workflow_app.flows import FiveSteps

    nodes = [FiveSteps.step1, FiveSteps.step2, FiveSteps.step3, FiveSteps.step4, FiveSteps.step5]
    process_ids = [FiveSteps.start.run().pk for _ in range(instances)]

    def viewflow_step(step: int, pk: int) -> None:
        with transaction.atomic():
            task = Task.objects.get(process_id=pk, flow_task=nodes[step], status=STATUS.NEW)
            nodes[step].run(task)

    # The engines take turns, one step round (every instance's step N) at a time, so that a slow spell of the
    # shared machine (its disk's flushes vary several-fold from minute to minute) falls on every engine alike
    # instead of on whichever ran then.
    engines: dict[str, tuple[Callable[[int, int], None], list[int]]] = {
        "motcua": (motcua_step, dossier_ids),
        "SpiffWorkflow": (spiff_step, list(range(instances))),
        "django-viewflow": (viewflow_step, process_ids),
        "floor": (floor_step, list(range(instances))),
        "writes floor": (writes_floor_step, list(range(instances))),
        "schema floor": (schema_floor_step, schema_ids),
    }
    results = dict.fromkeys(engines, 0.0)
    for step in range(STEPS):
        for name, (step_fn, ids) in engines.items():
            began = time.perf_counter()
            for pk in ids:
                step_fn(step, pk)
            results[name] += time.perf_counter() - began
    # Every engine finished every instance.
    assert Dossier.objects.filter(pk__in=dossier_ids, step_index=5).count() == instances  # noqa: S101
    with connection.cursor() as cursor:
        cursor.execute("SELECT state FROM bench_spiff_instance")
        assert all(serializer.deserialize_json(s).completed for (s,) in cursor.fetchall())  # noqa: S101
    assert Task.objects.filter(flow_task=FiveSteps.end, status=STATUS.DONE).count() == instances  # noqa: S101
    with connection.cursor() as cursor:
        cursor.execute("SELECT position FROM bench_wf_head")
        assert cursor.fetchone()[0] == STEPS * instances  # noqa: S101
        cursor.execute("SELECT count(*) FROM bench_wf_row WHERE step = %s", [STEPS])
        assert cursor.fetchone()[0] == instances  # noqa: S101
    return {"vendor": connection.vendor, "instances": instances,
            "per_second": {name: instances / seconds for name, seconds in results.items()}}


def _run_once(vendor: str, args: argparse.Namespace) -> dict[str, Any]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_workflow", "MOTCUA_MANIFEST_STATIC": "false",
           "MOTCUA_SMS_BACKEND": "log", "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as var:
        env["MOTCUA_VAR_DIR"] = var
        if vendor == "postgresql":
            env["DATABASE_URL"] = f"{args.pg_url.rstrip('/')}/{args.database}"
            server = urllib.parse.urlsplit(args.pg_url)
            psql = ["psql", "-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432),
                    "-U", server.username or "postgres", "-d", "postgres", "-qc"]
            for sql in (f"DROP DATABASE IF EXISTS {args.database}", f"CREATE DATABASE {args.database}"):
                subprocess.run([*psql, sql], check=True)  # noqa: S603
        else:
            env["DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
        done = subprocess.run([sys.executable, __file__, "--child", "--instances", str(args.instances)],  # noqa: S603
                              env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        print(done.stdout, done.stderr, file=sys.stderr)
        raise SystemExit(f"{vendor}: the benchmark failed")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _print(figures: dict[str, Any], title: str) -> None:
    rate = figures["per_second"]
    print(f"{figures['vendor']}: {figures['instances']} instances × {STEPS} steps{title}")
    for name, value in rate.items():
        print(f"  {name:16} {value:8.1f} instances/s")
    print(f"  motcua / writes floor = {rate['motcua'] / rate['writes floor']:.0%}   "
          f"motcua / django-viewflow = {rate['motcua'] / rate['django-viewflow']:.2f}×   "
          f"motcua / SpiffWorkflow = {rate['motcua'] / rate['SpiffWorkflow']:.2f}×")
    print(f"  floor / SpiffWorkflow = {rate['floor'] / rate['SpiffWorkflow']:.2f}×   "
          f"floor / django-viewflow = {rate['floor'] / rate['django-viewflow']:.2f}×   "
          f"motcua / floor = {rate['motcua'] / rate['floor']:.2f}×")
    print(f"  motcua / schema floor = {rate['motcua'] / rate['schema floor']:.0%}   "
          f"schema floor / writes floor = {rate['schema floor'] / rate['writes floor']:.0%}")
    print(f"  writes floor / SpiffWorkflow = {rate['writes floor'] / rate['SpiffWorkflow']:.2f}×   "
          f"writes floor / django-viewflow = {rate['writes floor'] / rate['django-viewflow']:.2f}×", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=2000)
    parser.add_argument("--databases", default="sqlite,postgresql", help="which of sqlite,postgresql to run")
    parser.add_argument("--database", default="motcua_bench_wf",
                        help="PostgreSQL database name (dropped and made again)")
    parser.add_argument("--pg-url", default=PG_SERVER, help="PostgreSQL server, without a database name")
    parser.add_argument("--runs", type=int, default=1, help="repeat the comparison; medians printed at the end")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(run_engines(args.instances)))
        return
    runs: dict[str, list[dict[str, Any]]] = {}
    for number in range(args.runs):
        for vendor in args.databases.split(","):  # interleaved: each run measures both databases in turn
            figures = _run_once(vendor, args)
            runs.setdefault(vendor, []).append(figures)
            _print(figures, f" (run {number + 1} of {args.runs})" if args.runs > 1 else "")
    if args.runs > 1:
        for results in runs.values():
            median = {name: statistics.median(r["per_second"][name] for r in results)
                      for name in results[0]["per_second"]}
            ratios = [r["per_second"]["motcua"] / r["per_second"]["writes floor"] for r in results]
            _print({**results[0], "per_second": median}, f", median of {len(results)} runs")
            schema = [r["per_second"]["motcua"] / r["per_second"]["schema floor"] for r in results]
            print(f"  motcua / schema floor per run: {', '.join(f'{r:.0%}' for r in schema)} "
                  f"(median {statistics.median(schema):.0%})")
            print(f"  motcua / writes floor per run: {', '.join(f'{r:.0%}' for r in ratios)} "
                  f"(median {statistics.median(ratios):.0%})")


if __name__ == "__main__":
    main()
