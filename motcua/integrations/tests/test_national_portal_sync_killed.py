"""Real workers SIGKILLed mid-sync, then the portal down for a while, then up: every event reaches the national
portal once, in order, nothing lost.

`manage.py sync_national_portal --loop` runs in subprocesses against THIS test's database (the PostgreSQL test
database, or on SQLite a file copy of the in-memory test database that this process switches to for the test), and
the simulator runs in this process, where the test can hold an answer at the worst moment:

1. worker 1 is killed while the portal holds its answer to a `CapNhatTienDoHoSoMC` it has already STORED — the
   portal has the event, our row is not marked sent — mid-batch: earlier rows were sent, later ones wait;
2. worker 2 is killed while the portal holds its answer to a `DongBoHoSoMC` it has stored (the dossier object of a
   dossier's first push is at the portal, its progress step is not);
3. the portal goes down; workers 3 and 4 fail and back the rows off; the portal comes up and they deliver.

At the end every row is sent, the portal's progress list of each dossier is exactly its public events in order (no
duplicate, none missing), and only the step in flight at the first kill reached the portal twice.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from motcua.adapters import national_portal as portal
from motcua.dossiers import actions
from motcua.dossiers.models import PortalSync
from motcua.dossiers.tests.helpers import at, land_dossier
from simulators.national_portal import PortalSimulator, SimulatorConfig

ROOT = Path(__file__).resolve().parents[3]
DOSSIERS = 4
WAIT = 60.0  # seconds, for a step that normally takes well under one


@pytest.fixture
def shared_database(tmp_path, transactional_db, demo_catalog, demo_agencies, clerk, specialist):
    """The DATABASE_URL of this test's database, usable by a subprocess. SQLite: the in-memory test database
    (with the cast made above) is copied to a file and this process works on that file until the test ends."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user, password = settings_dict["USER"] or "postgres", settings_dict["PASSWORD"]
        secret = f":{password}" if password else ""
        yield (f"postgres://{user}{secret}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
               f"/{settings_dict['NAME']}")
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()
    in_memory, name = connection.connection, settings_dict["NAME"]
    connection.connection = None  # the next query connects to the file
    settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = in_memory


class Hold:
    """Hold the simulator's answer to the NTH call of a portal operation, after the portal has processed it."""

    def __init__(self, state, method, nth):
        self.reached, self.release = threading.Event(), threading.Event()
        self.calls = 0
        lock = threading.Lock()
        original = getattr(state, method)

        def held(fields, duplicate):
            answer = original(fields, duplicate)
            with lock:
                self.calls += 1
                mine = self.calls == nth
            if mine:
                self.reached.set()
                self.release.wait(WAIT)
            return answer

        setattr(state, method, held)
        self.undo = lambda: setattr(state, method, original)

    def done(self):
        self.release.set()
        self.undo()


def wait_until(condition, what, logs):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}\n" + "\n".join(p.read_text() for p in logs))


