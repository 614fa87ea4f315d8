"""The certificate map: the e-result is signed with the competent agency's own certificate (the land office's for a
land transfer), or with the approving leader's own when they have one; the stamp names the signer from the
certificate; without an identity and without a configured fallback the approval is refused and nothing is lost."""

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.documents.models import StoredDocument
from motcua.dossiers import actions
from motcua.dossiers.models import Channel, Status
from motcua.dossiers.tests.helpers import LAND_PAPERS, at, land_dossier
from motcua.dossiers.workflow import WorkflowError
from motcua.signing.actions import approve_with_result, stamp_lines, upload_draft
from motcua.signing.models import ResultDocument, SigningIdentity
from motcua.signing.pdf import verify_pdf
from motcua.signing.tests.helpers import asn1_cert, have, pdfsig, visible_text
from motcua.signing.tests.pki import issue, write_pkcs12

WHEN = at(2026, 12, 2, 8)
SECRET = "MOTCUA_SIGNING_SECRET_VPDKDD"


@pytest.fixture
def per_agency(settings, trust_dir):
    """No deployment-wide signer and no fallback: only signing identities can sign."""
    settings.MOTCUA_SIGNING_BACKEND = ""
    settings.MOTCUA_SIGNING_FALLBACK = False
    settings.MOTCUA_SIGNING_TSA_URL = ""
    settings.MOTCUA_SIGNING_TRUST_ROOTS_DIR = str(trust_dir)
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn"
    return settings


@pytest.fixture
def land_office_identity(per_agency, pki, tmp_path, demo_agencies, monkeypatch):
    monkeypatch.setenv(SECRET, "mat-khau-vpdkdd")
    path = write_pkcs12(tmp_path / "vpdkdd.p12", pki.agency, pki.root, b"mat-khau-vpdkdd")
    return SigningIdentity.objects.create(
        name="VPĐKĐĐ tỉnh Đồng Nai", agency=demo_agencies["land_office"], kind=SigningIdentity.Kind.FILE,
        key_reference=str(path), secret_name=SECRET)


def at_leader(demo_catalog, demo_agencies, citizen, clerk, specialist, tax_specialist, treasury_specialist, draft):
    dossier = land_dossier(demo_catalog, demo_agencies, citizen, WHEN, channel=Channel.ONLINE, receiving_agency=None,
                           paper_documents=LAND_PAPERS, assurance_level=2)  # signed in with VNeID level 2
    dossier = actions.receive_dossier(dossier, actor=clerk, at=WHEN)
    for actor in (clerk, specialist, tax_specialist, treasury_specialist):
        dossier = actions.forward_dossier(dossier, actor=actor, at=WHEN)
    upload_draft(dossier, actor=specialist, name="qd.pdf", content=draft)
    dossier = actions.forward_dossier(dossier, actor=specialist, at=WHEN)
    assert dossier.current_role == "leader" and dossier.current_agency == demo_agencies["land_office"]
    return dossier


@pytest.fixture
def land_at_leader(demo_catalog, demo_agencies, citizen, clerk, specialist, tax_specialist, treasury_specialist,
                   draft):
    return at_leader(demo_catalog, demo_agencies, citizen, clerk, specialist, tax_specialist, treasury_specialist,
                     draft)


