"""The demo and its simulators: scripts/simulators.sh starts the portal, LGSP, payment, EMC and land database
simulators (on free ports here) and stops them; with exactly the configuration scripts/demo.sh gives
(scripts/_demo_simulators.sh), the seeded demo dossiers reach the simulated national portal through the simulated
LGSP gateway, their parcels are checked in the simulated land database through it, and the home page and the
"Kết nối liên thông" page link to the simulators' pages."""

import json
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from motcua.dossiers.models import Dossier, PortalSync
from motcua.integrations import lgsp_tokens
from motcua.integrations import national_portal_sync as sync
from motcua.land.actions import check_dossier_parcel
from motcua.land.models import ParcelCheck
from motcua.signing.tests.helpers import run_demo_setup

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")  # committed evidence (PostgreSQL)

ROOT = Path(__file__).resolve().parents[3]
SETTINGS_FROM_ENV: dict[str, tuple[str, Callable[[str], object]]] = {
    "MOTCUA_INTEGRATION_SYSTEMS_JSON": ("MOTCUA_INTEGRATION_SYSTEMS", json.loads),
    "MOTCUA_LGSP_URL": ("MOTCUA_LGSP_URL", str),
    "MOTCUA_LGSP_TOKEN_STYLE": ("MOTCUA_LGSP_TOKEN_STYLE", str),
    "MOTCUA_LGSP_CLIENT_ID": ("MOTCUA_LGSP_CLIENT_ID", str),
    "MOTCUA_NATIONAL_PORTAL_MADONVI": ("MOTCUA_NATIONAL_PORTAL_MADONVI", str),
    "MOTCUA_NATIONAL_PORTAL_USERNAME": ("MOTCUA_NATIONAL_PORTAL_USERNAME", str),
    "MOTCUA_NATIONAL_PORTAL_PASSWORD": ("MOTCUA_NATIONAL_PORTAL_PASSWORD", str),
    "MOTCUA_EMC_SCRIPT_URL": ("MOTCUA_EMC_SCRIPT_URL", str),
    "MOTCUA_EMC_SITE_ID": ("MOTCUA_EMC_SITE_ID", str),
    "MOTCUA_DEMO_SIMULATOR_PAGES_JSON": ("MOTCUA_DEMO_SIMULATOR_PAGES", json.loads),
}
SECRETS_FROM_ENV = ("MOTCUA_LGSP_CLIENT_SECRET", "MOTCUA_LGSP_ACCESS_TOKEN")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def simulators(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(PORTAL_SIM_PORT=str(free_port()), LGSP_SIM_PORT=str(free_port()), EMC_SIM_PORT=str(free_port()),
               PAYMENT_SIM_PORT=str(free_port()), POPULATION_SIM_PORT=str(free_port()),
               BUSINESS_SIM_PORT=str(free_port()), VNEID_SIM_PORT=str(free_port()), LAND_SIM_PORT=str(free_port()),
               MOTCUA_PUBLIC_URL="http://testserver",  # the sign-in callback the VNeID simulator accepts
               TAX_SIM_PORT=str(free_port()), REMOTE_SIGNING_SIM_PORT=str(free_port()),
               PETITIONS_SIM_PORT=str(free_port()), EDXML_SIM_PORT=str(free_port()), ZALO_SIM_PORT=str(free_port()),
               MOTCUA_DEMO_SIGNING_DIR=str(tmp_path / "demo-signing"),
               SIMULATORS_RUN_DIR=str(tmp_path / "run"), PYTHON=sys.executable)

    def script(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "scripts/simulators.sh", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60)

    started = script("start")
    try:
        assert started.returncode == 0, started.stderr
        assert script("status").returncode == 0
        yield env
    finally:
        stopped = script("stop")
        assert stopped.returncode == 0 and stopped.stdout.count("stopped") == 13, stopped.stdout
        assert script("status").returncode == 1


def demo_environment(env: dict[str, str]) -> dict[str, str]:
    """What scripts/_demo_simulators.sh exports, for these ports."""
    done = subprocess.run(["bash", "-c", "source scripts/_demo_simulators.sh && env -0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=30, check=True)
    return dict(item.split("=", 1) for item in done.stdout.split("\0") if "=" in item)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - the simulators this test started
        return str(answer.read().decode("utf-8"))


@pytest.mark.django_db
def test_the_demos_dossiers_reach_the_simulated_portal_through_the_gateway(
        simulators, settings, monkeypatch, tmp_path, client):
    demo_env = demo_environment(simulators)
    for variable, (name, convert) in SETTINGS_FROM_ENV.items():
        setattr(settings, name, convert(demo_env[variable]))
    for variable in SECRETS_FROM_ENV:
        monkeypatch.setenv(variable, demo_env[variable])
    portal_url = f"http://127.0.0.1:{simulators['PORTAL_SIM_PORT']}"
    lgsp_url = f"http://127.0.0.1:{simulators['LGSP_SIM_PORT']}"
    assert settings.MOTCUA_INTEGRATION_SYSTEMS["dvcqg"]["via_lgsp"] and lgsp_url == settings.MOTCUA_LGSP_URL
    lgsp_tokens.forget_all()
    sync.forget_sessions()
    try:
        run_demo_setup(settings, tmp_path / "demo-signing")
        assert PortalSync.objects.filter(state=PortalSync.State.PENDING).exists()
        # The demo's land transfer at the tax office: its transfer form goes to the tax simulator through the
        # gateway's /thue/ route, and the notice comes back by the poll (no site runs here to receive its push).
        from motcua.taxexchange import actions as tax_exchange

        transfer = tax_exchange.start_transfer(Dossier.objects.get(idempotency_key="demo:land:tax").pk)
        assert transfer is not None and transfer.state == "sent", transfer and transfer.manual_reason
        assert tax_exchange.poll().notices == 1
        call_command("sync_national_portal", stdout=open(os.devnull, "w"))  # noqa: SIM115
        # The business register answers through the gateway's /dkkd/ route; its demo enterprise names the demo
        # citizen by the personal ID setup_demo gave him.
        from django.contrib.auth import get_user_model

        from motcua.integrations import business_register

        record = business_register.look_up("3601234569", actor=None, purpose="demo").record
        assert record and record.names(get_user_model().objects.get(username="nguyenvana").national_id or "")
        land_checks = [check_dossier_parcel(pk) for pk in ParcelCheck.objects.values_list("dossier", flat=True)]
        # The Trấn Biên leader signs through the remote-signing simulator (gateway route /kysotuxa/): Ký thử.
        from motcua.signing.actions import trial_sign
        from motcua.signing.models import SigningIdentity

        settings.MOTCUA_REMOTE_SIGNING_POLL_SECONDS = 0.2
        remote = SigningIdentity.objects.get(kind=SigningIdentity.Kind.REMOTE, is_active=True,
                                             user__username="lanhdao.tranbien")
        assert trial_sign(remote).ok, remote.last_test_message
    finally:
        lgsp_tokens.forget_all()
        sync.forget_sessions()
    assert not PortalSync.objects.exclude(state=PortalSync.State.SENT).exists()

    state = json.loads(get(f"{portal_url}/_state"))["dossiers"]
    page = get(f"{portal_url}/")
    for dossier in Dossier.objects.filter(portal_syncs__isnull=False).distinct():
        assert dossier.code in state and dossier.code in page
    signing_url = f"http://127.0.0.1:{simulators['REMOTE_SIGNING_SIM_PORT']}"
    assert [r["status"] for r in json.loads(get(f"{signing_url}/_state"))["requests"]] == ["confirmed"]
    assert "Đã ký" in get(f"{signing_url}/")
    relayed = json.loads(get(f"{lgsp_url}/_state"))
    assert relayed["tokens_issued"] == 1
    assert {c["route"] for c in relayed["calls"]} - {"thue", "kho_bac"} == {"dvcqg", "dkkd", "kysotuxa", "dat_dai"}
    # (The gateway's page keeps the last 50 calls: the tax form's own trace is the tax simulator's state.)
    tax_state = json.loads(get(f"http://127.0.0.1:{simulators['TAX_SIM_PORT']}/_state"))
    assert Dossier.objects.get(idempotency_key="demo:land:tax").code in tax_state["transfers"]
    # The sample land dossiers' parcel, checked in the land database simulator through the gateway: nothing flagged.
    assert land_checks and {check.state for check in land_checks if check} == {ParcelCheck.State.CLEAR}

    home = client.get(reverse("home")).content.decode()
    assert "Cổng Dịch vụ công quốc gia (mô phỏng): hồ sơ đã nhận" in home  # Vietnamese first
    for port in ("PORTAL_SIM_PORT", "LGSP_SIM_PORT", "PAYMENT_SIM_PORT", "EMC_SIM_PORT", "POPULATION_SIM_PORT",
                 "BUSINESS_SIM_PORT", "VNEID_SIM_PORT", "REMOTE_SIGNING_SIM_PORT", "LAND_SIM_PORT",
                 "TAX_SIM_PORT", "PETITIONS_SIM_PORT"):
        assert f'href="http://127.0.0.1:{simulators[port]}/"' in home
    assert f'src="http://127.0.0.1:{simulators["EMC_SIM_PORT"]}/emc.js"' in home

    # The national petitions system's two samples: one created at the construction department, one held (its
    # agency code is no agency of the province), both acknowledged.
    from motcua.feedback import national_petitions
    from motcua.feedback.models import NationalPetition

    pulled = national_petitions.pull()
    assert (pulled.created, pulled.held, pulled.acknowledged, pulled.error) == (1, 1, 2, "")
    created = NationalPetition.objects.get(state=NationalPetition.State.CREATED).feedback
    assert created is not None and created.agency.eid_code == "000.00.15.H19"
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="quantri.tinh"))  # the demo's province admin
    connections = client.get(reverse("integrations:connections")).content.decode()
    assert f'href="{portal_url}/"' in connections

    # The population database answers for the demo's citizens, through the gateway's /dancu/ route.
    from motcua.integrations import population
    from simulators.population import PEOPLE

    citizen = get_user_model().objects.get(username="nguyenvana")
    assert citizen.national_id is not None and citizen.national_id in PEOPLE
    try:
        answer = population.lookup_person(citizen.national_id, purpose="demo")
    finally:
        lgsp_tokens.forget_all()
    assert answer.found and answer.person is not None and answer.person.full_name == citizen.full_name
    assert "dancu" in {c["route"] for c in json.loads(get(f"{lgsp_url}/_state"))["calls"]}


def test_the_demos_vneid_sign_in_goes_to_the_simulator(simulators, settings, client):
    """With the demo's OIDC configuration, "Đăng nhập bằng VNeID" signs Trần Thị Bình in at level 2."""
    from motcua.identity.assurance import SESSION_KEY
    from motcua.identity.tests.vneid_sim import LEVEL_2, sign_in_with_vneid

    for name, override in json.loads(demo_environment(simulators)["MOTCUA_OIDC_PROVIDERS_JSON"]).items():
        settings.MOTCUA_OIDC_PROVIDERS = {**settings.MOTCUA_OIDC_PROVIDERS,
                                          name: {**settings.MOTCUA_OIDC_PROVIDERS[name], **override}}
    assert "VNeID (mô phỏng)" in client.get(reverse("portal:login")).content.decode()
    sign_in_with_vneid(client, LEVEL_2.national_id)
    assert client.session[SESSION_KEY] == 2
    sign_ins = json.loads(get(f"http://127.0.0.1:{simulators['VNEID_SIM_PORT']}/_state"))["sign_ins"]
    assert [s["full_name"] for s in sign_ins] == ["Trần Thị Bình"]


def start_up(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL"))}
    clean.update(DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_VAR_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=120, check=False)


def test_start_up_refuses_demo_links_in_production_and_a_bad_emc_snippet(tmp_path):
    links = '{"dvcqg": "http://127.0.0.1:8301/"}'
    refused = start_up(tmp_path, MOTCUA_PRODUCTION="true", SECRET_KEY="x" * 50, ALLOWED_HOSTS="dvc.example.vn",
                       MOTCUA_DEMO_SIMULATOR_PAGES_JSON=links)
    assert refused.returncode != 0 and "MOTCUA_DEMO_SIMULATOR_PAGES_JSON" in refused.stderr
    assert start_up(tmp_path, MOTCUA_DEMO_SIMULATOR_PAGES_JSON='{"dvcqg": "javascript:alert(1)"}').returncode != 0
    no_site = start_up(tmp_path, MOTCUA_EMC_SCRIPT_URL="https://emc.example.vn/emc.js")
    assert no_site.returncode != 0 and "MOTCUA_EMC_SITE_ID" in no_site.stderr
    assert start_up(tmp_path, MOTCUA_EMC_SCRIPT_URL="https://emc.vn/x.js; script-src *",
                    MOTCUA_EMC_SITE_ID="X").returncode != 0
    assert start_up(tmp_path, MOTCUA_DEMO_SIMULATOR_PAGES_JSON=links, MOTCUA_EMC_SITE_ID="X",
                    MOTCUA_EMC_SCRIPT_URL="http://127.0.0.1:8303/emc.js").returncode == 0