def test_workers_killed_mid_sync_and_portal_down_then_every_event_delivered_once_in_order(
        tmp_path, shared_database, demo_catalog, demo_agencies, clerk, specialist, monkeypatch):
    dossiers = []
    for number in range(DOSSIERS):
        dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 8, number))
        dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10, number))
        dossiers.append(actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 1, 15, number)))
    expected = {d.code: [(portal.map_status(e.to_status), portal.format_portal_datetime(e.created_at))
                         for e in d.events.order_by("seq") if e.is_public] for d in dossiers}
    rows = PortalSync.objects.filter(dossier__in=dossiers)
    assert rows.count() == sum(len(steps) for steps in expected.values()) == DOSSIERS * 3

    sim = PortalSimulator(SimulatorConfig(seed=1)).start()
    # A held answer written to a killed worker's socket fails: nothing to report.
    monkeypatch.setattr(sim.server, "handle_error", lambda request, client_address: None)
    received: list[tuple[str, str, str]] = []  # every progress step the portal was sent, stored or not
    real_update = sim.state.update_progress

    def recording_update(fields, duplicate):
        received.extend((s["MaHoSo"], s["TrangThai"], s["ThoiDiemXuLy"]) for s in fields.get("data", []))
        return real_update(fields, duplicate)

    monkeypatch.setattr(sim.state, "update_progress", recording_update)
    cfg = sim.config
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings", "DATABASE_URL": shared_database,
        "MOTCUA_VAR_DIR": str(tmp_path), "MEDIA_ROOT": str(tmp_path / "media"), "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
        "MOTCUA_INTEGRATION_SYSTEMS_JSON": (
            f'{{"dvcqg": {{"base_url": "{sim.url}", "connect_timeout": 2, "read_timeout": {WAIT + 10}, '
            f'"max_attempts": 2, "backoff_base": 0.05, "backoff_max": 0.1, "breaker_failures": 5, '
            f'"breaker_reset_seconds": 0.5, "headers": {{"dstcode": "{cfg.dstcode}"}}}}}}'),
        "MOTCUA_NATIONAL_PORTAL_MADONVI": cfg.agency_code, "MOTCUA_NATIONAL_PORTAL_USERNAME": cfg.username,
        "MOTCUA_NATIONAL_PORTAL_PASSWORD": cfg.password,
        "MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_SECONDS": "1", "MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_MAX_SECONDS": "2",
        "MOTCUA_NATIONAL_PORTAL_SYNC_MAX_ATTEMPTS": "100",
    }
    workers: list[tuple[subprocess.Popen[bytes], Any]] = []
    logs: list[Path] = []

    def start_worker():
        log_path = tmp_path / f"worker-{len(workers) + 1}.log"
        log = open(log_path, "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen([sys.executable, "manage.py", "sync_national_portal", "--loop", "--interval",
                                    "0.2"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        workers.append((process, log))
        logs.append(log_path)
        return process

    def kill(process):
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(WAIT) == -signal.SIGKILL

    def state_of(code):
        return list(PortalSync.objects.filter(dossier__code=code).order_by("event__seq")
                    .values_list("state", flat=True))

    def stored_steps(code):
        item = sim.state.snapshot()["dossiers"].get(code)
        return [(p["step"]["TrangThai"], p["step"]["ThoiDiemXuLy"]) for p in item["progress"]] if item else []

    first, second, third = (d.code for d in dossiers[:3])
    try:
        # 1. Killed after the portal stored the 5th step (the second dossier's second event), before our commit.
        hold = Hold(sim.state, "update_progress", 5)
        worker = start_worker()
        wait_until(hold.reached.is_set, "the 5th progress step", logs)
        kill(worker)
        hold.done()
        in_flight = (second, *expected[second][1])
        assert received[-1] == in_flight
        assert state_of(first) == ["sent"] * 3
        assert state_of(second) == ["sent", "pending", "pending"]  # the portal has the 2nd event; we do not know
        assert stored_steps(second) == expected[second][:2]
        assert stored_steps(third) == []

        # 2. Killed while the portal holds its answer to the third dossier's first DongBoHoSoMC (stored).
        hold = Hold(sim.state, "sync_dossiers", 3)  # the second dossier's two rows, then the third's first
        worker = start_worker()
        wait_until(hold.reached.is_set, "the third dossier's first push", logs)
        kill(worker)
        hold.done()
        assert state_of(second) == ["sent"] * 3
        assert state_of(third) == ["pending"] * 3
        assert sim.state.snapshot()["dossiers"][third]["progress"] == []

        # 3. The portal goes down: two new workers (scale-out is more workers) fail and back the rows off.
        sim.state.faults.down = True
        start_worker()
        start_worker()
        wait_until(lambda: PortalSync.objects.filter(dossier__code=third, attempts__gte=1,
                                                     last_error__contains="transport").exists(),
                   "a failure recorded while the portal is down", logs)
        backing_off = PortalSync.objects.get(dossier__code=third, event__seq=1)
        assert backing_off.state == "pending" and backing_off.next_attempt_at is not None
        time.sleep(1.5)  # down "for a while": at least one more failed attempt after the back-off
        wait_until(lambda: all("worker started" in path.read_text() for path in logs[2:]), "both started", logs)
        # ... then up: the rows go out when their back-off ends.
        sim.state.faults.down = False
        wait_until(lambda: not PortalSync.objects.filter(dossier__in=dossiers).exclude(state="sent").exists(),
                   "every row sent", logs)
        for process, _log in workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # asked to stop: each ends after the row in hand
        for process, _log in workers[2:]:
            assert process.wait(WAIT) == 0
    finally:
        for process, log in workers:
            if process.poll() is None:
                process.kill()
                process.wait(WAIT)
            log.close()
        sim.stop()

    # Every event of every dossier reached the portal exactly once, in order.
    for dossier in dossiers:
        assert stored_steps(dossier.code) == expected[dossier.code], dossier.code
        item = sim.state.snapshot()["dossiers"][dossier.code]
        assert not any(p["out_of_order"] for p in item["progress"])
        assert item["dossier"]["TrangThaiHoSo"] == expected[dossier.code][-1][0]
    assert set(rows.values_list("state", flat=True)) == {"sent"}
    assert rows.filter(attempts__gte=2).exists()  # failed while the portal was down, sent afterwards
    # Only the step in flight at the first kill was sent twice; the portal kept one copy of it.
    sent = Counter(received)
    assert sent[in_flight] == 2
    assert all(count == 1 for step, count in sent.items() if step != in_flight), sent
    assert set(sent) == {(code, *step) for code, steps in expected.items() for step in steps}
