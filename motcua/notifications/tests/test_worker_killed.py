"""Kill the worker mid-delivery: after a restart every message is delivered, and exactly once.

A real `manage.py db_worker` runs against the test's own database (a SQLite file, or a fresh PostgreSQL database
when the suite runs on PostgreSQL), with a real SMTP server and the SMS/ZNS stand-ins on loopback. The SMS
stand-in accepts the first SMS and then holds its answer; the worker is SIGKILLed while it waits — the worst
moment: the provider has the message, our database still says "sending". Two workers are then started (scale-out
is just more workers). The lost lease is taken back by the sweep and the SMS is sent again with the same
RequestId, which the gateway recognises; every other message goes out once.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from motcua.notifications.tests.standins import SmtpServer, StandInGateway

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def database_url(tmp_path):
    """A database of the suite's vendor that only this test's subprocesses use."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'outbox.sqlite3'}"
        return
    import psycopg
    from psycopg.conninfo import make_conninfo

    name = f"motcua_outbox_{uuid.uuid4().hex[:10]}"
    host, port = default.get("HOST") or "127.0.0.1", default.get("PORT") or 5432
    user, password = default.get("USER") or "postgres", default.get("PASSWORD") or ""
    admin = make_conninfo(host=host, port=port, user=user, password=password or None, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    secret = f":{password}" if password else ""
    yield f"postgres://{user}{secret}@{host}:{port}/{name}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_worker_killed_mid_delivery_then_every_message_is_delivered_once(tmp_path, database_url):
    smtp = SmtpServer()
    smtp.start()
    sms, zns = StandInGateway("sms"), StandInGateway("zns")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "DATABASE_URL": database_url,
        "MOTCUA_VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "MOTCUA_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_TIMEOUT": "5",
        "DEFAULT_FROM_EMAIL": "mot-cua@dongnai.gov.vn",
        "MOTCUA_SMS_BACKEND": "http", "MOTCUA_SMS_URL": sms.start(), "MOTCUA_SMS_TIMEOUT": "60",
        "MOTCUA_ZNS_BACKEND": "http", "MOTCUA_ZNS_URL": zns.start(), "MOTCUA_ZNS_ACCESS_TOKEN": "test-token",
        "MOTCUA_NOTIFY_CHANNELS": "email,sms,zns",
        "MOTCUA_NOTIFY_LEASE_SECONDS": "3", "MOTCUA_NOTIFY_SWEEP_SECONDS": "1",
        "MOTCUA_NOTIFY_RATE_PER_HOUR": "1000", "MOTCUA_NOTIFY_RATE_PER_DAY": "1000",
        "LOG_LEVEL": "WARNING", "DEBUG": "false",
    }
    python = sys.executable
    workers = []

    def start_worker(name):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [python, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload",
             "--worker-id", name], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        workers.append((process, log))
        return process

    def report():
        result = subprocess.run([python, "-m", "motcua.notifications.tests.outbox_scenario", "report"], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=120, check=True)
        return json.loads(result.stdout)

    try:
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,
                       timeout=300)
        seeded = subprocess.run([python, "-m", "motcua.notifications.tests.outbox_scenario", "seed"], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=300, check=True)
        expected = json.loads(seeded.stdout.strip().splitlines()[-1])["messages"]
        assert expected == 4 * 2 + 3 * 2 + 2  # receipts and supplements: email + SMS; refusal: email + ZNS

        sms.faults.append("hang")
        first = start_worker("worker-1")
        assert sms.hung.wait(120), (tmp_path / "worker-1.log").read_text()
        first.send_signal(signal.SIGKILL)  # mid-delivery: the gateway has the SMS, the worker never hears back
        first.wait(30)
        sms.release.set()
        in_flight = next(iter(sms.delivered))
        messages = {row["uid"]: row for row in report()}
        assert messages[in_flight]["status"] == "sending"

        start_worker("worker-2")
        start_worker("worker-3")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            rows = report()
            if all(row["status"] == "sent" for row in rows):
                break
            time.sleep(1)
        else:
            logs = "\n".join(p.read_text() for p in tmp_path.glob("worker-*.log"))
            raise AssertionError(f"not all sent: {rows}\n{logs}")
    finally:
        for process, log in workers:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
            log.close()
        sms.stop()
        zns.stop()
        smtp.stop()

    assert len(rows) == expected
    by_channel = Counter(row["channel"] for row in rows)
    assert by_channel == {"email": 8, "sms": 7, "zns": 1}
    # Delivered: every message, each once (email by Message-ID at the SMTP server; SMS and ZNS by their key).
    emails = smtp.mailbox.message_ids()
    assert len(emails) == 8 and set(emails.values()) == {1}
    assert {f"<{row['uid']}@dongnai.gov.vn>" for row in rows if row["channel"] == "email"} == set(emails)
    assert set(sms.delivered) == {row["uid"] for row in rows if row["channel"] == "sms"}
    assert set(zns.delivered) == {row["uid"] for row in rows if row["channel"] == "zns"}
    # Only the message in flight at the kill was sent twice, with the same RequestId; the gateway kept one.
    assert sms.request_counts()[in_flight] == 2
    assert all(count == 1 for key, count in sms.request_counts().items() if key != in_flight)
    assert all(count == 1 for count in zns.request_counts().values())
    interrupted = next(row for row in rows if row["uid"] == in_flight)
    assert interrupted["attempts"] == 2 and interrupted["outcomes"] == ["interrupted", "sent"]
    assert all(row["attempts"] == 1 for row in rows if row["uid"] != in_flight)
