"""Through the LGSP gateway simulator: the client fetches the gateway's token in each style, keeps it while it is
good, fetches a new one when it is due or refused; the national portal sync reaches the portal simulator through
the gateway (dstcode passed through); a missing or wrong access key and the gateway's faults fail the sync row."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from motcua.adapters import lgsp
from motcua.dossiers.models import PortalSync
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.integrations import lgsp_tokens
from motcua.integrations import national_portal_sync as sync
from motcua.integrations.client import IntegrationClient, IntegrationError
from motcua.integrations.config import LgspGateway
from motcua.integrations.models import CallRecord
from simulators.lgsp import GatewayConfig, GatewaySimulator
from simulators.national_portal import PortalSimulator, SimulatorConfig

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_committed_call_records")]
GATEWAY = GatewayConfig()


@pytest.fixture(autouse=True)
def _fresh_tokens():
    lgsp_tokens.forget_all()
    yield
    lgsp_tokens.forget_all()


@pytest.fixture
def simulator():
    sim = PortalSimulator(SimulatorConfig(seed=1)).start()
    yield sim
    sim.stop()


@pytest.fixture
def gateway(simulator):
    sim = GatewaySimulator(GatewayConfig(routes={"dvcqg": simulator.url})).start()
    yield sim
    sim.stop()


def lgsp_settings(gateway_sim, portal_sim, **changes):
    cfg = portal_sim.config
    systems = {"dvcqg": {"via_lgsp": True, "lgsp_path": "dvcqg", "connect_timeout": 0.5, "read_timeout": 0.5,
                         "max_attempts": 2, "backoff_base": 0, "backoff_max": 0, "breaker_failures": 1000,
                         "headers": {"dstcode": cfg.dstcode}}}
    values = {"MOTCUA_INTEGRATION_SYSTEMS": systems, "MOTCUA_LGSP_URL": gateway_sim.url,
              "MOTCUA_LGSP_TOKEN_STYLE": lgsp.STYLE_CLIENT_CREDENTIALS, "MOTCUA_LGSP_TOKEN_URL": "",
              "MOTCUA_LGSP_CLIENT_ID": GATEWAY.client_id, "MOTCUA_NATIONAL_PORTAL_MADONVI": cfg.agency_code,
              "MOTCUA_NATIONAL_PORTAL_USERNAME": cfg.username, "MOTCUA_NATIONAL_PORTAL_PASSWORD": cfg.password,
              "MOTCUA_NATIONAL_PORTAL_SYNC_MAX_ATTEMPTS": 3, **changes}
    return override_settings(**values)


@pytest.fixture
def secrets_env(monkeypatch):
    monkeypatch.setenv("MOTCUA_LGSP_CLIENT_SECRET", GATEWAY.client_secret)
    monkeypatch.setenv("MOTCUA_LGSP_ACCESS_TOKEN", GATEWAY.access_key)
    monkeypatch.delenv("MOTCUA_LGSP_TOKEN", raising=False)


def test_a_portal_sync_through_the_gateway_reaches_the_portal(
        gateway, simulator, secrets_env, demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    with lgsp_settings(gateway, simulator):
        sync.forget_sessions()
        assert sync.drain().sent == 1
        sync.forget_sessions()
    assert simulator.state.snapshot()["dossiers"][dossier.code]["dossier"]["MaHoSo"] == dossier.code
    calls = gateway.state.snapshot()["calls"]
    assert {(c["route"], c["path"], c["dstcode"]) for c in calls} == {
        ("dvcqg", "/auth", simulator.config.dstcode), ("dvcqg", "/integration", simulator.config.dstcode)}
    assert all(c["status"] == 200 for c in calls)
    assert gateway.state.tokens_issued == 1  # one token for the log-in, the look-up and the two pushes
    assert CallRecord.objects.filter(system="lgsp", operation="token", status_code=200).exists()


def test_a_wrong_access_key_is_refused_and_the_row_waits(
        gateway, simulator, secrets_env, monkeypatch, demo_catalog, demo_agencies, clerk):
    monkeypatch.setenv("MOTCUA_LGSP_ACCESS_TOKEN", "khoa-sai")
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    with lgsp_settings(gateway, simulator):
        sync.forget_sessions()
        report = sync.drain()
        sync.forget_sessions()
    assert (report.sent, report.retrying) == (0, 1)
    row = PortalSync.objects.get(dossier=dossier)
    assert row.state == PortalSync.State.PENDING and "HTTP 401" in row.last_error
    assert simulator.state.snapshot()["dossiers"] == {}
    assert gateway.state.tokens_issued == 2  # the refused call fetched a new token once, then gave up


def test_wrong_client_credentials_fail_the_row_without_reaching_the_portal(
        gateway, simulator, secrets_env, monkeypatch, demo_catalog, demo_agencies, clerk):
    monkeypatch.setenv("MOTCUA_LGSP_CLIENT_SECRET", "bi-mat-sai")
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    with lgsp_settings(gateway, simulator):
        sync.forget_sessions()
        assert sync.drain().retrying == 1
    row = PortalSync.objects.get(dossier=dossier)
    assert "LGSP token: HTTP 401" in row.last_error
    assert gateway.state.snapshot()["calls"] == [] and simulator.state.snapshot()["dossiers"] == {}


def test_the_gateways_faults_are_retried_then_the_sync_goes_through(
        gateway, simulator, secrets_env, demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    gateway.state.faults.update({"fail_next": 1, "malformed_next": 0})
    with lgsp_settings(gateway, simulator):
        sync.forget_sessions()
        assert sync.drain().sent == 1  # the 503 was retried by the client (max_attempts 2)
        gateway.state.faults.update({"timeout": True})
        from motcua.dossiers import actions

        actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
        report = sync.drain()
        gateway.state.faults.update({"timeout": False})
        sync.forget_sessions()
    assert report.retrying == 1
    assert "timeout" in PortalSync.objects.filter(dossier=dossier).order_by("-pk").first().last_error
    statuses = [c["status"] for c in gateway.state.snapshot()["calls"]]
    assert 503 in statuses


@pytest.mark.parametrize("style", lgsp.TOKEN_STYLES)
def test_each_token_style_is_fetched_from_the_gateway(simulator, style):
    sim = GatewaySimulator(GatewayConfig(routes={"dvcqg": simulator.url}, token_style=style)).start()
    try:
        gw = LgspGateway(sim.url, access_token=GATEWAY.access_key, token_style=style,
                         client_id=GATEWAY.client_id, client_secret=GATEWAY.client_secret)
        token = lgsp_tokens.fetch_token(gw)
        assert sim.state.token_valid(token.value)
    finally:
        sim.stop()


def test_the_token_is_kept_until_due_then_fetched_again(gateway):
    gw = LgspGateway(gateway.url, access_token=GATEWAY.access_key, token_style=lgsp.STYLE_CLIENT_CREDENTIALS,
                     client_id=GATEWAY.client_id, client_secret=GATEWAY.client_secret)
    start = datetime.now(UTC)
    first = lgsp_tokens.current_token(gw, now=lambda: start)
    assert lgsp_tokens.current_token(gw, now=lambda: start + timedelta(minutes=54)) == first
    assert gateway.state.tokens_issued == 1
    # The simulator's tokens live an hour: with less than 5 minutes left, a new one is fetched.
    renewed = lgsp_tokens.current_token(gw, now=lambda: start + timedelta(minutes=56))
    assert renewed != first and gateway.state.tokens_issued == 2


def test_a_token_refused_by_the_gateway_is_replaced_once(gateway, simulator, secrets_env):
    with lgsp_settings(gateway, simulator):
        client = IntegrationClient("dvcqg")
        client.call("DangNhap", "POST", "/auth", json={"username": "x", "password": "y"},
                    parse=lambda r: r.json(), idempotency_key="session")
        gateway.state.tokens.clear()  # the gateway forgets it (restart, revocation)
        client.call("DangNhap", "POST", "/auth", json={"username": "x", "password": "y"},
                    parse=lambda r: r.json(), idempotency_key="session")
        assert gateway.state.tokens_issued == 2
        with gateway.state.lock:
            gateway.state.config.access_key = "doi-khoa"
        with pytest.raises(IntegrationError) as refused:
            client.call("DangNhap", "POST", "/auth", json={}, parse=lambda r: r.json(), idempotency_key="s")
        client.close()
    assert refused.value.status_code == 401 and gateway.state.tokens_issued == 3


def test_a_token_style_needs_a_client_id():
    with pytest.raises(ImproperlyConfigured):
        LgspGateway("http://127.0.0.1:1", token_style=lgsp.STYLE_AUTH_HEADER)
    with pytest.raises(ImproperlyConfigured):
        LgspGateway("http://127.0.0.1:1", token_style="oauth9", client_id="x")
