"""Reliability under faults: online submissions while job workers are SIGKILLed and PostgreSQL restarts.

    .venv/bin/python bench/reliability.py --submissions 10000          # figures as a table
    .venv/bin/python bench/reliability.py --submissions 300 --json     # what the test suite runs

Needs the test extra (aiosmtpd for the SMTP stand-in) and the PostgreSQL server binaries
(/usr/lib/postgresql/*/bin). Everything runs on loopback in a throw-away directory:

- a PRIVATE PostgreSQL cluster (initdb into a temporary directory, its own port; run as the `postgres` OS user
  when started as root) — never the shared server, because it is restarted (`pg_ctl restart -m fast`) once,
  after `--restart-at` of the submissions were acknowledged;
- the application in gunicorn (several processes), citizens signed in with API tokens;
- `--clients` concurrent clients POST /api/v1/me/dossiers, each with its own Idempotency-Key, and retry on a
  connection error, a time-out or a 5xx with the SAME key and body until acknowledged (201);
- a counter clerk (threads of this process, the real `receive_dossier` action) receives every submitted
  dossier, which writes the "received" email and SMS to the outbox;
- `--workers` `manage.py db_worker` processes deliver them to a local SMTP server and an SMS gateway stand-in
  that record every message id; one worker is SIGKILLed every `--kill-every` seconds (at most `--max-kills`)
  and a dead worker is started again, as systemd would.

At the end: a dossier is LOST if it was acknowledged but is not in the database (or has another code), and
DUPLICATED if the database has more dossiers than distinct idempotency keys were sent. Notifications: expected
= 2 per received dossier (email + SMS); delivered = distinct ids that reached the stand-ins; duplicated = an
email that reached the SMTP server twice (same Message-ID) or an SMS the gateway delivered twice. SMS re-sent
with the same RequestId (which the gateway drops, as eSMS does) are reported separately.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROCEDURE = "1.001193"  # birth registration, fully online, received by the commune
AGENCY = "000.01.70.H19"  # UBND phường Trấn Biên
CLERK = "tiepnhan.tranbien"
DOCUMENTS = ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")
FORM = {
    "tre": {"ho_ten": "Lê Minh Khang", "gioi_tinh": "nam", "ngay_sinh": "2026-02-10", "noi_sinh": "Đồng Nai"},
    "me": {"ho_ten": "Lê Thị Cúc", "so_dinh_danh": "075195001111"},
    "nguoi_yeu_cau": {"ho_ten": "Lê Thị Cúc", "so_dinh_danh": "075195001111"},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


# --- a private PostgreSQL cluster ------------------------------------------------------------------

def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary directory, on its own port, that this program may restart."""

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        binaries = postgres_bin()
        if binaries is None:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
        self.bin = binaries
        self.port = port or free_port()
        self.dir = workdir / "pg"
        self.data = self.dir / "data"
        self.as_postgres = os.geteuid() == 0  # the server refuses to run as root

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, timeout=timeout,  # noqa: S603 - our own fixed arguments
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def init(self) -> None:
        self.dir.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
            os.chmod(self.dir.parent, 0o755)  # noqa: S103 - the postgres user must reach its data directory
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                       f"unix_socket_directories = '{self.dir}'\nmax_connections = 200\n")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w", "-t", "60", "start")

    def restart(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w", "-t", "60",
                  "-m", "fast", "restart")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-m", "immediate", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')


# --- the run ---------------------------------------------------------------------------------------

@dataclass
class Figures:
    submissions: int = 0
    clients: int = 0
    acknowledged: int = 0
    gave_up: int = 0
    refused: int = 0
    retries: int = 0
    submit_seconds: float = 0.0
    lost: int = 0
    duplicated: int = 0
    attachments_checked: int = 0
    attachments_mismatched: int = 0
    dossiers_in_database: int = 0
    received_by_clerk: int = 0
    worker_kills: int = 0
    worker_starts: int = 0
    postgres_restarts: int = 0
    postgres_down_seconds: float | None = None
    recover_submit_seconds: float | None = None
    recover_delivery_seconds: float | None = None
    notifications_expected: int = 0
    notifications_in_outbox: int = 0
    notifications_delivered: int = 0
    notifications_missing: int = 0
    notifications_failed: int = 0
    notifications_duplicated: int = 0
    email_duplicates: int = 0
    email_duplicates_unexplained: int = 0
    sms_resent_same_key: int = 0
    drain_seconds: float = 0.0
    total_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def submissions_per_second(self) -> float:
        return self.acknowledged / self.submit_seconds if self.submit_seconds else 0.0


