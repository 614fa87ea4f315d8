"""What our verifier must reject: content appended after signing, a flipped byte, an expired certificate, a
certificate from a CA we do not trust, an unsigned file, a file that is not a PDF. pdfsig's text is read as a
second opinion on the first two."""

import pytest

from motcua.signing.pdf import verify_pdf
from motcua.signing.tests.helpers import (
    append_incremental_update,
    asn1_cert,
    flip_a_content_byte,
    have,
    pdfsig,
    sign_with,
)


@pytest.fixture(scope="module")
def genuine(pki, draft):
    return sign_with(pki.agency, draft, chain=[pki.root])


@pytest.fixture
def roots(pki):
    return [asn1_cert(pki.root)]


def test_the_genuine_document_is_valid(genuine, roots):
    assert verify_pdf(genuine, trust_roots=roots).valid


def test_an_incremental_update_after_signing_is_rejected(genuine, roots, nssdir, tmp_path):
    forged = append_incremental_update(genuine)
    assert forged.startswith(genuine)
    verdict = verify_pdf(forged, trust_roots=roots)
    assert not verdict.valid
    assert "not_whole_file" in verdict.problems
    # The signature over the earlier revision is still cryptographically fine: `valid` alone would have lied.
    assert verdict.signatures[0].cryptographically_valid and verdict.signatures[0].intact
    if have("pdfsig"):
        path = tmp_path / "forged.pdf"
        path.write_bytes(forged)
        result = pdfsig(path, nssdir)
        assert result.signature_valid and not result.total_document_signed, result.text
        assert not result.accepted


def test_a_flipped_byte_is_rejected(genuine, roots, nssdir, tmp_path):
    forged = flip_a_content_byte(genuine)
    assert len(forged) == len(genuine) and forged != genuine
    verdict = verify_pdf(forged, trust_roots=roots)
    assert not verdict.valid
    assert "not_intact" in verdict.problems
    if have("pdfsig"):
        path = tmp_path / "flipped.pdf"
        path.write_bytes(forged)
        result = pdfsig(path, nssdir)
        assert not result.signature_valid, result.text


def test_an_expired_certificate_is_rejected(pki, draft, roots):
    signed = sign_with(pki.expired, draft, chain=[pki.root])
    verdict = verify_pdf(signed, trust_roots=roots)
    assert not verdict.valid
    assert verdict.problems == ("untrusted",)
    assert verdict.signatures[0].intact and verdict.signatures[0].whole_file


def test_a_certificate_from_an_untrusted_ca_is_rejected(pki, draft, roots):
    signed = sign_with(pki.stranger, draft, chain=[pki.stranger_root])
    verdict = verify_pdf(signed, trust_roots=roots)
    assert not verdict.valid
    assert verdict.problems == ("untrusted",)
    # …and the same file is valid for someone who does trust that CA (the verdict depends on the trust roots).
    assert verify_pdf(signed, trust_roots=[asn1_cert(pki.stranger_root)]).valid


def test_unsigned_and_non_pdf_files_are_not_valid(draft, roots):
    unsigned = verify_pdf(draft, trust_roots=roots)
    assert not unsigned.valid and unsigned.is_pdf and unsigned.problems == ("no_signature",)
    garbage = verify_pdf(b"GIF89a not a pdf", trust_roots=roots)
    assert not garbage.valid and not garbage.is_pdf
    truncated = verify_pdf(b"%PDF-1.7\n1 0 obj", trust_roots=roots)
    assert not truncated.valid
