"""The LGSP gateway simulator: tokens in each style, both headers demanded, relay to the portal simulator with the
dstcode header passed through, faults injected on the relay, oversized bodies refused."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from motcua.adapters import lgsp
from motcua.adapters import national_portal as portal
from simulators.lgsp import MAX_BODY_BYTES, GatewayConfig, GatewaySimulator
from simulators.national_portal import PortalSimulator, SimulatorConfig

PORTAL = SimulatorConfig()
CREDENTIALS = lgsp.Credentials(GatewayConfig().client_id, GatewayConfig().client_secret)
KEY = GatewayConfig().access_key


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 5.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def portal_sim() -> Iterator[PortalSimulator]:
    with PortalSimulator(SimulatorConfig()) as sim:
        yield sim


def gateway(portal_sim: PortalSimulator, **changes: Any) -> GatewaySimulator:
    config = GatewayConfig(routes={"dvcqg": portal_sim.url}, **changes)
    return GatewaySimulator(config).start()


def get_token(sim: GatewaySimulator, style: str = lgsp.STYLE_CLIENT_CREDENTIALS) -> lgsp.Token:
    request = lgsp.build_token_request(style, CREDENTIALS, KEY)
    status, body = post(sim.url + request.path, request.body, request.headers)
    assert status == 200, body
    return lgsp.parse_token_answer(style, body, datetime.now(UTC))


def log_in_through(sim: GatewaySimulator, token: str, key: str = KEY, dstcode: str = PORTAL.dstcode
                   ) -> tuple[int, bytes]:
    headers = {**portal.build_headers(dstcode), **lgsp.call_headers(token, key)}
    return post(sim.url + "/dvcqg/auth", portal.encode(portal.build_login_request(PORTAL.username, PORTAL.password)),
                headers)


@pytest.mark.parametrize("style", lgsp.TOKEN_STYLES)
def test_each_token_style_gives_a_token_that_reaches_the_portal(portal_sim, style):
    sim = gateway(portal_sim, token_style=style, token_seconds=120)
    try:
        token = get_token(sim, style)
        assert 60 < (token.expires_at - datetime.now(UTC)).total_seconds() <= 121
        status, body = log_in_through(sim, token.value)
        assert status == 200
        assert portal.parse_login_answer(body, now=datetime.now(UTC)).token
        calls = sim.state.snapshot()["calls"]
        assert [(c["route"], c["path"], c["dstcode"], c["status"]) for c in calls] == [
            ("dvcqg", "/auth", PORTAL.dstcode, 200)]
    finally:
        sim.stop()


def test_the_dstcode_header_is_passed_through_to_the_portal(portal_sim):
    with gateway(portal_sim) as sim:
        token = get_token(sim).value
        status, body = log_in_through(sim, token, dstcode="VN:SAI")
    assert status == 200
    assert portal.parse_answer(body).message == "dstcode không đúng"  # the portal saw the header, not the gateway


def test_wrong_credentials_and_the_wrong_token_path_get_no_token(portal_sim):
    with gateway(portal_sim) as sim:
        bad = lgsp.build_token_request(lgsp.STYLE_CLIENT_CREDENTIALS, lgsp.Credentials(CREDENTIALS.client_id, "x"))
        assert post(sim.url + bad.path, bad.body, bad.headers)[0] == 401
        other = lgsp.build_token_request(lgsp.STYLE_AUTH_HEADER, CREDENTIALS)
        assert post(sim.url + other.path, other.body, other.headers)[0] == 404
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        garbage = post(sim.url + "/token", b"grant_type=password", form)
        assert garbage[0] == 400
        assert sim.state.tokens_issued == 0


def test_the_form_style_demands_the_access_key_for_the_token(portal_sim):
    with gateway(portal_sim, token_style=lgsp.STYLE_FORM_ACCESS_KEY) as sim:
        request = lgsp.build_token_request(lgsp.STYLE_FORM_ACCESS_KEY, CREDENTIALS, "khoa-sai")
        assert post(sim.url + request.path, request.body, request.headers)[0] == 401


def test_missing_wrong_or_expired_tokens_and_keys_are_refused(portal_sim):
    with gateway(portal_sim) as sim:
        token = get_token(sim).value
        assert log_in_through(sim, "")[0] == 401
        assert log_in_through(sim, "not-a-token")[0] == 401
        assert log_in_through(sim, token, key="")[0] == 401
        status, body = log_in_through(sim, token, key="khoa-sai")
        assert status == 401 and json.loads(body)["error"] == "invalid_access_key"
        assert log_in_through(sim, token)[0] == 200
        post(sim.url + "/_faults", b'{"expire_tokens": true}', {"Content-Type": "application/json"})
        status, body = log_in_through(sim, token)
        assert status == 401 and json.loads(body)["error"] == "invalid_token"
    assert portal_sim.state.sessions.__len__() == 1  # only the one call with good credentials reached the portal


def test_a_token_expires_after_its_lifetime(portal_sim):
    with gateway(portal_sim, token_seconds=0.2) as sim:
        token = get_token(sim).value
        import time

        time.sleep(0.3)
        assert log_in_through(sim, token)[0] == 401


def test_relayed_faults_5xx_malformed_and_timeout(portal_sim, monkeypatch):
    with gateway(portal_sim) as sim:
        token = get_token(sim).value
        post(sim.url + "/_faults", b'{"fail_next": 1, "fail_status": 502, "malformed_next": 1}',
             {"Content-Type": "application/json"})
        assert log_in_through(sim, token)[0] == 502
        status, body = log_in_through(sim, token)
        assert status == 200
        with pytest.raises(portal.PortalMessageError):
            portal.parse_login_answer(body, now=datetime.now(UTC))
        assert log_in_through(sim, token)[0] == 200
        post(sim.url + "/_faults", b'{"timeout": true}', {"Content-Type": "application/json"})
        with pytest.raises((TimeoutError, urllib.error.URLError)):
            headers = {**portal.build_headers(PORTAL.dstcode), **lgsp.call_headers(token, KEY)}
            post(sim.url + "/dvcqg/auth", b"{}", headers, timeout=0.3)


def test_a_portal_fault_comes_back_through_the_gateway(portal_sim):
    with gateway(portal_sim) as sim:
        token = get_token(sim).value
        portal_sim.state.faults.update({"fail_next": 1})
        assert log_in_through(sim, token)[0] == 503
        assert sim.state.snapshot()["calls"][0]["status"] == 503


def test_an_unreachable_upstream_is_a_502_and_an_unknown_route_a_404(portal_sim):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    sim = GatewaySimulator(GatewayConfig(routes={"dvcqg": dead})).start()
    try:
        token = get_token(sim).value
        assert log_in_through(sim, token)[0] == 502
        headers = lgsp.call_headers(token, KEY)
        assert post(sim.url + "/khong-co/x", b"{}", headers)[0] == 404
    finally:
        sim.stop()


def test_an_oversized_body_is_refused_unread(portal_sim):
    with gateway(portal_sim) as sim:
        token = get_token(sim).value
        with socket.create_connection(("127.0.0.1", sim.server.server_address[1]), timeout=5) as conn:
            conn.sendall(f"POST /dvcqg/integration HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                         f"lgspaccesstoken: {KEY}\r\nContent-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode())
            assert conn.recv(100).startswith(b"HTTP/1.1 413")


def test_the_page_lists_routes_and_calls_in_vietnamese(portal_sim):
    with gateway(portal_sim) as sim:
        token = get_token(sim).value
        log_in_through(sim, token)
        with urllib.request.urlopen(sim.url + "/", timeout=5) as answer:  # noqa: S310
            page = answer.read().decode()
    assert '<html lang="vi">' in page and "Các tuyến chuyển tiếp" in page
    assert f"/dvcqg/</strong> → {portal_sim.url}" in page and "POST /dvcqg/auth" in page
    assert "<script" not in page
