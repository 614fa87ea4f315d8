"""PAdES signing (pyHanko) of result documents and validation of signed PDFs.

`sign_pdf` adds a visible signature block (text in Vietnamese and a QR code to the public verification page) and
signs the whole document as a certification signature that allows no later change. `verify_pdf` answers the one
question the public page asks: is this file, as it is, a whole-document signature by a certificate that chains to
one of our trust roots, intact, made while that certificate was valid, with nothing appended afterwards?
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import segno
from asn1crypto import x509  # type: ignore[import-untyped]
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext


class SigningError(Exception):
    """The document could not be signed (bad draft, unreachable token or timestamp authority)."""


@dataclass(frozen=True)
class Stamp:
    """What the visible signature block says and where it sits (on the last page, PDF points from bottom-left)."""

    lines: tuple[str, ...]
    verification_url: str
    box: tuple[int, int, int, int] = (300, 30, 565, 120)
    font_path: str = ""


@dataclass(frozen=True)
class SignatureReport:
    """One signature found in a PDF, as our verifier judged it."""

    field_name: str
    signer_subject: str
    signer_serial: str
    issuer_subject: str
    signed_at: dt.datetime | None       # the timestamp authority's time when there is one, else the signer's claim
    timestamped: bool
    intact: bool
    cryptographically_valid: bool
    trusted: bool
    whole_file: bool
    unmodified: bool
    problems: tuple[str, ...]
    revoked: bool = False  # the signer's certificate (or a CA above it) is revoked (CRL / OCSP)
    revoked_at: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Verification:
    """The verdict on a PDF: VALID only for an intact, trusted, whole-file signature with nothing after it."""

    valid: bool
    is_pdf: bool
    signatures: tuple[SignatureReport, ...] = ()
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def last(self) -> SignatureReport | None:
        return self.signatures[-1] if self.signatures else None


# Problem codes (the pages translate them).
NOT_PDF = "not_pdf"
NO_SIGNATURE = "no_signature"
NOT_INTACT = "not_intact"
BAD_SIGNATURE = "bad_signature"
UNTRUSTED = "untrusted"
NOT_WHOLE_FILE = "not_whole_file"
MODIFIED = "modified"
BAD_TIMESTAMP = "bad_timestamp"
REVOKED = "revoked"


def qr_content(url: str, size: float) -> RawContent:
    """The QR code of URL drawn as filled squares (vector, no image), SIZE points wide."""
    qr = segno.make(url, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    count = len(matrix)
    quiet = 2
    unit = size / (count + 2 * quiet)
    ops = ["0 0 0 rg"]
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x = (c + quiet) * unit
                y = size - (r + quiet + 1) * unit
                ops.append(f"{x:.3f} {y:.3f} {unit:.3f} {unit:.3f} re")
    ops.append("f")
    return RawContent(data="\n".join(ops).encode("ascii"), box=layout.BoxConstraints(width=size, height=size))


def _stamp_style(stamp: Stamp) -> TextStampStyle:
    height = stamp.box[3] - stamp.box[1]
    text_style = TextBoxStyle(font=GlyphAccumulatorFactory(stamp.font_path), font_size=7) if stamp.font_path \
        else TextBoxStyle(font_size=7)
    return TextStampStyle(
        stamp_text="\n".join(stamp.lines),
        text_box_style=text_style,
        border_width=1,
        background=qr_content(stamp.verification_url, height - 6),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(3, 3, 3, 3), inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=4, right=height + 2, top=3, bottom=3),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        timestamp_format="%d/%m/%Y %H:%M:%S %z",
    )


def read_pdf(content: bytes) -> PdfFileReader:
    """Parse CONTENT as a PDF (raises PdfError / ValueError when it is not one)."""
    if not content.lstrip()[:5].startswith(b"%PDF-"):
        raise PdfError("Not a PDF file")
    return PdfFileReader(io.BytesIO(content), strict=False)


def check_draft(content: bytes) -> None:
    """A draft we can sign: a readable, unencrypted PDF with at least one page and no signature yet."""
    try:
        reader = read_pdf(content)
        if reader.encrypted:
            raise SigningError("encrypted")
        pages = int(reader.root["/Pages"]["/Count"])
        if pages < 1:
            raise SigningError("no pages")
        if reader.embedded_signatures:
            raise SigningError("already signed")
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SigningError(f"not a readable PDF: {exc}") from exc


@dataclass(frozen=True)
class DeferredSigner:
    """A key held elsewhere (a remote signing service): `sign_digest` gets the digest of the CMS signed attributes
    and returns the raw signature value. It is called between pyHanko's two phases (interrupted signing), outside
    any event loop, so it may block, poll and write evidence to the database."""

    signing_cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    sign_digest: Callable[[bytes, str], bytes]  # (digest, digest algorithm) -> signature value

    @property
    def mechanism(self) -> str:
        return "sha256_ecdsa" if self.signing_cert.public_key.algorithm == "ec" else "sha256_rsa"

    @property
    def signature_size(self) -> int:
        """Bytes reserved for the signature value (an ECDSA one is DER: up to 2·size + 8)."""
        octets = (int(self.signing_cert.public_key.bit_size) + 7) // 8
        return 2 * octets + 8 if self.mechanism == "sha256_ecdsa" else octets


def _external(signer: DeferredSigner, value: bytes | int) -> signers.ExternalSigner:
    from asn1crypto import algos
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    return signers.ExternalSigner(
        signing_cert=signer.signing_cert,
        cert_registry=SimpleCertificateStore.from_certs(list(signer.chain)),  # type: ignore[no-untyped-call]
        signature_value=value, signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": signer.mechanism}))


def _sign_deferred(writer: IncrementalPdfFileWriter, meta: signers.PdfSignatureMetadata, signer: DeferredSigner,
                   stamp: Stamp, timestamper: TimeStamper | None) -> bytes:
    """pyHanko's interrupted signing: prepare the document and the signed attributes, ask SIGNER for the
    signature of their digest (blocking, outside the event loop), then embed it and the timestamp."""
    from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

    placeholder = _external(signer, signer.signature_size)
    pdf_signer = signers.PdfSigner(meta, signer=placeholder, timestamper=timestamper, stamp_style=_stamp_style(stamp))

    async def prepare() -> tuple[Any, Any, Any, Any]:
        prepared, tbs, output = await pdf_signer.async_digest_doc_for_signing(writer)
        attrs = await placeholder.signed_attrs(prepared.document_digest, tbs.md_algorithm, use_pades=True)
        return prepared, tbs, output, attrs

    prepared, tbs, output, attrs = asyncio.run(prepare())
    digest = hashlib.new(tbs.md_algorithm, attrs.dump()).digest()
    value = signer.sign_digest(digest, tbs.md_algorithm)

    async def finish() -> None:
        cms_value = await _external(signer, value).async_sign_prescribed_attributes(
            tbs.md_algorithm, signed_attrs=attrs, timestamper=timestamper)
        await PdfTBSDocument.async_finish_signing(output, prepared_digest=prepared, signature_cms=cms_value,
                                                  post_sign_instr=tbs.post_sign_instructions)

    asyncio.run(finish())
    output.seek(0)
    return bytes(output.read())


def sign_pdf(content: bytes, *, signer: signers.Signer | DeferredSigner, stamp: Stamp, reason: str = "",
             location: str = "", timestamper: TimeStamper | None = None, field_name: str = "KetQua") -> bytes:
    """Sign the draft CONTENT: a certification signature (no later change allowed) with a visible block."""
    check_draft(content)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
        fields.append_signature_field(
            writer, fields.SigFieldSpec(sig_field_name=field_name, on_page=-1, box=stamp.box),
        )
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, reason=reason or None, location=location or None,
            certify=True, docmdp_permissions=fields.MDPPerm.NO_CHANGES,
            subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        )
        if isinstance(signer, DeferredSigner):
            return _sign_deferred(writer, meta, signer, stamp, timestamper)
        pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper,
                                       stamp_style=_stamp_style(stamp))
        out = pdf_signer.sign_pdf(writer, in_place=False)
        return bytes(out.getbuffer())
    except SigningError:
        raise
    except Exception as exc:  # pyHanko, the token and the TSA raise many kinds; none must approve unsigned
        raise SigningError(f"{type(exc).__name__}: {exc}") from exc


def load_certificates(paths: Iterable[Path]) -> list[x509.Certificate]:
    """Every certificate in these PEM or DER files."""
    from asn1crypto import pem

    found: list[x509.Certificate] = []
    for path in paths:
        data = path.read_bytes()
        if pem.detect(data):
            found.extend(x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True))
        else:
            found.append(x509.Certificate.load(data))
    return found


def certificates_in(directory: str) -> list[x509.Certificate]:
    """The trust roots: every *.pem, *.crt, *.cer, *.der file in DIRECTORY (none if it is not set)."""
    if not directory:
        return []
    folder = Path(directory)
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".pem", ".crt", ".cer", ".der"})
    return load_certificates(files)


def _subject(cert: x509.Certificate) -> str:
    return str(cert.subject.human_friendly)


def _report(name: str, status: PdfSignatureStatus) -> SignatureReport:
    problems: list[str] = []
    if not status.intact:
        problems.append(NOT_INTACT)
    if not status.valid:
        problems.append(BAD_SIGNATURE)
    if status.revoked:
        problems.append(REVOKED)
    elif not status.trusted:
        problems.append(UNTRUSTED)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append(NOT_WHOLE_FILE)
    if status.modification_level not in (ModificationLevel.NONE, None) or status.docmdp_ok is False:
        problems.append(MODIFIED)
    ts = status.timestamp_validity
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        problems.append(BAD_TIMESTAMP)
    cert = status.signing_cert
    return SignatureReport(
        field_name=name, signer_subject=_subject(cert), signer_serial=format(cert.serial_number, "x"),
        issuer_subject=str(cert.issuer.human_friendly),
        signed_at=ts.timestamp if ts is not None else status.signer_reported_dt, timestamped=ts is not None,
        intact=status.intact, cryptographically_valid=status.valid, trusted=status.trusted,
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        unmodified=status.modification_level == ModificationLevel.NONE, problems=tuple(problems),
        revoked=status.revoked,
        revoked_at=status.revocation_details.revocation_date if status.revocation_details else None,
    )


def verify_pdf(content: bytes, *, trust_roots: list[x509.Certificate], crls: Iterable[bytes] = (),
               allow_fetching: bool = False) -> Verification:
    """Validate every signature of CONTENT against TRUST_ROOTS only (no OS store; no network unless
    ALLOW_FETCHING, which lets pyHanko fetch the CRLs and OCSP answers the certificates point to).

    Revocation: the CRLS given (DER) are checked (soft-fail: a certificate no CRL covers is not refused for that);
    a revoked signer's or CA's certificate gives the problem REVOKED.

    The verdict is VALID when there is at least one signature, every signature passes pyHanko's checks (intact,
    cryptographically valid, chaining to a trust root and within validity now, timestamp trusted), and the last
    one covers the entire file with no modification after it. `valid` alone is never enough: a PDF with an
    incremental update appended after signing keeps a "valid" signature over its earlier revision.
    """
    try:
        reader = read_pdf(content)
        embedded = list(reader.embedded_regular_signatures)
    except Exception:  # any parse failure means "not a PDF we can read"
        return Verification(valid=False, is_pdf=False, problems=(NOT_PDF,))
    if not embedded:
        return Verification(valid=False, is_pdf=True, problems=(NO_SIGNATURE,))
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=allow_fetching, crls=list(crls),
                                revocation_mode="soft-fail")
    reports: list[SignatureReport] = []
    for index, sig in enumerate(embedded):
        try:
            status = asyncio.run(async_validate_pdf_signature(
                sig, signer_validation_context=context, ts_validation_context=context))
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
            reports.append(SignatureReport(
                field_name=str(sig.field_name or index), signer_subject="", signer_serial="", issuer_subject="",
                signed_at=None, timestamped=False, intact=False, cryptographically_valid=False, trusted=False,
                whole_file=False, unmodified=False, problems=(BAD_SIGNATURE, f"error:{type(exc).__name__}"),
            ))
            continue
        report = _report(str(sig.field_name or index), status)
        if index < len(embedded) - 1:
            # An earlier signature legitimately covers only its own revision; what came after it is judged by
            # pyHanko's modification analysis (docmdp_ok).
            problems = tuple(p for p in report.problems if p not in (NOT_WHOLE_FILE, MODIFIED))
            if status.docmdp_ok is False:
                problems += (MODIFIED,)
            report = SignatureReport(**{**report.__dict__, "problems": problems})
        reports.append(report)
    problems = tuple(dict.fromkeys(p for r in reports for p in r.problems))
    return Verification(valid=not problems, is_pdf=True, signatures=tuple(reports), problems=problems)