class Clock:
    """Times of the PostgreSQL restart and of the first successes after it."""

    def __init__(self) -> None:
        self.restart_began: float | None = None
        self.restart_done: float | None = None
        self.first_ack_after: float | None = None
        self.lock = threading.Lock()

    def acknowledged(self) -> None:
        now = time.monotonic()
        with self.lock:
            if self.restart_began is not None and self.first_ack_after is None and now > self.restart_began:
                self.first_ack_after = now


def run(args: argparse.Namespace) -> Figures:
    figures = Figures(submissions=args.submissions, clients=args.clients)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="motcua-reliability-"))
    postgres = PrivatePostgres(workdir, args.pg_port)
    postgres.init()
    postgres.start()
    postgres.create_database("motcua")

    from motcua.notifications.tests.standins import SmtpServer, StandInGateway

    smtp = SmtpServer()
    smtp.start()
    sms = StandInGateway("sms")
    sms_url = sms.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "DATABASE_URL": postgres.url("motcua"),
        "MOTCUA_VAR_DIR": str(workdir / "var"),
        "MEDIA_ROOT": str(workdir / "media"),
        "MOTCUA_MANIFEST_STATIC": "false",
        "MOTCUA_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_TIMEOUT": "10",
        "DEFAULT_FROM_EMAIL": "mot-cua@dongnai.gov.vn",
        "MOTCUA_SMS_BACKEND": "http", "MOTCUA_SMS_URL": sms_url, "MOTCUA_SMS_TIMEOUT": "10",
        "MOTCUA_NOTIFY_CHANNELS": "email,sms",
        "MOTCUA_NOTIFY_LEASE_SECONDS": str(args.lease), "MOTCUA_NOTIFY_SWEEP_SECONDS": "1",
        "MOTCUA_NOTIFY_BACKOFF_SECONDS": "1", "MOTCUA_NOTIFY_BACKOFF_MAX_SECONDS": "5",
        "MOTCUA_NOTIFY_RATE_PER_HOUR": "0", "MOTCUA_NOTIFY_RATE_PER_DAY": "0",
        "LOG_LEVEL": "ERROR", "DEBUG": "false",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    citizens = seed(args.clients)

    processes: list[subprocess.Popen[bytes]] = []
    opened: list[Any] = []
    stop = threading.Event()
    clock = Clock()
    lock = threading.Lock()
    try:
        # The application: gunicorn, several processes.
        port = free_port()
        web_log = open(workdir / "gunicorn.log", "wb")  # noqa: SIM115 - closed at the end
        opened.append(web_log)
        web = subprocess.Popen(  # noqa: S603 - our own fixed arguments
            [sys.executable, "-m", "gunicorn", "motcua.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.web_processes), "--threads", "4", "--timeout", "60",
             "--graceful-timeout", "5"],
            cwd=ROOT, env=env, stdout=web_log, stderr=subprocess.STDOUT)
        processes.append(web)
        wait_for_port(port, 60)

        # The job workers, and the killer.
        workers: dict[str, subprocess.Popen[bytes]] = {}
        worker_logs = open(workdir / "workers.log", "ab")  # noqa: SIM115 - closed at the end
        opened.append(worker_logs)
        serial = iter(range(1, 1_000_000))
        events = open(workdir / "events.log", "a")  # noqa: SIM115 - closed at the end
        opened.append(events)

        def note(text: str) -> None:
            events.write(f"{time.monotonic() - started:9.2f} {text}\n")
            events.flush()

        def start_worker(slot: str) -> None:
            note(f"start worker {slot}")
            workers[slot] = subprocess.Popen(  # noqa: S603 - our own fixed arguments
                [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay",
                 "--no-reload", "--worker-id", f"{slot}-{next(serial)}"],
                cwd=ROOT, env=env, stdout=worker_logs, stderr=subprocess.STDOUT)
            figures.worker_starts += 1

        for number in range(args.workers):
            start_worker(f"w{number}")

        def supervise() -> None:
            next_kill = time.monotonic() + args.kill_every
            while not stop.is_set():
                if time.monotonic() >= next_kill and (args.max_kills < 0 or figures.worker_kills < args.max_kills):
                    victim = random.choice(sorted(workers))
                    with contextlib.suppress(ProcessLookupError):
                        workers[victim].send_signal(signal.SIGKILL)
                    workers[victim].wait()
                    note(f"killed worker {victim}")
                    figures.worker_kills += 1
                    next_kill = time.monotonic() + args.kill_every
                for slot, process in list(workers.items()):
                    if process.poll() is not None:  # killed, or exited when the database went away
                        note(f"worker {slot} exited with {process.returncode}")
                        start_worker(slot)
                stop.wait(0.1)

        supervisor = threading.Thread(target=supervise, daemon=True)
        supervisor.start()

        # The counter clerk receives what is submitted (writes the notifications).
        submitting = threading.Event()
        submitting.set()
        received: set[int] = set()
        clerks = [threading.Thread(target=clerk_loop, args=(n, args.clerks, submitting, received, lock, figures),
                                   daemon=True) for n in range(args.clerks)]
        for thread in clerks:
            thread.start()

        # The clients.
        acknowledged: dict[str, str] = {}
        sent_keys: set[str] = set()
        queue = iter(range(args.submissions))
        queue_lock = threading.Lock()
        restart_after = int(args.submissions * args.restart_at) if args.restart else -1
        restarted = threading.Event()

        def restart_postgres() -> None:
            clock.restart_began = time.monotonic()
            note("restarting PostgreSQL")
            postgres.restart()
            clock.restart_done = time.monotonic()
            note("PostgreSQL restarted")
            figures.postgres_restarts += 1

        def client(number: int) -> None:
            import requests

            session = requests.Session()
            user_pk, token = citizens[number]
            headers = {"Authorization": f"Bearer {token}"}
            while True:
                with queue_lock:
                    index = next(queue, None)
                if index is None:
                    return
                key = f"rel-{index:06d}"
                with lock:
                    sent_keys.add(f"api:{user_pk}:{key}")
                body = submission(index)
                deadline = time.monotonic() + args.give_up_after
                tries = 0
                while True:
                    tries += 1
                    try:
                        answer = session.post(f"http://127.0.0.1:{port}/api/v1/me/dossiers", json=body,
                                              headers={**headers, "Idempotency-Key": key}, timeout=30)
                        status = answer.status_code
                    except requests.RequestException:
                        status = 0
                    if status == 201:
                        clock.acknowledged()
                        with lock:
                            acknowledged[f"api:{user_pk}:{key}"] = answer.json()["code"]
                            figures.retries += tries - 1
                            count = len(acknowledged)
                        if count == restart_after and not restarted.is_set():
                            restarted.set()
                            threading.Thread(target=restart_postgres, daemon=True).start()
                        break
                    if status and status < 500:
                        with lock:
                            figures.refused += 1
                            figures.retries += tries - 1
                            figures.errors.append(f"{key}: HTTP {status} {answer.text[:300]}")
                        break
                    if time.monotonic() > deadline:
                        with lock:
                            figures.gave_up += 1
                            figures.retries += tries - 1
                        break
                    time.sleep(min(0.05 * 2 ** min(tries, 5), 1.0))

        submit_started = time.monotonic()
        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        figures.submit_seconds = time.monotonic() - submit_started
        figures.acknowledged = len(acknowledged)
        while args.restart and restarted.is_set() and clock.restart_done is None:
            time.sleep(0.1)
        submitting.clear()
        for thread in clerks:
            thread.join()

        # Drain: wait until every outbox message is final, the workers still being killed.
        drain_started = time.monotonic()
        from motcua.notifications.models import OutboundMessage
        from motcua.notifications.models import Status as MessageStatus

        deadline = time.monotonic() + args.drain_timeout
        while time.monotonic() < deadline:
            try:
                open_messages = OutboundMessage.objects.exclude(
                    status__in=[MessageStatus.SENT, MessageStatus.FAILED]).count()
            except Exception:
                close_connections()
                open_messages = -1
            if open_messages == 0:
                break
            time.sleep(0.5)
        figures.drain_seconds = time.monotonic() - drain_started
        stop.set()
        supervisor.join()
        for process in workers.values():
            processes.append(process)

        check(figures, acknowledged, sent_keys, smtp, sms, clock)
    finally:
        stop.set()
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        sms.stop()
        smtp.stop()
        for handle in opened:
            handle.close()
        close_connections()
        postgres.stop()
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    figures.total_seconds = time.monotonic() - started
    return figures


