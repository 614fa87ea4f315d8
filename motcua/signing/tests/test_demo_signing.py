"""The demo signs e-results out of the box: `setup_demo` makes a DEMO CA and agency certificate in var/, the demo's
settings sign with it and trust it, the leader approves a dossier with a draft result and the citizen downloads a
file that verifies as signed (the verify page saying it is a demo). Production refuses the DEMO certificate. Without
a signer the draft upload is not offered, and a draft can always be taken off so the approval never dead-ends."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.workflow import WorkflowError
from motcua.signing import config
from motcua.signing.actions import approve_with_result, remove_draft, upload_draft
from motcua.signing.checks import no_demo_certificate_in_production
from motcua.signing.demo import DEMO_MARK
from motcua.signing.models import ResultDocument, SigningIdentity
from motcua.signing.pdf import verify_pdf
from motcua.signing.tests.helpers import run_demo_setup

ROOT = Path(__file__).resolve().parents[3]


def user(username):
    return get_user_model().objects.get(username=username)


def signed_in(username):
    client = Client()
    client.force_login(user(username), backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def demo(db, settings, tmp_path):
    """The demo as scripts/demo.sh runs it: setup_demo, then the settings MOTCUA_DEMO_SIGNING=true gives."""
    return run_demo_setup(settings, tmp_path / "demo-signing")


def birth_dossier_at_specialist() -> Dossier:
    """The demo's online birth registration of nguyenvana, received and at the commune specialist's step."""
    dossier = Dossier.objects.get(idempotency_key="demo:birth:online")
    dossier = actions.receive_dossier(dossier, actor=user("tiepnhan.tranbien"))
    dossier = actions.forward_dossier(dossier, actor=user("tiepnhan.tranbien"))
    assert dossier.current_role == "specialist"
    return dossier


def test_setup_demo_makes_a_demo_ca_and_an_agency_certificate_for_signing(demo, settings):
    assert DEMO_MARK in demo
    folder = Path(settings.MOTCUA_DEMO_SIGNING_DIR)
    _key, leaf, others = pkcs12.load_key_and_certificates((folder / "agency.p12").read_bytes(), None)
    root = x509.load_pem_x509_certificate((folder / "trust" / "demo-root-ca.pem").read_bytes())
    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == DEMO_MARK
    assert leaf is not None and leaf.issuer == root.subject and others == [root]
    assert "DEMO" in leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    purposes = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ObjectIdentifier("1.3.6.1.5.5.7.3.36") in purposes and ExtendedKeyUsageOID.SERVER_AUTH not in purposes
    assert (folder / "agency.p12").stat().st_mode & 0o077 == 0
    # Run again: the same certificate is kept (results signed earlier stay verifiable).
    before = (folder / "agency.p12").read_bytes()
    again = StringIO()
    call_command("setup_demo", password="demo-pass-123", stdout=again)
    assert (folder / "agency.p12").read_bytes() == before and "đã có/kept" in again.getvalue()


def test_the_demo_leader_approves_with_a_signed_result_and_the_citizen_downloads_it(demo, draft):
    dossier = birth_dossier_at_specialist()
    specialist = signed_in("congchuc.tranbien")
    page_url = reverse("backoffice:dossier", args=[dossier.code])
    upload_url = reverse("backoffice:upload_result", args=[dossier.code])
    assert f'action="{upload_url}"' in specialist.get(page_url).content.decode()
    response = specialist.post(upload_url, {"draft": SimpleUploadedFile("trich-luc.pdf", draft, "application/pdf")})
    assert response.status_code == 302
    dossier = actions.forward_dossier(dossier, actor=user("congchuc.tranbien"))
    assert dossier.current_role == "leader"

    leader = signed_in("lanhdao.tranbien")
    response = leader.post(reverse("backoffice:dossier_action", args=[dossier.code, "approve"]),
                           {"approve-expected_version": dossier.version, "approve-note": "Đồng ý"})
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    result = ResultDocument.objects.get(dossier=dossier, state=ResultDocument.State.SIGNED)
    assert "DEMO" in result.certificate_subject

    citizen = signed_in("nguyenvana")
    download = citizen.get(reverse("portal:result", args=[dossier.code, result.pk]))
    assert download.status_code == 200
    signed = b"".join(download.streaming_content)
    verdict = verify_pdf(signed, trust_roots=config.trust_roots())
    assert verdict.valid, verdict.problems
    assert verify_pdf(signed, trust_roots=[]).problems == ("untrusted",)  # trusted only through the demo root

    # The public verify page accepts it, and says it is a demo signature on a demo system.
    page = Client().post(reverse("signing:verify_code", args=[result.verification_code]),
                         {"file": SimpleUploadedFile("ket-qua.pdf", signed, "application/pdf")}).content.decode()
    assert "Hợp lệ" in page or "Valid" in page
    assert 'id="demo-notice"' in page and 'id="demo-signature"' in page


def test_without_a_signer_no_draft_is_offered_and_a_draft_can_always_be_removed(demo, settings, draft):
    dossier = birth_dossier_at_specialist()
    # A draft attached while the signer worked; then the signer is gone (file lost, configuration changed).
    upload_draft(dossier, actor=user("congchuc.tranbien"), name="trich-luc.pdf", content=draft)
    dossier = actions.forward_dossier(dossier, actor=user("congchuc.tranbien"))
    settings.MOTCUA_SIGNING_BACKEND = ""
    SigningIdentity.objects.update(is_active=False)

    leader = signed_in("lanhdao.tranbien")
    page_url = reverse("backoffice:dossier", args=[dossier.code])
    page = leader.get(page_url).content.decode()
    assert f'action="{reverse("backoffice:upload_result", args=[dossier.code])}"' not in page
    assert "Đính kèm dự thảo kết quả" not in page and "Attach the draft result" not in page
    with pytest.raises(WorkflowError):
        upload_draft(dossier, actor=user("lanhdao.tranbien"), name="x.pdf", content=draft)
    response = leader.post(reverse("backoffice:dossier_action", args=[dossier.code, "approve"]),
                           {"approve-expected_version": dossier.version})
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING  # cannot sign: not approved

    draft_row = ResultDocument.objects.get(dossier=dossier, state=ResultDocument.State.DRAFT)
    remove_url = reverse("backoffice:remove_result", args=[dossier.code, draft_row.pk])
    assert f'action="{remove_url}"' in leader.get(page_url).content.decode()
    # Someone not acting on the dossier cannot take it away.
    outsider = signed_in("tiepnhan.longthanh")
    assert outsider.post(remove_url).status_code in (302, 403, 404)
    draft_row.refresh_from_db()
    assert draft_row.state == ResultDocument.State.DRAFT
    response = leader.post(remove_url)
    assert response.status_code == 302 and response["Location"] == page_url
    draft_row.refresh_from_db()
    assert draft_row.state == ResultDocument.State.REMOVED
    with pytest.raises(WorkflowError):  # removed once; a signed result is never removed either
        remove_draft(dossier, actor=user("lanhdao.tranbien"), result_id=draft_row.pk)

    response = leader.post(reverse("backoffice:dossier_action", args=[dossier.code, "approve"]),
                           {"approve-expected_version": dossier.version})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY


def test_production_refuses_the_demo_certificate(demo, settings, draft):
    dossier = birth_dossier_at_specialist()
    upload_draft(dossier, actor=user("congchuc.tranbien"), name="trich-luc.pdf", content=draft)
    dossier = actions.forward_dossier(dossier, actor=user("congchuc.tranbien"))
    settings.MOTCUA_PRODUCTION = True
    errors = no_demo_certificate_in_production()
    assert {e.id for e in errors} == {"motcua_signing.E001"}
    assert {e.msg.split(" ")[0] for e in errors} >= {"MOTCUA_SIGNING_PKCS12_FILE", "MOTCUA_SIGNING_TRUST_ROOTS_DIR"}
    assert config.trust_roots() == []  # never trusted in production
    with pytest.raises(WorkflowError) as failure:
        approve_with_result(dossier, actor=user("lanhdao.tranbien"), expected_version=dossier.version)
    assert failure.value.code == "signing_failed"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    settings.MOTCUA_PRODUCTION = False
    assert no_demo_certificate_in_production() == [] and config.trust_roots()


def _settings_with(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "SECRET_KEY", "DATABASE_URL"))}
    clean.update(DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_VAR_DIR=str(tmp_path), **env)
    code = ("from django.conf import settings as s; "
            "print(s.MOTCUA_SIGNING_BACKEND, s.MOTCUA_SIGNING_PKCS12_FILE, s.MOTCUA_SIGNING_TRUST_ROOTS_DIR)")
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_demo_flag_configures_the_demo_signer_and_production_refuses_it(tmp_path):
    done = _settings_with(tmp_path, MOTCUA_DEMO_SIGNING="true")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["pkcs12", str(tmp_path / "demo-signing" / "agency.p12"),
                                   str(tmp_path / "demo-signing" / "trust")]
    assert _settings_with(tmp_path).stdout.split() == []  # not set: no signer
    refused = _settings_with(tmp_path, MOTCUA_DEMO_SIGNING="true", MOTCUA_PRODUCTION="true",
                             SECRET_KEY="x" * 60, ALLOWED_HOSTS="dichvucong.dongnai.gov.vn")
    assert refused.returncode != 0 and "MOTCUA_DEMO_SIGNING" in refused.stderr


def test_the_stamp_writes_vietnamese_even_without_the_configured_font(settings):
    """A machine without fonts-noto-core (the demo on a fresh Debian) still gets a font with Vietnamese glyphs."""
    settings.MOTCUA_SIGNING_STAMP_FONT = "/nonexistent/NotoSans-Regular.ttf"
    available = [path for path in config.FALLBACK_STAMP_FONTS if Path(path).is_file()]
    if not available:
        pytest.skip("none of the usual TrueType fonts is installed")
    assert config.stamp_font() == available[0]
