"""The public verification page (/xac-thuc/), the QR landing page, the API endpoint, and the clerk's badge on
a citizen-signed upload."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.backoffice.tests.helpers import NOW, online_birth
from motcua.signing.models import DocumentCheck
from motcua.signing.tests.helpers import append_incremental_update, sign_with


def post_file(url, content, name="tep.pdf"):
    return Client().post(url, {"file": SimpleUploadedFile(name, content, "application/pdf")})


def test_anyone_checks_a_pdf_on_the_public_page(agency_signing, pki, draft, db):
    assert Client().get(reverse("signing:verify")).status_code == 200
    genuine = sign_with(pki.agency, draft, chain=[pki.root])
    page = post_file(reverse("signing:verify"), genuine).content.decode()
    assert "Hợp lệ" in page and "Văn phòng Đăng ký đất đai tỉnh Đồng Nai" in page

    forged = post_file(reverse("signing:verify"), append_incremental_update(genuine)).content.decode()
    assert "Không hợp lệ" in forged and "không bao trùm toàn bộ tệp" in forged

    stranger = post_file(reverse("signing:verify"), sign_with(pki.stranger, draft, chain=[pki.stranger_root]))
    assert "Không hợp lệ" in stranger.content.decode()
    assert post_file(reverse("signing:verify"), draft).content.decode().count("Không hợp lệ") == 1


def test_the_api_gives_the_same_verdict(agency_signing, pki, draft, db):
    genuine = sign_with(pki.agency, draft, chain=[pki.root])
    ok = Client().post("/api/v1/signing/verify", {"file": SimpleUploadedFile("a.pdf", genuine)}).json()
    assert ok["valid"] is True and ok["signatures"][0]["whole_file"] is True
    bad = Client().post("/api/v1/signing/verify",
                        {"file": SimpleUploadedFile("b.pdf", append_incremental_update(genuine))}).json()
    assert bad["valid"] is False and "not_whole_file" in bad["problems"]
    expired = Client().post("/api/v1/signing/verify",
                            {"file": SimpleUploadedFile("c.pdf", sign_with(pki.expired, draft, chain=[pki.root]))})
    assert expired.json()["valid"] is False and expired.json()["problems"] == ["untrusted"]


def test_the_clerk_sees_whether_a_citizen_signed_upload_is_valid(agency_signing, pki, draft, demo_catalog,
                                                                 demo_agencies, citizen, other_clerk):
    dossier = online_birth(demo_catalog, demo_agencies["tran_bien"], citizen, NOW)
    documents = list(dossier.documents.order_by("pk"))
    signed_by_citizen = sign_with(pki.citizen, draft, chain=[pki.root])
    for document, content in zip(documents, (signed_by_citizen, append_incremental_update(signed_by_citizen)),
                                 strict=False):
        document.file.save("tep.pdf", ContentFile(content), save=True)
    staff = Client()
    # The commune's clerk receives the commune's online dossiers.
    staff.force_login(other_clerk, backend="django.contrib.auth.backends.ModelBackend")
    page = staff.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "Chữ ký hợp lệ" in page and "Nguyễn Văn An" in page
    assert "Chữ ký không hợp lệ" in page
    checks = {c.document_id: c.verdict for c in DocumentCheck.objects.all()}
    assert checks[documents[0].pk] == "valid" and checks[documents[1].pk] == "invalid"
    assert checks[documents[2].pk] == "unsigned"  # "%PDF-1.4" alone carries no signature
    # The verdict is kept per file: a second rendering does not check again.
    before = DocumentCheck.objects.get(document=documents[0]).checked_at
    staff.get(reverse("backoffice:dossier", args=[dossier.code]))
    assert DocumentCheck.objects.get(document=documents[0]).checked_at == before
