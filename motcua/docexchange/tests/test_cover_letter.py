"""The signed cover letter of a step sent to an outside agency, and the signature check of an answer's files
(docs/document-exchange.md, "Cover letter and signatures")."""

from __future__ import annotations

import datetime as dt
import io

import pypdfium2
import pytest
from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography.hazmat.primitives import serialization
from django.urls import reverse

from motcua.adapters import edxml
from motcua.docexchange import actions
from motcua.docexchange.models import InboundMessage, OutgoingDocument, State
from motcua.docexchange.tests.helpers import to_external_step
from motcua.dossiers.models import Status
from motcua.signing.models import DocumentCheck, SigningIdentity
from motcua.signing.pdf import verify_pdf
from motcua.signing.tests.helpers import sign_with
from motcua.signing.tests.pki import issue, write_pkcs12
from simulators.edxml_hub import answer_pdf

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")
SECRET = "MOTCUA_SIGNING_SECRET_TRAN_BIEN"


def text_of(data: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    try:
        return " ".join(" ".join(document[i].get_textpage().get_text_range() for i in range(len(document))).split())
    finally:
        document.close()


def root_of(pki) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(pki.root.cert.public_bytes(serialization.Encoding.DER))


@pytest.fixture
def commune_identity(exchange_pki, demo_agencies, tmp_path, monkeypatch):
    """The sending commune's own certificate (not the deployment-wide signer of the conftest)."""
    own = issue(exchange_pki.root, "UBND phường Trấn Biên", org="Ủy ban nhân dân phường Trấn Biên")
    monkeypatch.setenv(SECRET, "mat-khau-tb")
    return SigningIdentity.objects.create(
        name="UBND phường Trấn Biên", agency=demo_agencies["tran_bien"], kind=SigningIdentity.Kind.FILE,
        key_reference=str(write_pkcs12(tmp_path / "tran-bien.p12", own, exchange_pki.root, b"mat-khau-tb")),
        secret_name=SECRET)


def test_the_cover_letter_comes_first_signed_by_the_sending_agency(
        hub, exchange_procedure, demo_agencies, other_clerk, commune_specialist, external_agency, commune_identity,
        exchange_pki, settings, django_capture_on_commit_callbacks):
    settings.MOTCUA_SIGNING_FALLBACK = False  # only the agency's own identity may sign
    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    document = OutgoingDocument.objects.get(dossier=dossier)
    assert document.state == State.SENT
    sent = edxml.parse_envelope(bytes(document.envelope))
    assert [a.name for a in sent.attachments] == [f"cong-van-{dossier.code}.pdf", "giay-chung-sinh.pdf"]
    letter = sent.attachments[0].content
    verdict = verify_pdf(letter, trust_roots=[root_of(exchange_pki)])
    assert verdict.valid, verdict.problems
    assert "UBND phường Trấn Biên" in verdict.last.signer_subject
    # …and not by the deployment-wide signer (the land office's certificate of the conftest)
    assert "Đăng ký đất đai" not in verdict.last.signer_subject
    text = text_of(letter)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert f"Số: {sent.code}" in text and sent.code == document.code  # the letter's number is the envelope's
    assert dossier.code in text and "Kính gửi: Sở Tư pháp Thành phố Hồ Chí Minh" in text
    assert "Sở Tư pháp TP.HCM xác minh thông tin hộ tịch" in text and "Trần Thị Bình" in text
    assert "Nơi nhận" in text and "V/v đề nghị phối hợp giải quyết hồ sơ" in text


def test_the_demo_fallback_signs_when_the_agency_has_no_identity(
        hub, exchange_procedure, demo_agencies, other_clerk, commune_specialist, external_agency, exchange_pki,
        django_capture_on_commit_callbacks):
    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    document = OutgoingDocument.objects.get(dossier=dossier)
    letter = edxml.parse_envelope(bytes(document.envelope)).attachments[0].content
    verdict = verify_pdf(letter, trust_roots=[root_of(exchange_pki)])
    assert verdict.valid and "Đăng ký đất đai" in verdict.last.signer_subject


def test_without_a_signing_identity_nothing_is_sent_and_the_dossier_comes_back(
        hub, exchange_procedure, demo_agencies, other_clerk, commune_specialist, external_agency, settings,
        django_capture_on_commit_callbacks):
    settings.MOTCUA_SIGNING_FALLBACK = False
    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    document = OutgoingDocument.objects.get(dossier=dossier)
    assert document.state == State.FAILED and document.attempts == 0 and not document.hub_doc_id
    assert "Chưa có chứng thư ký số của" in document.last_error
    assert "There is no signing certificate for" in document.last_error
    assert hub.state.snapshot()["delivered"] == {}
    # Back at the step before, with the reason on its event; the upload is still there.
    assert dossier.current_step["key"] == "xu_ly" and dossier.status != Status.IN_OTHER_AGENCY
    assert "chứng thư ký số" in dossier.events.order_by("-pk").first().note
    assert dossier.documents.filter(name="giay-chung-sinh.pdf").exists()
    # A second run of the step's job changes nothing.
    assert actions.start_step_exchange(dossier.pk, int(document.code.split("/")[0])) is None


def _answer(document: OutgoingDocument, files: list[tuple[str, bytes]]) -> bytes:
    now = dt.datetime(2026, 12, 8, 9, tzinfo=edxml.VN)
    envelope = edxml.Envelope(
        sender=edxml.Organ(document.to_agency.eid_code, document.to_agency.name),
        receivers=(edxml.Organ("000.01.70.H19", "UBND phường Trấn Biên"),), code_number="77", code_notation="TL-LT",
        place="Thành phố Hồ Chí Minh", promulgation_date=now.date(), subject=f"Trả lời văn bản số {document.code}",
        signer_position="Phó Giám đốc", signer_name="Nguyễn Văn Minh", timestamp=now,
        response_for=edxml.ResponseFor(organ_id="000.01.70.H19", code=document.code,
                                       promulgation_date=document.created_at.date(),
                                       document_id=document.document_id),
        attachments=tuple(edxml.Attachment(f"a{i}", name, content) for i, (name, content) in enumerate(files)))
    return edxml.build_envelope(envelope)


def test_the_answer_files_are_checked_and_flagged(
        hub, exchange_procedure, demo_agencies, other_clerk, commune_specialist, external_agency, exchange_pki,
        client, django_capture_on_commit_callbacks):
    hub.state.config.auto = False
    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    document = OutgoingDocument.objects.get(dossier=dossier)
    outside = issue(exchange_pki.root, "Sở Tư pháp Thành phố Hồ Chí Minh")
    signed = sign_with(outside, answer_pdf("Ket qua xac minh"), chain=[exchange_pki.root])
    untrusted = sign_with(exchange_pki.stranger, answer_pdf("Ban sao"), chain=[exchange_pki.stranger_root])
    raw = _answer(document, [("tra-loi.pdf", signed), ("phu-luc.pdf", answer_pdf("Phu luc")),
                             ("ban-sao.pdf", untrusted)])
    with django_capture_on_commit_callbacks(execute=True):
        message = actions.receive_message("hub-answer-1", raw)
    assert message.outcome == InboundMessage.Outcome.ANSWER
    document.refresh_from_db()
    verdicts = [(entry["name"], entry["verdict"]) for entry in document.answer_signatures]
    assert verdicts == [("tra-loi.pdf", "valid"), ("phu-luc.pdf", "unsigned"), ("ban-sao.pdf", "invalid")]
    assert "Sở Tư pháp Thành phố Hồ Chí Minh" in document.answer_signatures[0]["signer"]
    assert document.answer_signatures[2]["problems"]
    # Every file is attached, nothing lost; each carries its check (the badge of the document list).
    attached = dossier.documents.filter(slot="van_ban_lien_thong").order_by("pk")
    assert [d.name for d in attached] == ["tra-loi.pdf", "phu-luc.pdf", "ban-sao.pdf"]
    assert [DocumentCheck.objects.get(document=d).verdict for d in attached] == ["valid", "unsigned", "invalid"]
    dossier.refresh_from_db()
    assert dossier.current_step["key"] == "ky"  # the answer resumed the dossier all the same
    client.force_login(commune_specialist)
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    panel = page[page.index('id="document-exchange"'):]
    assert "Chữ ký số của văn bản trả lời" in panel
    assert "Chữ ký hợp lệ" in panel and "Chưa ký số" in panel and "Chữ ký không hợp lệ" in panel


def test_an_unsigned_answer_from_the_hub_is_flagged(
        hub, exchange_procedure, demo_agencies, other_clerk, commune_specialist, external_agency,
        django_capture_on_commit_callbacks):
    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        actions.poll()
    document = OutgoingDocument.objects.get(dossier=dossier)
    assert document.answer_document is not None
    assert [entry["verdict"] for entry in document.answer_signatures] == ["unsigned"]
    assert document.answer_document.signature_check.verdict == DocumentCheck.Verdict.UNSIGNED
