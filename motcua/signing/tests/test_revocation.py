"""Revocation when verifying: a signature whose certificate the CA revoked shows as revoked (CRL). In the demo,
setup_demo gives the land office and the commune their own DEMO certificates (carrying the URL of the CRL motcua
publishes), the land transfer is signed with the land office's, and `revoke_demo_certificate` revokes it: the
verification page then says so."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Status
from motcua.signing import demo as demo_ca
from motcua.signing.actions import approve_with_result, verify
from motcua.signing.models import ResultDocument, SigningIdentity
from motcua.signing.pdf import REVOKED, UNTRUSTED, verify_pdf
from motcua.signing.tests.helpers import asn1_cert, draft_pdf, run_demo_setup, sign_with, visible_text
from motcua.signing.tests.pki import issue
from motcua.signing.tests.test_identities import at_leader


def crl_of(ca, *revoked) -> bytes:
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateRevocationListBuilder().issuer_name(ca.cert.subject)
               .last_update(now - dt.timedelta(hours=1)).next_update(now + dt.timedelta(days=7)))
    for issued in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(issued.cert.serial_number)
            .revocation_date(now - dt.timedelta(minutes=30)).build())
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


CRL_URL = "http://127.0.0.1:9/ca.crl"  # never fetched: the verifier is given the CRL


@pytest.fixture(scope="module")
def land_office(pki):
    """The land office's certificate, saying where its CA publishes the CRL (as real CA certificates do)."""
    return issue(pki.root, "Văn phòng Đăng ký đất đai tỉnh Đồng Nai", crl_url=CRL_URL)


def test_a_revoked_certificate_is_reported_as_revoked(pki, draft, land_office):
    signed = sign_with(land_office, draft, chain=[pki.root])
    roots = [asn1_cert(pki.root)]
    assert verify_pdf(signed, trust_roots=roots, crls=[crl_of(pki.root)]).valid  # a CRL not naming it
    verdict = verify_pdf(signed, trust_roots=roots, crls=[crl_of(pki.root, land_office)])
    assert not verdict.valid and verdict.problems == (REVOKED,)
    assert verdict.last is not None and verdict.last.revoked and verdict.last.revoked_at is not None
    # Another certificate of the same CA is not affected.
    other = sign_with(issue(pki.root, "UBND phường Trấn Biên", crl_url=CRL_URL), draft, chain=[pki.root])
    assert verify_pdf(other, trust_roots=roots, crls=[crl_of(pki.root, land_office)]).valid
    # Without the CA's trust the problem stays "untrusted" (a CRL does not make anything trusted).
    assert UNTRUSTED in verify_pdf(signed, trust_roots=[], crls=[crl_of(pki.root, land_office)]).problems


def test_the_crl_directory_setting_feeds_the_verifier(pki, draft, settings, tmp_path, trust_dir, land_office):
    settings.MOTCUA_SIGNING_TRUST_ROOTS_DIR = str(trust_dir)
    signed = sign_with(land_office, draft, chain=[pki.root])
    (tmp_path / "crl").mkdir()
    settings.MOTCUA_SIGNING_CRL_DIR = str(tmp_path / "crl")
    assert verify(signed).valid
    pem = x509.load_der_x509_crl(crl_of(pki.root, land_office)).public_bytes(serialization.Encoding.PEM)
    (tmp_path / "crl" / "ca.crl").write_bytes(pem)  # PEM is read as well as DER
    assert verify(signed).problems == (REVOKED,)


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MOTCUA_PUBLIC_URL = "http://127.0.0.1:8000"
    output = run_demo_setup(settings, tmp_path / "demo-signing")
    settings.MOTCUA_SIGNING_CRL_DIR = str(tmp_path / "demo-signing" / "crl")
    return output


def test_the_demo_signs_the_land_transfer_with_the_land_office_certificate_and_can_revoke_it(
        demo, settings, demo_catalog, demo_agencies, citizen, clerk, specialist, tax_specialist, treasury_specialist,
        leader):
    assert "Văn phòng Đăng ký đất đai tỉnh Đồng Nai (DEMO)" in demo
    identity = SigningIdentity.objects.get(agency=demo_agencies["land_office"], is_active=True)
    dossier = at_leader(demo_catalog, demo_agencies, citizen, clerk, specialist, tax_specialist, treasury_specialist,
                        draft_pdf())
    assert approve_with_result(dossier, actor=leader, expected_version=dossier.version).status == Status.RESULT_READY
    result = ResultDocument.objects.get(dossier=dossier, state=ResultDocument.State.SIGNED)
    assert result.signing_identity == identity
    assert result.certificate_subject.startswith("Common Name: Văn phòng Đăng ký đất đai tỉnh Đồng Nai (DEMO)") \
        or "Văn phòng Đăng ký đất đai tỉnh Đồng Nai (DEMO)" in result.certificate_subject
    signed = result.signed_file.read()
    assert "Ký bởi: Văn phòng Đăng ký đất đai tỉnh Đồng Nai (DEMO)" in visible_text(signed)  # the stamp says so
    # The certificate says where its CRL is: motcua's own URL, which serves it.
    folder = Path(settings.MOTCUA_DEMO_SIGNING_DIR)
    from cryptography.hazmat.primitives.serialization import pkcs12

    _key, cert, _others = pkcs12.load_key_and_certificates((folder / "identities" / "vpdkdd.p12").read_bytes(), None)
    assert cert is not None and format(cert.serial_number, "x") == result.certificate_serial
    points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert points[0].full_name[0].value == "http://127.0.0.1:8000/xac-thuc/crl/demo-ca.crl"
    served = Client().get("/xac-thuc/crl/demo-ca.crl")
    assert served.status_code == 200 and served["Content-Type"] == "application/pkix-crl"
    assert x509.load_der_x509_crl(served.content).get_revoked_certificate_by_serial_number(cert.serial_number) is None

    def page() -> str:
        return Client().post(reverse("signing:verify_code", args=[result.verification_code]),
                             {"file": SimpleUploadedFile("ket-qua.pdf", signed, "application/pdf")}).content.decode()

    before = page()
    assert 'id="revoked"' not in before and ("Hợp lệ" in before or "Valid" in before)

    out = StringIO()
    call_command("revoke_demo_certificate", identity=identity.name, stdout=out)
    assert result.certificate_serial in out.getvalue()
    listed = StringIO()
    call_command("revoke_demo_certificate", list=True, stdout=listed)
    assert f"{result.certificate_serial}  THU HỒI" in listed.getvalue()
    crl = x509.load_der_x509_crl(Client().get("/xac-thuc/crl/demo-ca.crl").content)
    assert crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None

    after = page()
    assert 'id="revoked"' in after and "thu hồi" in after.lower()
    api = Client().post("/api/v1/signing/verify", {"file": SimpleUploadedFile("k.pdf", signed, "application/pdf")})
    assert api.json()["problems"] == [REVOKED] and api.json()["signatures"][0]["revoked"] is True
    # Revoking again changes nothing; other demo certificates are unaffected.
    again = StringIO()
    call_command("revoke_demo_certificate", serial=result.certificate_serial, stdout=again)
    assert "trước đó" in again.getvalue()
    assert len(demo_ca.revoked_serials(folder)) == 1


def test_the_crl_is_not_served_in_production(demo, settings):
    settings.MOTCUA_PRODUCTION = True
    assert Client().get("/xac-thuc/crl/demo-ca.crl").status_code == 404
