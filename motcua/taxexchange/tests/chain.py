"""The whole land-transfer chain for the end-to-end tests, on a live server with the land database, tax authority /
treasury and payment platform simulators started in-process on free ports, and a controlled clock (every
`timezone.now()` of the site, the test and the live server's thread answers `Clock.now`)."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re
import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.helpers import at
from motcua.integrations.client import reset_breakers
from motcua.land.tests.helpers import AN_ID, BINH_ID, TRANSFER_PAPERS, signed_in_at_level_2
from motcua.signing.actions import approve_with_result, upload_draft
from motcua.signing.models import SigningIdentity
from simulators.land_registry import LandSimulator
from simulators.payment_platform import PlatformSimulator
from simulators.payment_platform import SimulatorConfig as PlatformConfig
from simulators.tax_authority import SimulatorConfig as TaxConfig
from simulators.tax_authority import TaxFaults, TaxSimulator

PARTNER, KEY = "000.00.00.H19", "PAYGOV-E2E-HASH-KEY"
LAND_OFFICE_CN = "Văn phòng Đăng ký đất đai tỉnh Đồng Nai"
LAND_OFFICE_O = "Sở Nông nghiệp và Môi trường tỉnh Đồng Nai"
SECRET = "MOTCUA_SIGNING_SECRET_E2E_VPDKDD"
PRICE = 2_000_000_000  # the contract value: the simulator's notice is 2 % + 0.5 % of it = 50,000,000 đồng


class Clock:
    """What `django.utils.timezone.now` answers while the test runs (UTC)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start.astimezone(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, when: dt.datetime) -> None:
        self.now = when.astimezone(dt.UTC)


@dataclass
class Chain:
    live_url: str
    land: LandSimulator
    tax: TaxSimulator
    platform: PlatformSimulator
    clock: Clock
    root_pem: bytes
    identity: SigningIdentity


