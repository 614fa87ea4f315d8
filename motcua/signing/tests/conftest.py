"""Fixtures of the signing tests: a throw-away PKI, the agency's PKCS#12 file and trust roots in settings, a
loopback timestamp authority, an NSS database for pdfsig."""

import pytest

from motcua.signing.tests.helpers import draft_pdf, nss_db, start_tsa
from motcua.signing.tests.pki import build_pki, write_pkcs12


@pytest.fixture(scope="session")
def pki():
    return build_pki()


@pytest.fixture(scope="session")
def draft():
    return draft_pdf()


@pytest.fixture(scope="session")
def tsa(pki):
    server = start_tsa(pki.tsa)
    yield server
    server.close()


@pytest.fixture(scope="session")
def nssdir(pki, tmp_path_factory):
    return nss_db(tmp_path_factory.mktemp("nss"), pki.root)


@pytest.fixture
def trust_dir(pki, tmp_path):
    folder = tmp_path / "trust"
    folder.mkdir()
    (folder / "root.pem").write_bytes(pki.root.pem)
    return folder


@pytest.fixture
def agency_signing(settings, pki, tmp_path, trust_dir, tsa):
    """The deployment signs with the agency's PKCS#12 file, timestamps at the local TSA, trusts the test root."""
    settings.MOTCUA_SIGNING_BACKEND = "pkcs12"
    settings.MOTCUA_SIGNING_FALLBACK = True  # no per-agency identity in these tests: the deployment-wide signer
    settings.MOTCUA_SIGNING_PKCS12_FILE = str(write_pkcs12(tmp_path / "agency.p12", pki.agency, pki.root, b"mat-khau"))
    settings.MOTCUA_SIGNING_PKCS12_PASSWORD = "mat-khau"
    settings.MOTCUA_SIGNING_TSA_URL = tsa.url
    settings.MOTCUA_SIGNING_TRUST_ROOTS_DIR = str(trust_dir)
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn"
    return settings


from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: E402, F401  (fixture)
