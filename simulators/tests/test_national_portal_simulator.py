"""The national portal simulator: builder -> simulator -> parser round trips, sessions and every fault mode."""

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from motcua.adapters import national_portal as portal
from simulators.national_portal import PortalSimulator, SimulatorConfig
from simulators.tests.portal_client import CODE, Client, sample_dossier, sample_step


@pytest.fixture
def simulator():
    sim = PortalSimulator(SimulatorConfig(seed=1)).start()
    yield sim
    sim.stop()


@pytest.fixture
def client(simulator):
    c = Client(simulator.url, simulator.config)
    c.log_in()
    return c


def test_sync_then_lookup_returns_the_stored_dossier(client):
    assert not portal.lookup_found(client.lookup(CODE))
    answer = client.sync(sample_dossier())
    assert answer.ok, answer
    found = client.lookup(CODE)
    assert portal.lookup_found(found)
    assert portal.parse_dossier_object(found.result[0]) == sample_dossier()


def test_sync_is_idempotent_by_dossier_code(client, simulator):
    client.sync(sample_dossier())
    assert client.sync(sample_dossier(status_code="9"), is_updating=True).ok
    stored = simulator.state.snapshot()["dossiers"]
    assert list(stored) == [CODE]
    assert stored[CODE]["versions"] == 2
    assert stored[CODE]["dossier"]["TrangThaiHoSo"] == "9"


def test_progress_steps_are_kept_in_the_order_received_and_late_ones_flagged(client, simulator):
    client.sync(sample_dossier())
    first = sample_step()
    second = sample_step(handled_at=first.handled_at + timedelta(hours=2), status_code="9", action="Duyệt - xong")
    late = sample_step(handled_at=first.handled_at + timedelta(hours=1), action="Xử lý - muộn")
    assert client.progress(first).ok
    assert client.progress(second).ok
    answer = client.progress(late)
    assert answer.ok and "không theo thứ tự" in answer.message
    assert client.progress(second).ok  # the same step again is not appended twice
    progress = simulator.state.snapshot()["dossiers"][CODE]["progress"]
    assert [p["step"]["NoiDungXuLy"] for p in progress] == [first.action, second.action, late.action]
    assert [p["out_of_order"] for p in progress] == [False, False, True]


def test_progress_for_an_unknown_dossier_is_refused(client, simulator):
    answer = client.progress(sample_step(dossier_code="000.00.00.H19-261203-9999"))
    assert answer.error_code == portal.ERROR_CODE_UNKNOWN_DOSSIER
    assert not answer.accepted
    assert simulator.state.snapshot()["dossiers"] == {}


def test_invalid_fields_are_refused_with_the_portal_code(client):
    body = portal.build_sync_dossier_request(client.session, client.config.agency_code, [sample_dossier()],
                                             is_updating=False)
    body["data"][0]["TrangThaiHoSo"] = "11"
    assert client.call(body).error_code == portal.ERROR_CODE_INVALID_FIELD
    body["data"][0]["TrangThaiHoSo"] = "4"
    body["data"][0]["NgayTiepNhan"] = "03/12/2026"
    assert client.call(body).error_code == portal.ERROR_CODE_INVALID_FIELD


def test_dstcode_madonvi_and_credentials_are_demanded(simulator, client):
    body = portal.build_lookup_request(client.session, client.config.agency_code, CODE)
    _, raw = client.raw("/integration", body, {"Content-Type": "application/json"})
    assert portal.parse_answer(raw).error_code == portal.ERROR_CODE_FAILURE
    wrong_agency = portal.build_lookup_request(client.session, "000.00.00.H99", CODE)
    assert client.call(wrong_agency).error_code == portal.ERROR_CODE_FAILURE
    _, raw = client.raw("/auth", portal.build_login_request(client.config.username, "wrong"))
    assert portal.parse_answer(raw).error_code == portal.ERROR_CODE_FAILURE


def test_expired_session_answers_the_session_expired_code(client):
    client.faults(expire_sessions=True)
    answer = client.lookup(CODE)
    assert answer.session_expired and answer.error_code == portal.ERROR_CODE_SESSION_EXPIRED
    client.log_in()
    assert client.lookup(CODE).ok


def test_sessions_expire_after_the_configured_lifetime():
    with PortalSimulator(SimulatorConfig(session_seconds=0.2)) as sim:
        client = Client(sim.url, sim.config)
        client.log_in()
        assert client.lookup(CODE).ok
        time.sleep(0.3)
        assert client.lookup(CODE).session_expired


def test_duplicate_acknowledgement_still_stores(client, simulator):
    client.faults(duplicate_next=1)
    answer = client.sync(sample_dossier())
    assert answer.duplicate and answer.accepted and not answer.ok
    assert CODE in simulator.state.snapshot()["dossiers"]
    assert client.sync(sample_dossier()).ok  # the counter is spent


def test_malformed_body_raises_the_adapters_parse_error(client, simulator):
    client.faults(malformed_next=1)
    status, raw = client.raw("/integration", portal.build_sync_dossier_request(
        client.session, client.config.agency_code, [sample_dossier()], is_updating=False))
    assert status == 200
    with pytest.raises(portal.PortalMessageError):
        portal.parse_answer(raw)
    assert CODE in simulator.state.snapshot()["dossiers"]  # processed, only the answer was mangled
    assert client.lookup(CODE).ok


