"""Document exchange tests: jobs run at once, a hub simulator on loopback, a birth registration whose
verification step is done by an agency of another province through the hub."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401  (fixture)
from simulators.edxml_hub import HubSimulator, SimulatorConfig

EXTERNAL_CODE = "000.00.12.H29"  # one of the simulator's agencies
SYSTEM_ID = "motcua-test"
SECRET = "motcua-test-secret"


@pytest.fixture(autouse=True)
def _exchange_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}
    settings.MOTCUA_INTEGRATION_SYSTEMS = {}
    settings.MOTCUA_EDXML_SYSTEM_ID = SYSTEM_ID
    settings.MOTCUA_EDXML_SECRET = SECRET


@pytest.fixture(autouse=True)
def _fresh_breakers():
    from motcua.integrations.client import reset_breakers

    reset_breakers()
    yield
    reset_breakers()


@pytest.fixture(scope="session")
def exchange_pki():
    from motcua.signing.tests.pki import build_pki

    return build_pki()


@pytest.fixture(autouse=True)
def _exchange_signing(settings, exchange_pki, tmp_path):
    """The cover letters are signed: the deployment-wide PKCS#12 signer of a throw-away PKI (MOTCUA_SIGNING_FALLBACK,
    as the demo's DEMO signer), its root trusted. A test wanting an agency's own identity, or none, changes this."""
    from motcua.signing.tests.pki import write_pkcs12

    trust = tmp_path / "trust"
    trust.mkdir()
    (trust / "root.pem").write_bytes(exchange_pki.root.pem)
    settings.MOTCUA_SIGNING_BACKEND = "pkcs12"
    settings.MOTCUA_SIGNING_FALLBACK = True
    settings.MOTCUA_SIGNING_PKCS12_FILE = str(write_pkcs12(tmp_path / "deployment.p12", exchange_pki.agency,
                                                           exchange_pki.root, b"mat-khau"))
    settings.MOTCUA_SIGNING_PKCS12_PASSWORD = "mat-khau"
    settings.MOTCUA_SIGNING_TSA_URL = ""
    settings.MOTCUA_SIGNING_TRUST_ROOTS_DIR = str(trust)
    return settings


@pytest.fixture
def hub(settings) -> Iterator[HubSimulator]:
    with HubSimulator(SimulatorConfig(system_id=SYSTEM_ID, secret=SECRET, seed=1)) as sim:
        settings.MOTCUA_INTEGRATION_SYSTEMS = {
            "edxml": {"base_url": sim.url, "connect_timeout": 0.5, "read_timeout": 2.0, "max_attempts": 2,
                      "breaker_failures": 50, "backoff_base": 0, "backoff_max": 0}}
        yield sim


@pytest.fixture
def external_agency(demo_agencies):
    from motcua.directory.models import AdministrativeUnit, Agency, AgencyLevel, UnitLevel

    hcmc = AdministrativeUnit.objects.current().get(level=UnitLevel.PROVINCE, code="79")
    return Agency.objects.create(eid_code=EXTERNAL_CODE, name="Sở Tư pháp Thành phố Hồ Chí Minh",
                                 short_name="STP TP.HCM", level=AgencyLevel.DEPARTMENT, function="tu_phap_hcm",
                                 admin_unit=hcmc, is_external=True)


@pytest.fixture
def exchange_procedure(demo_agencies, external_agency):
    from motcua.catalog.actions import import_catalog
    from motcua.catalog.models import Procedure
    from motcua.catalog.tests.factories import record

    steps = [
        {"key": "tiep_nhan", "name": "Tiếp nhận hồ sơ", "agency": "receiving", "role": "clerk", "days": "0",
         "actions": ["forward", "request_supplement", "refuse"]},
        {"key": "xu_ly", "name": "Kiểm tra, đề nghị xác minh", "agency": "competent", "role": "specialist",
         "days": "0", "actions": ["forward", "send_back", "refuse"]},
        {"key": "xac_minh", "name": "Sở Tư pháp TP.HCM xác minh thông tin hộ tịch", "agency": "tu_phap_hcm",
         "role": "specialist", "days": "0", "actions": ["forward", "send_back"], "kind": "external",
         "system": "edxml"},
        {"key": "ky", "name": "Ký giấy khai sinh, trả kết quả", "agency": "competent", "role": "leader",
         "days": "0", "actions": ["approve", "sign", "return_result", "send_back"]},
    ]
    import_catalog([record(process_definition={"steps": steps})])
    return Procedure.objects.get(national_code="1.001193")