def close_connections() -> None:
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(Exception):
            connection.close()


def attachment(slot: str, index: int) -> bytes:
    return f"%PDF-1.4 {slot} {index}".encode()


def submission(index: int) -> dict[str, Any]:
    """The body of submission INDEX: each has its own phone and email, so every notification is distinct."""
    return {
        "procedure_code": PROCEDURE, "agency_eid": AGENCY,
        "applicant_name": f"Người nộp {index}", "applicant_phone": f"091{index:07d}",
        "applicant_email": f"nguoi.nop.{index}@example.vn", "form_data": FORM,
        "documents": [{"slot": slot, "name": f"{slot}.pdf",
                       "content_base64": base64.b64encode(attachment(slot, index)).decode()}
                      for slot in DOCUMENTS],
    }


def seed(clients: int) -> list[tuple[int, str]]:
    """The demo province, and one signed-in citizen per client: (user id, API token)."""
    from motcua.catalog.actions import import_catalog
    from motcua.catalog.transfer import load_json
    from motcua.demo.directory import build_demo_directory
    from motcua.demo.management.commands.setup_demo import DEMO_CATALOG
    from motcua.directory.units import load_units
    from motcua.identity.models import User
    from motcua.identity.tokens import issue_token

    load_units()
    build_demo_directory(password=None)
    import_catalog(load_json(DEMO_CATALOG.read_bytes()))
    citizens = []
    for number in range(clients):
        user = User.objects.create(username=f"cong.dan.{number}", full_name=f"Công dân {number}")
        citizens.append((user.pk, issue_token(user, label="reliability")))
    return citizens