def test_5xx_for_the_next_calls_then_normal(client):
    client.faults(fail_next=2, fail_status=502)
    for _ in range(2):
        status, _ = client.raw("/integration", portal.build_lookup_request(client.session, "000.00.00.H19", CODE))
        assert status == 502
    assert client.lookup(CODE).ok


def test_5xx_ratio(client):
    client.faults(fail_ratio=1.0)
    status, _ = client.raw("/integration", portal.build_lookup_request(client.session, "000.00.00.H19", CODE))
    assert status == 503
    client.faults(fail_ratio=0.0)
    assert client.lookup(CODE).ok


def test_delay(client):
    client.faults(delay_ms=300)
    started = time.monotonic()
    assert client.lookup(CODE).ok
    assert time.monotonic() - started >= 0.3


def test_timeout_never_answers(client):
    client.faults(timeout=True)
    client.timeout = 0.5
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        client.lookup(CODE)
    client.timeout = 5
    client.faults(timeout=False)
    assert client.lookup(CODE).ok


def test_down_drops_the_connection_and_up_restores_it(client):
    client.faults(down=True)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError, urllib.error.URLError)):
        client.lookup(CODE)
    client.faults(down=False)
    assert client.lookup(CODE).ok


def test_bad_fault_settings_are_refused(client):
    status, _ = client.raw("/_faults", b'{"fail_status": 200}', {"Content-Type": "application/json"})
    assert status == 400
    status, _ = client.raw("/_faults", b'{"explode": true}', {"Content-Type": "application/json"})
    assert status == 400


def test_share_fixtures(client):
    _, raw = client.raw("/share", portal.build_procedure_request(client.session, "000.00.00.H19", "1.001612"))
    answer = portal.parse_answer(raw)
    assert answer.ok and answer.result[0]["TENTTHC"] == "Đăng ký thành lập hộ kinh doanh"
    procedure = portal.parse_national_procedure(answer.result[0])
    assert procedure.code == "1.001612" and procedure.statutory_days == "3" and procedure.in_force
    _, raw = client.raw("/share", portal.build_procedure_request(client.session, "000.00.00.H19", "9.999999"))
    assert portal.parse_procedure_answer(raw)[1] is None  # an unknown code: an empty result
    _, raw = client.raw("/share", portal.build_list_procedures_request(client.session, "000.00.00.H19"))
    codes = [code for code, _name in portal.parse_procedure_list(raw)[1]]
    assert {"1.013831", "1.001193", "1.013840"} <= set(codes) and "2.000815.000.00.00.H19.02" not in codes
    _, raw = client.raw("/share", portal.build_list_fields_request(client.session, "000.00.00.H19"))
    assert ("G13-TN01", "Đất đai") in {(f.code, f.name) for f in portal.parse_field_list(raw)[1]}
    _, raw = client.raw("/share", portal.build_list_agencies_request(client.session, "000.00.00.H19"))
    assert "000.01.16.H19" in {a.code for a in portal.parse_agency_list(raw)[1]}


def test_demo_page_lists_dossiers_and_progress_in_vietnamese(client, simulator):
    client.sync(sample_dossier())
    client.progress(sample_step())
    status, page = client.get("/")
    text = page.decode()
    assert status == 200
    assert '<html lang="vi">' in text and CODE in text and "Nguyễn Văn An" in text
    assert "Chuyển xử lý - đủ thành phần" in text and "Đang xử lý" in text


def test_state_file_keeps_dossiers_across_restarts(tmp_path):
    state = tmp_path / "portal.json"
    with PortalSimulator(SimulatorConfig(state_file=state)) as sim:
        client = Client(sim.url, sim.config)
        client.log_in()
        client.sync(sample_dossier())
        client.progress(sample_step())
    with PortalSimulator(SimulatorConfig(state_file=state)) as sim:
        client = Client(sim.url, sim.config)
        client.log_in()
        assert portal.lookup_found(client.lookup(CODE))
        assert len(sim.state.snapshot()["dossiers"][CODE]["progress"]) == 1


def test_the_documented_command_starts_the_simulator():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "simulators.national_portal", "--port", str(port), "--delay-ms", "1"],
        cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        assert "national portal simulator" in process.stdout.readline().decode()
        status, raw = Client(f"http://127.0.0.1:{port}", SimulatorConfig()).raw("/_faults", b"{}")
        assert status == 200 and json.loads(raw)["delay_ms"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


def test_submitted_files_are_fetched_by_url_when_asked():
    class Files(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/tep/f1":
                body = b"%PDF-1.7 demo"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(404)

        def log_message(self, format, *args):
            pass

    files = ThreadingHTTPServer(("127.0.0.1", 0), Files)
    threading.Thread(target=files.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{files.server_address[1]}"
    try:
        with PortalSimulator(SimulatorConfig(fetch_files=True)) as sim:
            client = Client(sim.url, sim.config)
            client.log_in()
            dossier = sample_dossier(files=(
                portal.SubmittedFile("f1", "To khai.pdf", "GT01", f"{base}/tep/f1"),
                portal.SubmittedFile("f9", "Mat.pdf", "GT02", f"{base}/tep/f9"),
            ))
            assert client.sync(dossier).ok
            for _ in range(100):
                fetched = sim.state.snapshot()["dossiers"][CODE]["fetched"]
                if len(fetched) == 2:
                    break
                time.sleep(0.05)
            assert fetched == {f"{base}/tep/f1": "200: 13 byte", f"{base}/tep/f9": "lỗi: HTTP 404"}
            assert "13 byte" in client.get("/")[1].decode()
    finally:
        files.shutdown()
        files.server_close()