def wait_for(condition: Any, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def pushed(chain: Chain, count: int) -> bool:
    """Until the tax simulator has made COUNT pushes and had their answers (on SQLite the live server shares the
    test's connection: wait on the simulator, never on the database, while a push is handled)."""
    return wait_for(lambda: len(chain.tax.state.snapshot()["pushes"]) >= count)


def seed_message_templates() -> None:
    """A transactional test flushes the seeded message templates: put them back so the citizen's messages are
    written (and their amounts can be read)."""
    importlib.import_module("motcua.notifications.migrations.0002_seed_vietnamese_templates").seed(django_apps, None)


def land_office_identity(tmp_path: Any, agencies: dict[str, Any], monkeypatch: Any, settings: Any) -> tuple[
        SigningIdentity, bytes]:
    from motcua.signing.tests.pki import issue, make_ca, write_pkcs12

    root = make_ca("CA thử nghiệm motcua (E2E)")
    leaf = issue(root, LAND_OFFICE_CN, org=LAND_OFFICE_O)
    trust = tmp_path / "trust"
    trust.mkdir()
    (trust / "root.pem").write_bytes(root.pem)
    settings.MOTCUA_SIGNING_BACKEND = ""  # no deployment-wide signer, no fallback: only the land office's own
    settings.MOTCUA_SIGNING_FALLBACK = False
    settings.MOTCUA_SIGNING_TSA_URL = ""
    settings.MOTCUA_SIGNING_TRUST_ROOTS_DIR = str(trust)
    monkeypatch.setenv(SECRET, "mat-khau-vpdkdd")
    path = write_pkcs12(tmp_path / "vpdkdd.p12", leaf, root, b"mat-khau-vpdkdd")
    identity = SigningIdentity.objects.create(
        name="VPĐKĐĐ tỉnh Đồng Nai", agency=agencies["land_office"], kind=SigningIdentity.Kind.FILE,
        key_reference=str(path), secret_name=SECRET)
    return identity, root.pem


@pytest.fixture
def chain(units_restored, live_server, settings, monkeypatch, tmp_path, demo_catalog, demo_agencies):
    clock = Clock(at(2026, 12, 29, 8))
    monkeypatch.setattr("django.utils.timezone.now", clock)
    reset_breakers()
    seed_message_templates()
    identity, root_pem = land_office_identity(tmp_path, demo_agencies, monkeypatch, settings)
    tax_config = TaxConfig(notice_url=f"{live_server.url}/lien-thong/thue/thong-bao/",
                           receipt_url=f"{live_server.url}/lien-thong/thue/chung-tu/",
                           push_token=settings.MOTCUA_TAX_AUTHORITY_INBOUND_TOKEN,
                           notice_delay_ms=200, faults=TaxFaults())
    platform_config = PlatformConfig(partner_code=PARTNER, key=KEY,
                                     callback_url=f"{live_server.url}/thanh-toan/paygov/ipn/",
                                     return_url=f"{live_server.url}/thanh-toan/paygov/ket-qua/")
    quick = {"read_timeout": 5.0, "connect_timeout": 1.0, "max_attempts": 2, "backoff_base": 0.0,
             "backoff_max": 0.0}
    with LandSimulator() as land, TaxSimulator(tax_config) as tax, PlatformSimulator(platform_config) as platform:
        settings.MOTCUA_INTEGRATION_SYSTEMS = {
            "dat_dai": {"base_url": land.url, **quick},
            "thue": {"base_url": f"{tax.url}/thue", **quick},
            "kho_bac": {"base_url": f"{tax.url}/kho_bac", **quick},
            "paygov": {"base_url": platform.url, **quick},
        }
        settings.MOTCUA_PAYGOV_PARTNER_CODE = PARTNER
        settings.MOTCUA_PAYGOV_HASH_KEY = KEY
        settings.MOTCUA_PAYGOV_CALLBACK_ALLOWED_IPS = []
        settings.MOTCUA_PAYGOV_PAYMENT_HOSTS = []
        settings.MOTCUA_PUBLIC_URL = live_server.url
        yield Chain(live_server.url, land, tax, platform, clock, root_pem, identity)
    reset_breakers()


# --- the steps ------------------------------------------------------------------------------------------------------

def submit_online(citizen: Any, land_office: Any) -> tuple[Client, Dossier]:
    """Trần Thị Bình (holder of parcel 345, sheet 12, commune 26041) sells it to Nguyễn Văn An, online, with the
    one-page form, signed in with VNeID level 2."""
    client = Client()
    signed_in_at_level_2(client, citizen)
    files = {f"doc__{code}": SimpleUploadedFile(f"{code}.pdf", b"%PDF-1.4 " + code.encode(), "application/pdf")
             for code in TRANSFER_PAPERS}
    data = {
        "idempotency_key": "e2e-land", "name": "Trần Thị Bình", "id_number": BINH_ID, "phone": "0987654321",
        "email": "binh@example.vn", "agency": str(land_office.pk),
        "ben_chuyen_nhuong__ho_ten": "Trần Thị Bình", "ben_chuyen_nhuong__so_dinh_danh": BINH_ID,
        "ben_nhan_chuyen_nhuong__ho_ten": "Nguyễn Văn An", "ben_nhan_chuyen_nhuong__so_dinh_danh": AN_ID,
        "thua_dat__so_thua": "345", "thua_dat__to_ban_do": "12", "thua_dat__so_phat_hanh_gcn": "DN 012345",
        "hop_dong__so_cong_chung": "4521", "hop_dong__ngay_cong_chung": "2026-12-20",
        "hop_dong__gia_chuyen_nhuong": str(PRICE),
    }
    response = client.post(reverse("portal:submit", args=["1.013831"]), {**data, **files})
    assert response.status_code == 302, response.content.decode()[:3000]
    return client, Dossier.objects.get(applicant=citizen, procedure__national_code="1.013831")


def hand_to_tax(chain: Chain, dossier: Dossier, clerk: Any, specialist: Any) -> Dossier:
    """Received Tuesday 29/12/2026 09:00, to the land office at 10:00, to the tax step Wednesday 30/12 14:00 (the
    step's handler then sends the form and pauses the dossier)."""
    chain.clock.set(at(2026, 12, 29, 9))
    dossier = dossier_actions.receive_dossier(dossier, actor=clerk)
    chain.clock.set(at(2026, 12, 29, 10))
    dossier = dossier_actions.forward_dossier(dossier, actor=clerk)
    chain.clock.set(at(2026, 12, 30, 14))
    return dossier_actions.forward_dossier(dossier, actor=specialist)


def pay_online(client: Client, citizen: Any, dossier: Dossier, *, amount_text: str) -> httpx.Response:
    """The citizen opens /thanh-toan/<code>/, sees the obligation invoice <code>-NV and its amount, chooses the
    national payment platform and pays on its page; its confirmation comes to our IPN."""
    signed_in_at_level_2(client, citizen)
    url = reverse("payments:dossier", args=[dossier.code])
    page = client.get(url).content.decode()
    assert f"{dossier.code}-NV" in page and amount_text in page, page
    response = client.post(url, {"invoice": f"{dossier.code}-NV", "provider": "paygov"})
    assert response.status_code == 302, response.content.decode()[:2000]
    gateway = response["Location"]
    assert amount_text in httpx.get(gateway, timeout=10).text
    return httpx.post(gateway, data={"outcome": "pay"}, timeout=60, follow_redirects=False)


def approve_and_return(chain: Chain, dossier: Dossier, specialist: Any, leader: Any, clerk: Any) -> Dossier:
    """Tuesday 5/1/2027: the land office's specialist attaches the draft result (09:00), the leader approves and
    it is signed (14:00); Wednesday 6/1 09:00 the counter returns the result."""
    from motcua.signing.tests.helpers import draft_pdf

    chain.clock.set(at(2027, 1, 5, 9))
    dossier = Dossier.objects.get(pk=dossier.pk)
    upload_draft(dossier, actor=specialist, name="gcn.pdf", content=draft_pdf("Xác nhận chuyển nhượng thửa 345"))
    dossier = dossier_actions.forward_dossier(dossier, actor=specialist)
    chain.clock.set(at(2027, 1, 5, 14))
    dossier = approve_with_result(dossier, actor=leader, expected_version=dossier.version, note="Đồng ý")
    chain.clock.set(at(2027, 1, 6, 9))
    return dossier_actions.return_result(dossier, actor=clerk)


def signer_of(content: bytes) -> dict[str, str]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    (embedded,) = PdfFileReader(io.BytesIO(content)).embedded_signatures
    return dict(embedded.signer_cert.subject.native)


def parcel(chain: Chain, number: str) -> dict[str, Any]:
    return next(p for p in chain.land.state.snapshot()["parcels"] if p["number"] == number)


TIMELINE_ITEM = re.compile(r"<li><strong>([^<]+)</strong>(.*?)</li>", re.S)


def public_timeline(dossier: Dossier) -> list[tuple[str, str, str, str]]:
    """The public look-up's history: (time, status, step due, appointment) per line, as shown."""
    page = Client().get(reverse("dossiers:lookup_detail", args=[dossier.code]), {"s": dossier.lookup_secret})
    assert page.status_code == 200
    rows = []
    for when, rest in TIMELINE_ITEM.findall(page.content.decode()):
        status = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rest.split("<br>")[0])).strip(" —")
        step_due = re.search(r'class="step-due">[^:]+: ([^<]+)<', rest)
        due = re.search(r'class="due">[^:]+: ([^<]+)<', rest)
        rows.append((when, status.split(" (")[0], step_due.group(1) if step_due else "",
                     due.group(1) if due else ""))
    return rows