def clerk_loop(number: int, count: int, submitting: threading.Event, received: set[int], lock: threading.Lock,
               figures: Figures) -> None:
    """Receive every submitted dossier whose id falls to this clerk thread, until submissions are over and
    none is left; ride through the database restart (reconnect and go on)."""
    from django.db import connection
    from django.db.models.functions import Mod

    from motcua.dossiers.actions import receive_dossier
    from motcua.dossiers.models import Dossier, Status
    from motcua.dossiers.workflow import WorkflowError
    from motcua.identity.models import User

    clerk = None
    while True:
        try:
            if clerk is None:
                clerk = User.objects.get(username=CLERK)
            # Read the flag before the query: every submission was committed before the flag was cleared, so
            # an empty answer read after that means none is left (read after the query, it could miss the last).
            still_submitting = submitting.is_set()
            pending = list(Dossier.objects.filter(status=Status.SUBMITTED).annotate(share=Mod("id", count))
                           .filter(share=number).order_by("pk")[:200])
            if not pending and not still_submitting:
                return
            for dossier in pending:
                with contextlib.suppress(WorkflowError):  # received by an earlier try whose answer was lost
                    receive_dossier(dossier, actor=clerk)
                with lock:
                    received.add(dossier.pk)
                    figures.received_by_clerk = len(received)
            if not pending:
                time.sleep(0.2)
        except Exception:
            with contextlib.suppress(Exception):
                connection.close()
            time.sleep(0.2)
        finally:
            connection.close_if_unusable_or_obsolete()


