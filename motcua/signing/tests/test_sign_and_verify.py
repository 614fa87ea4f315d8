"""A result signed with the agency's PKCS#12 certificate and a timestamp is accepted by our verifier and,
independently, by poppler's pdfsig; its visible block carries a QR code to the verification page."""

import pytest

from motcua.signing import config
from motcua.signing.pdf import Stamp, sign_pdf, verify_pdf
from motcua.signing.tests.helpers import asn1_cert, have, pdfsig


def test_pkcs12_signature_with_timestamp_is_valid_for_pyhanko_and_pdfsig(agency_signing, draft, pki, tsa,
                                                                         nssdir, tmp_path):
    before = len(tsa.requests)
    stamp = Stamp(lines=("Ký bởi: %(signer)s", "Cơ quan: Văn phòng Đăng ký đất đai"),
                  verification_url="https://dichvucong.example.vn/xac-thuc/abc123/", font_path=config.stamp_font())
    with config.agency_signer() as signer:
        signed = sign_pdf(draft, signer=signer, stamp=stamp, reason="Phê duyệt", timestamper=config.timestamper())
    assert len(tsa.requests) > before  # the local TSA was asked (pyHanko also sizes the token with a dummy call)

    verdict = verify_pdf(signed, trust_roots=config.trust_roots())
    assert verdict.valid, verdict.problems
    (sig,) = verdict.signatures
    assert "Văn phòng Đăng ký đất đai tỉnh Đồng Nai" in sig.signer_subject
    assert sig.timestamped and sig.whole_file and sig.trusted and sig.intact
    assert sig.signer_serial == format(pki.agency.cert.serial_number, "x")

    if not have("pdfsig"):
        pytest.skip("poppler-utils (pdfsig) is not installed; .ci/run installs it")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    result = pdfsig(path, nssdir)
    assert result.signature_valid, result.text
    assert result.total_document_signed, result.text
    assert result.certificate_trusted, result.text


def test_the_visible_block_shows_the_signer_and_a_qr_to_the_verification_page(agency_signing, draft):
    import pypdfium2
    import zxingcpp

    url = "https://dichvucong.example.vn/xac-thuc/Qr-Code_123/"
    stamp = Stamp(lines=("Ký bởi: %(signer)s",), verification_url=url, font_path=config.stamp_font())
    with config.agency_signer() as signer:
        signed = sign_pdf(draft, signer=signer, stamp=stamp)
    document = pypdfium2.PdfDocument(signed)
    document.init_forms()  # render the signature widget's appearance
    image = document[len(document) - 1].render(scale=4, may_draw_forms=True).to_pil()
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert url in decoded


def test_an_untrusted_root_setting_makes_our_own_signature_untrusted(agency_signing, draft, tmp_path, pki):
    """Trust comes from the configured directory only (no OS store): an empty directory trusts nobody."""
    with config.agency_signer() as signer:
        signed = sign_pdf(draft, signer=signer, stamp=Stamp(lines=("x",), verification_url="https://e/x/"))
    assert verify_pdf(signed, trust_roots=[asn1_cert(pki.root)]).valid
    empty = tmp_path / "empty"
    empty.mkdir()
    agency_signing.MOTCUA_SIGNING_TRUST_ROOTS_DIR = str(empty)
    verdict = verify_pdf(signed, trust_roots=config.trust_roots())
    assert not verdict.valid and "untrusted" in verdict.problems
