"""National portal sync: steady throughput (events/s) and the drain of a 10,000-event backlog after an outage.

    .venv/bin/python bench/national_portal_sync.py                        # SQLite and PostgreSQL, defaults below
    .venv/bin/python bench/national_portal_sync.py --databases sqlite --latency-ms 50 --workers 1,4

For each database, in a fresh database (SQLite: a file in a temporary directory; PostgreSQL: `motcua_bench_sync` on
127.0.0.1, dropped and made again, or BENCH_PG_URL):

- seeding: the demo province and catalogue, then a sample of real land-transfer dossiers moved by the real actions
  (received at the counter, forwarded four times: 5 public events and PortalSync rows each); the backlog is made of
  copies of the sample (bulk inserts of the dossier, its events and its PortalSync rows, new codes), so the rows are
  the workflow's own, only faster to make;
- the simulator (`python -m simulators.national_portal`) in its own process, answering every portal call
  `--latency-ms` late;
- workers are real `manage.py sync_national_portal` processes (`--until-empty` for the steady run, `--loop` for
  the outage), timed from the moment all of them have started (Django's start-up is not counted);
- (a) steady: `--steady-events` due rows, the portal up, N workers; events/s = rows sent / time until none is left;
  meanwhile a thread makes a one-row write transaction every 50 ms, as a clerk's action would: its wait shows
  what the sync costs the rest of the application (on SQLite a worker holds the one write lock while it waits
  for the portal's answer);
- (b) outage: the portal down, the workers running and failing (rows backed off), `--backlog` events written while
  it is down, `--outage-seconds` later the portal comes up: the time until the backlog is drained, and the sending
  time alone (first to last `sent_at` after it came up). The back-off and breaker settings used are printed: with
  the production defaults (60 s doubling to 1 h; breaker 60 s) the wait after an outage is longer by design.

Afterwards the simulator's state is checked: every dossier holds each of its events exactly once, in event order.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from copy import copy as shallow
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_sync")
SAMPLE = 20  # dossiers made through the workflow; the backlog copies them
EVENTS_PER_DOSSIER = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def portal_call(url: str, path: str, data: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(url + path, data=json.dumps(data).encode() if data is not None else None,  # noqa: S310
                                     method="POST" if data is not None else "GET")
    with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310 - loopback simulator
        return json.loads(answer.read())


# --- in the child process (one database) ------------------------------------------------------------------------

def seed_sample() -> list[int]:
    """The demo province, and SAMPLE land-transfer dossiers with five public events each, through the actions."""
    from django.db import transaction

    from motcua.catalog.actions import import_catalog
    from motcua.catalog.models import Procedure
    from motcua.catalog.transfer import load_json
    from motcua.demo.directory import build_demo_directory
    from motcua.demo.management.commands.setup_demo import DEMO_CATALOG
    from motcua.directory.models import Agency
    from motcua.directory.units import load_units
    from motcua.dossiers.actions import Applicant, forward_dossier, submit_dossier
    from motcua.dossiers.models import Channel
    from motcua.dossiers.tests.helpers import LAND_FORM, LAND_PAPERS
    from motcua.identity.models import User

    load_units()
    build_demo_directory(password=None)
    with transaction.atomic():
        import_catalog(load_json(DEMO_CATALOG.read_bytes()))
    people = [User.objects.get(username=name) for name in (
        "tiepnhan.ttpvhcc", "chuyenvien.vpdkdd", "chuyenvien.thue", "chuyenvien.khobac")]
    procedure = Procedure.objects.get(national_code="1.013831")
    land_office = Agency.objects.get(eid_code="000.01.16.H19")
    centre = Agency.objects.get(eid_code="000.00.01.H19")
    ids = []
    for number in range(SAMPLE):
        dossier = submit_dossier(
            procedure=procedure, channel=Channel.COUNTER, competent_agency=land_office, receiving_agency=centre,
            actor=people[0], applicant=Applicant(name=f"Người nộp {number}", id_number=f"0751950{number:05d}",
                                                 phone="0987654321"),
            form_data=LAND_FORM, paper_documents=LAND_PAPERS)
        for actor in people:
            dossier = forward_dossier(dossier, actor=actor)
        ids.append(dossier.pk)
    return ids


def copy_sample(sample: list[int], events: int, tag: str) -> list[int]:
    """Bulk copies of the sample dossiers (with their events and PortalSync rows) until EVENTS rows are made."""
    from django.db import transaction

    from motcua.dossiers.models import Dossier, DossierEvent, PortalSync

    originals = list(Dossier.objects.filter(pk__in=sample).order_by("pk"))
    events_of = {pk: list(DossierEvent.objects.filter(dossier_id=pk, portal_sync__isnull=False).order_by("seq"))
                 for pk in sample}
    syncs = {row.event_id: row for row in PortalSync.objects.filter(dossier_id__in=sample)}
    made: list[int] = []
    count, batch = 0, 0
    while count < events:
        with transaction.atomic():
            copies = []
            for number, original in enumerate(originals):
                clone = shallow(original)
                clone.pk, clone.id, clone.code = None, None, f"{original.code}-{tag}{batch:04d}{number:02d}"
                clone.idempotency_key = None
                copies.append(clone)
            copies = Dossier.objects.bulk_create(copies)
            new_events = []
            columns = [f.attname for f in DossierEvent._meta.concrete_fields if f.attname != "id"]
            for original, made_copy in zip(originals, copies, strict=True):
                for event in events_of[original.pk]:
                    event_copy = DossierEvent(**{name: getattr(event, name) for name in columns})
                    event_copy.dossier_id = made_copy.pk
                    new_events.append(event_copy)
            new_events = DossierEvent.objects.bulk_create(new_events)
            rows = []
            for event, original_event in zip(new_events, [e for o in originals for e in events_of[o.pk]], strict=True):
                source = syncs[original_event.pk]
                rows.append(PortalSync(dossier_id=event.dossier_id, event_id=event.pk, payload=source.payload))
            PortalSync.objects.bulk_create(rows)
        made.extend(c.pk for c in copies)
        count += len(rows)
        batch += 1
    return made


def run_workers(count: int, env: dict[str, str], logs: Path, mode: str) -> list[tuple[subprocess.Popen[bytes], Path]]:
    workers = []
    for number in range(count):
        path = logs / f"worker-{mode}-{time.monotonic_ns()}-{number}.log"
        with open(path, "w") as log:
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "sync_national_portal", f"--{mode}", "--interval", "0.2"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        workers.append((process, path))
    deadline = time.monotonic() + 300
    while not all("worker started" in path.read_text() for _p, path in workers):
        if time.monotonic() > deadline or any(p.poll() is not None for p, _path in workers):
            raise SystemExit("a worker did not start:\n" + "\n".join(path.read_text() for _p, path in workers))
        time.sleep(0.02)
    return workers


def stop_workers(workers: list[tuple[subprocess.Popen[bytes], Path]]) -> None:
    for process, _path in workers:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process, _path in workers:
        process.wait(120)


def pending(ids: list[int]) -> int:
    from motcua.dossiers.models import PortalSync

    return int(PortalSync.objects.filter(dossier_id__gte=min(ids), dossier_id__lte=max(ids))
               .exclude(state=PortalSync.State.SENT).count())


def wait_drained(ids: list[int], timeout: float) -> float:
    started = time.monotonic()
    while pending(ids):
        if time.monotonic() - started > timeout:
            raise SystemExit(f"not drained after {timeout} s: {pending(ids)} rows left")
        time.sleep(0.05)
    return time.monotonic() - started


def check_delivered(url: str, ids: list[int]) -> int:
    """Every dossier of IDS holds each of its public events once, in order, at the portal."""
    from motcua.adapters import national_portal as portal
    from motcua.dossiers.models import Dossier, PortalSync

    state = portal_call(url, "/_state")["dossiers"]
    for dossier in Dossier.objects.filter(pk__in=ids):
        expected = [(portal.map_status(e.to_status), portal.format_portal_datetime(e.created_at))
                    for e in dossier.events.filter(portal_sync__isnull=False).order_by("seq")]
        got = [(p["step"]["TrangThai"], p["step"]["ThoiDiemXuLy"]) for p in state[dossier.code]["progress"]]
        if got != expected:
            raise SystemExit(f"{dossier.code}: portal has {got}, expected {expected}")
    if PortalSync.objects.filter(dossier_id__in=ids).exclude(state=PortalSync.State.SENT).exists():
        raise SystemExit("rows left unsent")
    return len(ids)


class Writer(threading.Thread):
    """A clerk's small write transaction every 50 ms while the workers drain: how long it waits for the database
    (on SQLite a worker holds the one write lock while it waits for the portal)."""

    def __init__(self, row_id: int) -> None:
        super().__init__(daemon=True)
        self.row_id, self.waits, self.failed, self.stopping = row_id, [], 0, threading.Event()

    def run(self) -> None:
        from django.db import OperationalError, connections, transaction

        from motcua.dossiers.models import PortalSync

        try:
            while not self.stopping.wait(0.05):
                started = time.monotonic()
                try:
                    with transaction.atomic():
                        PortalSync.objects.filter(pk=self.row_id).update(last_error="")
                except OperationalError:  # SQLite: "database is locked" after its 20 s busy time-out
                    self.failed += 1
                self.waits.append(time.monotonic() - started)
        finally:
            connections.close_all()

    def figures(self) -> dict[str, float]:
        self.stopping.set()
        self.join(60)
        waits = sorted(self.waits) or [0.0]
        return {"writes": len(self.waits), "failed": self.failed, "p50_ms": 1000 * waits[len(waits) // 2],
                "p99_ms": 1000 * waits[int(len(waits) * 0.99)], "max_ms": 1000 * waits[-1]}


def child(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max, Min
    from django.utils import timezone

    from motcua.dossiers.models import PortalSync

    call_command("migrate", verbosity=0)
    env = dict(os.environ)
    url = env["BENCH_PORTAL_URL"]
    logs = Path(env["MOTCUA_VAR_DIR"])
    started = time.monotonic()
    sample = seed_sample()
    PortalSync.objects.filter(dossier_id__in=sample).update(state=PortalSync.State.SENT)  # not part of any run
    seeded = time.monotonic() - started
    worker_counts = [int(n) for n in args.workers.split(",")]
    figures: dict[str, Any] = {"vendor": connection.vendor, "seed_seconds": seeded, "steady": {}, "outage": {}}

    for workers in worker_counts:  # (a) steady throughput
        ids = copy_sample(sample, args.steady_events, f"S{workers}-")
        rows = PortalSync.objects.filter(dossier_id__in=ids).count()
        running = run_workers(workers, env, logs, "until-empty")
        writer = Writer(PortalSync.objects.filter(dossier_id__in=sample).values_list("pk", flat=True).first())
        writer.start()
        seconds = wait_drained(ids, 3600)
        writes = writer.figures()
        stop_workers(running)
        check_delivered(url, ids)
        figures["steady"][workers] = {"events": rows, "seconds": seconds, "per_second": rows / seconds,
                                      "writes": writes}

    for workers in worker_counts:  # (b) outage, then the backlog
        portal_call(url, "/_faults", {"down": True})
        running = run_workers(workers, env, logs, "loop")
        ids = copy_sample(sample, args.backlog, f"O{workers}-")
        rows = PortalSync.objects.filter(dossier_id__in=ids).count()
        time.sleep(args.outage_seconds)
        tried = PortalSync.objects.filter(dossier_id__in=ids, attempts__gt=0).count()
        portal_call(url, "/_faults", {"down": False})
        up_at = timezone.now()
        seconds = wait_drained(ids, 3600)
        stop_workers(running)
        check_delivered(url, ids)
        span = PortalSync.objects.filter(dossier_id__in=ids, sent_at__gte=up_at).aggregate(
            first=Min("sent_at"), last=Max("sent_at"))
        sending = (span["last"] - span["first"]).total_seconds()
        figures["outage"][workers] = {"events": rows, "tried_while_down": tried, "drain_seconds": seconds,
                                      "first_sent_after_up": (span["first"] - up_at).total_seconds(),
                                      "sending_seconds": sending, "per_second": rows / sending}
    return figures


# --- the parent -------------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--steady-events", type=int, default=2000)
    parser.add_argument("--backlog", type=int, default=10000)
    parser.add_argument("--workers", default="1,4", help="worker counts to compare, e.g. 1,4")
    parser.add_argument("--latency-ms", type=int, default=0, help="the simulated portal answers this late")
    parser.add_argument("--outage-seconds", type=float, default=10.0)
    parser.add_argument("--backoff", type=int, default=5, help="MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_SECONDS")
    parser.add_argument("--backoff-max", type=int, default=20, help="…_BACKOFF_MAX_SECONDS")
    parser.add_argument("--breaker-reset", type=float, default=5.0, help="the dvcqg breaker's reset seconds")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args)))
        return
    print(f"latency {args.latency_ms} ms; back-off {args.backoff} s doubling to {args.backoff_max} s; breaker: 5 "
          f"failures, reset {args.breaker_reset} s; client: read timeout 6 s, 3 attempts")
    for vendor in args.databases.split(","):
        port = free_port()
        portal_url = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory() as var:
            simulator = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "simulators.national_portal", "--port", str(port), "--delay-ms",
                 str(args.latency_ms)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            systems = {"dvcqg": {"base_url": portal_url, "read_timeout": 6, "max_attempts": 3,
                                 "breaker_reset_seconds": args.breaker_reset,
                                 "headers": {"dstcode": "VN:GOV:000.00.00.G22:DVCQG"}}}
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings", "MOTCUA_MANIFEST_STATIC": "false",
                   "MOTCUA_SMS_BACKEND": "log", "LOG_LEVEL": "WARNING", "MOTCUA_VAR_DIR": var,
                   "MOTCUA_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
                   "BENCH_PORTAL_URL": portal_url, "MOTCUA_INTEGRATION_SYSTEMS_JSON": json.dumps(systems),
                   "MOTCUA_NATIONAL_PORTAL_MADONVI": "000.00.00.H19",
                   "MOTCUA_NATIONAL_PORTAL_USERNAME": "motcua-demo",
                   "MOTCUA_NATIONAL_PORTAL_PASSWORD": "motcua-demo-password",
                   "MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_SECONDS": str(args.backoff),
                   "MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_MAX_SECONDS": str(args.backoff_max),
                   "MOTCUA_NATIONAL_PORTAL_SYNC_MAX_ATTEMPTS": "1000"}
            if vendor == "postgresql":
                env["DATABASE_URL"] = PG_URL
                name = PG_URL.rsplit("/", 1)[1]
                for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
                    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)  # noqa: S603,S607
            else:
                env["DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
            try:
                done = subprocess.run(  # noqa: S603
                    [sys.executable, __file__, "--child", "--steady-events", str(args.steady_events),
                     "--backlog", str(args.backlog), "--workers", args.workers,
                     "--outage-seconds", str(args.outage_seconds), "--latency-ms", str(args.latency_ms)],
                    env=env, cwd=ROOT, capture_output=True, text=True, check=False)
            finally:
                simulator.terminate()
                simulator.wait(30)
        if done.returncode:
            print(done.stdout, done.stderr, file=sys.stderr)
            raise SystemExit(f"{vendor}: the benchmark failed")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{figures['vendor']} (seeding {figures['seed_seconds']:.0f} s)")
        for workers, f in figures["steady"].items():
            w = f["writes"]
            print(f"  steady, {workers} worker(s): {f['events']} events in {f['seconds']:.1f} s = "
                  f"{f['per_second']:.1f} events/s; a clerk's one-row write meanwhile: p50 {w['p50_ms']:.1f} ms, "
                  f"p99 {w['p99_ms']:.1f} ms, max {w['max_ms']:.0f} ms ({w['writes']} writes, {w['failed']} failed)")
        for workers, f in figures["outage"].items():
            print(f"  outage, {workers} worker(s): {f['events']} events backlog ({f['tried_while_down']} rows "
                  f"tried while down); drained {f['drain_seconds']:.1f} s after the portal came up (first sent "
                  f"after {f['first_sent_after_up']:.1f} s; sending {f['sending_seconds']:.1f} s = "
                  f"{f['per_second']:.1f} events/s)")
        print("  checked: every dossier holds each of its events once, in order, at the portal")


if __name__ == "__main__":
    main()