def check(figures: Figures, acknowledged: dict[str, str], sent_keys: set[str], smtp: Any, sms: Any,
          clock: Clock) -> None:
    from motcua.dossiers.models import Dossier, Status
    from motcua.notifications.models import Channel, DeliveryAttempt, OutboundMessage
    from motcua.notifications.models import Status as MessageStatus

    in_database = dict(Dossier.objects.values_list("idempotency_key", "code"))
    figures.dossiers_in_database = Dossier.objects.count()
    # Lost: acknowledged (possibly after retries), but not in the database under its key with the same code.
    figures.lost = sum(1 for key, code in acknowledged.items() if in_database.get(key) != code)
    # Duplicated: more dossiers than distinct keys sent (every dossier of this run came through the API).
    figures.duplicated = figures.dossiers_in_database - len(sent_keys & set(in_database))
    # Every attachment of an acknowledged dossier has the bytes that were sent.
    from django.core.files.storage import default_storage

    from motcua.dossiers.models import DossierDocument

    documents = DossierDocument.objects.filter(dossier__idempotency_key__in=list(acknowledged)).values_list(
        "dossier__idempotency_key", "slot", "file")
    seen: Counter[str] = Counter()
    for key, slot, name in documents.iterator():
        assert key is not None  # noqa: S101 - filtered on it
        seen[key] += 1
        with default_storage.open(name, "rb") as handle:
            same = hashlib.sha256(handle.read()).digest() == hashlib.sha256(
                attachment(slot, int(key.rsplit("-", 1)[1]))).digest()
        figures.attachments_checked += 1
        figures.attachments_mismatched += not same
    figures.attachments_mismatched += sum(max(len(DOCUMENTS) - seen[key], 0) for key in acknowledged)
    # What the clerk threads counted can miss a dossier whose receipt committed just before the database went
    # away (the thread saw an error, and the dossier is no longer waiting); the database is the record.
    figures.received_by_clerk = Dossier.objects.filter(status=Status.RECEIVED).count()
    not_received = Dossier.objects.exclude(status=Status.RECEIVED).count()
    if not_received:
        figures.errors.append(f"{not_received} dossiers not received by the clerk")

    messages = list(OutboundMessage.objects.values_list("uid", "channel", "status"))
    figures.notifications_expected = 2 * Dossier.objects.filter(status=Status.RECEIVED).count()
    figures.notifications_in_outbox = len(messages)
    figures.notifications_failed = sum(1 for _uid, _ch, status in messages if status == MessageStatus.FAILED)
    emails = smtp.mailbox.message_ids()
    email_uids = {f"<{uid}@dongnai.gov.vn>" for uid, channel, _s in messages if channel == Channel.EMAIL}
    sms_uids = {str(uid) for uid, channel, _s in messages if channel == Channel.SMS}
    delivered = len(email_uids & set(emails)) + len(sms_uids & set(sms.delivered))
    figures.notifications_delivered = delivered
    figures.notifications_missing = figures.notifications_expected - delivered
    figures.email_duplicates = sum(count - 1 for count in emails.values() if count > 1)
    figures.notifications_duplicated = figures.email_duplicates  # the SMS gateway delivers a RequestId once
    # SMTP has no idempotency key: a worker SIGKILLed after the server accepted an email and before "sent" was
    # written leaves an interrupted attempt, and the email goes again with the same Message-ID. Any other
    # duplicate is a defect.
    interrupted = {f"<{uid}@dongnai.gov.vn>" for uid in DeliveryAttempt.objects.filter(
        outcome=DeliveryAttempt.Outcome.INTERRUPTED, message__channel=Channel.EMAIL).values_list(
        "message__uid", flat=True)}
    figures.email_duplicates_unexplained = sum(
        1 for message_id, count in emails.items() if count > 1 and message_id not in interrupted)
    figures.sms_resent_same_key = sum(count - 1 for count in sms.request_counts().values() if count > 1)
    strangers = (set(emails) - email_uids) | (set(sms.delivered) - sms_uids)
    if strangers:
        figures.errors.append(f"{len(strangers)} messages delivered that the outbox does not have")

    if clock.restart_began is not None:
        if clock.restart_done is not None:
            figures.postgres_down_seconds = round(clock.restart_done - clock.restart_began, 2)
        if clock.first_ack_after is not None:
            figures.recover_submit_seconds = round(clock.first_ack_after - clock.restart_began, 2)
        sent_after = OutboundMessage.objects.filter(status=MessageStatus.SENT).order_by("sent_at")
        began = _wall(clock.restart_began)
        first = sent_after.filter(sent_at__gte=began).values_list("sent_at", flat=True).first()
        if first is not None:
            figures.recover_delivery_seconds = round((first - began).total_seconds(), 2)