def signature_certificate(signed: bytes):
    (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    return embedded.signer_cert


@pytest.fixture
def stamps(monkeypatch):
    """The stamp text each signing drew (what the visible block says)."""
    drawn: list[tuple[str, ...]] = []
    from motcua.signing.pdf import sign_pdf as original

    def spy(content, *, stamp, **kwargs):
        drawn.append(stamp.lines)
        return original(content, stamp=stamp, **kwargs)

    monkeypatch.setattr("motcua.signing.actions.sign_pdf", spy)
    return drawn


def test_the_land_office_certificate_signs_the_land_result(land_office_identity, land_at_leader, leader, pki,
                                                           stamps, nssdir, tmp_path):
    dossier = approve_with_result(land_at_leader, actor=leader, expected_version=land_at_leader.version)
    assert dossier.status == Status.RESULT_READY
    result = ResultDocument.objects.get(dossier=dossier, state=ResultDocument.State.SIGNED)
    assert result.signing_identity == land_office_identity
    signed = result.signed_file.read()
    cert = signature_certificate(signed)
    assert cert.serial_number == pki.agency.cert.serial_number
    assert cert.subject.native["common_name"] == "Văn phòng Đăng ký đất đai tỉnh Đồng Nai"
    assert result.certificate_serial == format(pki.agency.cert.serial_number, "x")
    assert verify_pdf(signed, trust_roots=[asn1_cert(pki.root)]).valid
    # The visible block names the signer as the certificate does (CN and O), not the agency record's name.
    (lines,) = stamps
    assert lines[0] == "Ký bởi: Văn phòng Đăng ký đất đai tỉnh Đồng Nai"
    assert lines[1] == "Đơn vị: UBND tỉnh Đồng Nai (thử nghiệm)"
    # …and that is what a reader shows in the signature block of the signed file.
    shown = visible_text(signed)
    assert "Ký bởi: Văn phòng Đăng ký đất đai tỉnh Đồng Nai" in shown and f"Hồ sơ: {dossier.code}" in shown
    if have("pdfsig"):  # a second, independent reading of the signature
        path = tmp_path / "ket-qua.pdf"
        path.write_bytes(signed)
        report = pdfsig(path, nssdir)
        assert report.accepted, report.text
        assert "Signer Certificate Common Name: Văn phòng Đăng ký đất đai tỉnh Đồng Nai" in report.text


def test_the_leaders_own_certificate_signs_when_they_have_one(land_office_identity, land_at_leader, leader, pki,
                                                              tmp_path, stamps, monkeypatch):
    own = issue(pki.root, "Võ Minh Tâm")
    monkeypatch.setenv("MOTCUA_SIGNING_SECRET_TAM", "pin-tam")
    identity = SigningIdentity.objects.create(
        name="Võ Minh Tâm", user=leader, kind=SigningIdentity.Kind.FILE,
        key_reference=str(write_pkcs12(tmp_path / "tam.p12", own, pki.root, b"pin-tam")),
        secret_name="MOTCUA_SIGNING_SECRET_TAM")
    approve_with_result(land_at_leader, actor=leader, expected_version=land_at_leader.version)
    result = ResultDocument.objects.get(dossier=land_at_leader, state=ResultDocument.State.SIGNED)
    assert result.signing_identity == identity
    signed = result.signed_file.read()
    assert signature_certificate(signed).serial_number == own.cert.serial_number
    assert stamps[0][0] == "Ký bởi: Võ Minh Tâm"
    assert "Ký bởi: Võ Minh Tâm" in visible_text(signed)


@pytest.fixture
def commune_identity(per_agency, demo_agencies):
    """Another agency (a commune) has a certificate; the land office has none."""
    return SigningIdentity.objects.create(name="UBND phường Trấn Biên", agency=demo_agencies["tran_bien"],
                                          kind=SigningIdentity.Kind.FILE, key_reference="/khong-co.p12")


def test_without_an_identity_the_approval_waits_and_nothing_is_lost(commune_identity, land_at_leader, leader,
                                                                     demo_agencies):
    with pytest.raises(WorkflowError) as caught:
        approve_with_result(land_at_leader, actor=leader, expected_version=land_at_leader.version)
    assert caught.value.code == "no_signing_identity"
    assert demo_agencies["land_office"].name in caught.value.message_vi and "CHƯA" in caught.value.message_vi
    land_at_leader.refresh_from_db()
    assert land_at_leader.status == Status.PROCESSING and land_at_leader.current_role == "leader"
    assert ResultDocument.objects.get(dossier=land_at_leader).state == ResultDocument.State.DRAFT
    assert not StoredDocument.objects.filter(dossier=land_at_leader, source=StoredDocument.Source.RESULT).exists()

    # Through the staff page the leader reads why, in Vietnamese, and nothing moved.
    from django.test import Client
    from django.urls import reverse

    as_leader = Client()
    as_leader.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    response = as_leader.post(reverse("backoffice:dossier_action", args=[land_at_leader.code, "approve"]),
                              {"approve-expected_version": land_at_leader.version})
    assert response.status_code == 400
    assert "Chưa có chứng thư ký số của Văn phòng Đăng ký đất đai tỉnh Đồng Nai" in response.content.decode()
    land_at_leader.refresh_from_db()
    assert land_at_leader.status == Status.PROCESSING

    # An inactive identity is none.
    SigningIdentity.objects.create(name="VPĐKĐĐ (cũ)", agency=demo_agencies["land_office"], kind="file",
                                   key_reference="/cu.p12", is_active=False)
    with pytest.raises(WorkflowError) as caught:
        approve_with_result(land_at_leader, actor=leader, expected_version=land_at_leader.version)
    assert caught.value.code == "no_signing_identity"


def test_the_fallback_signs_only_when_configured(agency_signing, land_at_leader, leader, pki):
    agency_signing.MOTCUA_SIGNING_FALLBACK = False
    with pytest.raises(WorkflowError) as caught:
        approve_with_result(land_at_leader, actor=leader, expected_version=land_at_leader.version)
    assert caught.value.code == "no_signing_identity"
    agency_signing.MOTCUA_SIGNING_FALLBACK = True
    approve_with_result(land_at_leader, actor=leader, expected_version=land_at_leader.version)
    result = ResultDocument.objects.get(dossier=land_at_leader, state=ResultDocument.State.SIGNED)
    assert result.signing_identity is None


def test_a_wrong_secret_refuses_the_approval(land_office_identity, land_at_leader, leader, monkeypatch):
    monkeypatch.setenv(SECRET, "sai")
    with pytest.raises(WorkflowError) as caught:
        approve_with_result(land_at_leader, actor=leader, expected_version=land_at_leader.version)
    assert caught.value.code == "signing_failed"
    assert ResultDocument.objects.get(dossier=land_at_leader).state == ResultDocument.State.DRAFT


def test_stamp_text_comes_from_the_certificate_and_keeps_percent_signs(pki):
    from motcua.signing.tests.pki import make_ca

    odd = issue(make_ca("CA"), "Công ty 100% vốn")
    lines = stamp_lines(asn1_cert(odd), "X-1", WHEN)
    assert lines[0] == "Ký bởi: Công ty 100%% vốn" and lines[1].startswith("Đơn vị: ")
    assert lines[0] % {} == "Ký bởi: Công ty 100% vốn"  # what pyHanko draws after filling its fields