def _wall(monotonic: float) -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC) - dt.timedelta(seconds=time.monotonic() - monotonic)


def table(figures: Figures) -> str:
    rows = [
        ("submissions (acknowledged / asked)", f"{figures.acknowledged} / {figures.submissions}"),
        ("concurrent clients", figures.clients),
        ("submissions per second", f"{figures.submissions_per_second:.1f}"),
        ("client retries (same key)", figures.retries),
        ("gave up / refused", f"{figures.gave_up} / {figures.refused}"),
        ("dossiers lost", figures.lost),
        ("dossiers duplicated", figures.duplicated),
        ("attachments checked / sha256 mismatched or missing",
         f"{figures.attachments_checked} / {figures.attachments_mismatched}"),
        ("dossiers received by the clerk", figures.received_by_clerk),
        ("worker SIGKILLs / worker starts", f"{figures.worker_kills} / {figures.worker_starts}"),
        ("PostgreSQL restarts", figures.postgres_restarts),
        ("PostgreSQL restart took (s)", figures.postgres_down_seconds),
        ("first acknowledged submission after restart (s)", figures.recover_submit_seconds),
        ("first delivered notification after restart (s)", figures.recover_delivery_seconds),
        ("notifications expected", figures.notifications_expected),
        ("notifications in outbox", figures.notifications_in_outbox),
        ("notifications delivered (distinct)", figures.notifications_delivered),
        ("notifications missing", figures.notifications_missing),
        ("notifications failed (final)", figures.notifications_failed),
        ("notifications duplicated (email same Message-ID twice)", figures.notifications_duplicated),
        ("  of which not after a worker killed mid-send (defects)", figures.email_duplicates_unexplained),
        ("SMS re-sent with the same RequestId (gateway kept one)", figures.sms_resent_same_key),
        ("drain after last submission (s)", f"{figures.drain_seconds:.1f}"),
        ("total run (s)", f"{figures.total_seconds:.1f}"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    lines += [f"error: {error}" for error in figures.errors[:20]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (one citizen each)")
    parser.add_argument("--web-processes", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--workers", type=int, default=3, help="db_worker processes")
    parser.add_argument("--clerks", type=int, default=2, help="clerk threads receiving dossiers")
    parser.add_argument("--kill-every", type=float, default=15.0,
                        help="seconds between worker SIGKILLs (above a worker's start-up time)")
    parser.add_argument("--max-kills", type=int, default=-1, help="stop killing after this many (-1: never)")
    parser.add_argument("--no-restart", dest="restart", action="store_false", help="do not restart PostgreSQL")
    parser.add_argument("--restart-at", type=float, default=0.4, help="restart after this share was acknowledged")
    parser.add_argument("--lease", type=int, default=5, help="MOTCUA_NOTIFY_LEASE_SECONDS for the run")
    parser.add_argument("--give-up-after", type=float, default=120, help="a client stops retrying after (s)")
    parser.add_argument("--drain-timeout", type=float, default=600)
    parser.add_argument("--pg-port", type=int, default=None, help="port of the private cluster (default: free)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, cluster)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = run(args)
    if args.json:
        print(json.dumps({**figures.__dict__, "submissions_per_second": round(figures.submissions_per_second, 2)}))
    else:
        print(table(figures))
    ok = (figures.lost == 0 and figures.duplicated == 0 and figures.notifications_missing == 0
          and figures.attachments_mismatched == 0
          and figures.email_duplicates_unexplained == 0 and figures.notifications_duplicated <= figures.worker_kills
          and figures.acknowledged == figures.submissions)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
