"""Test helpers: a draft result PDF, a loopback RFC 3161 timestamp authority, poppler's pdfsig as a second
opinion (its text output, never its exit code), forgeries."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys, tsp  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from motcua.signing.pdf import Stamp, sign_pdf
from motcua.signing.tests.pki import Issued


def asn1_cert(issued: Issued) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(issued.cert.public_bytes(serialization.Encoding.DER))


def asn1_key(issued: Issued) -> keys.PrivateKeyInfo:
    return keys.PrivateKeyInfo.load(issued.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def simple_signer(issued: Issued, chain: tuple[Issued, ...] | list[Issued] = ()) -> signers.SimpleSigner:
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    return signers.SimpleSigner(signing_cert=asn1_cert(issued), signing_key=asn1_key(issued),
                                cert_registry=SimpleCertificateStore.from_certs([asn1_cert(c) for c in chain]))


def draft_pdf(text: str = "Quyết định công nhận — Nguyễn Văn An") -> bytes:
    import weasyprint

    html = f"<h1>GIẤY CHỨNG NHẬN</h1><p>{text}</p>"
    return bytes(weasyprint.HTML(string=html).write_pdf())


def sign_with(issued: Issued, content: bytes, *, chain: tuple[Issued, ...] | list[Issued] = (), url: str = "http://x/xac-thuc/a/",
              timestamper=None) -> bytes:
    from motcua.signing.config import FALLBACK_STAMP_FONTS

    font = next((path for path in FALLBACK_STAMP_FONTS if Path(path).is_file()), "")
    stamp = Stamp(lines=("Ký bởi: %(signer)s",), verification_url=url, font_path=font)
    return sign_pdf(content, signer=simple_signer(issued, list(chain)), stamp=stamp, timestamper=timestamper)


# --- a loopback timestamp authority --------------------------------------------------------------------

@dataclass
class LocalTsa:
    url: str
    requests: list[bytes]
    server: ThreadingHTTPServer

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_tsa(tsa: Issued) -> LocalTsa:
    """An RFC 3161 server over HTTP on 127.0.0.1, answering with pyHanko's DummyTimeStamper."""
    stamper = DummyTimeStamper(tsa_cert=asn1_cert(tsa), tsa_key=asn1_key(tsa))
    seen: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Type") != "application/timestamp-query":
                self.send_error(415)
                return
            seen.append(body)
            response = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(response)))
            self.end_headers()
            self.wfile.write(response)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return LocalTsa(f"http://127.0.0.1:{server.server_address[1]}/tsa", seen, server)


# --- poppler's pdfsig ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PdfsigResult:
    text: str

    @property
    def signature_valid(self) -> bool:
        return "Signature Validation: Signature is Valid." in self.text

    @property
    def total_document_signed(self) -> bool:
        return bool(re.search(r"^\s*- Total document signed\s*$", self.text, re.M))

    @property
    def certificate_trusted(self) -> bool:
        return "Certificate Validation: Certificate is Trusted." in self.text

    @property
    def accepted(self) -> bool:
        return self.signature_valid and self.total_document_signed and self.certificate_trusted


def nss_db(directory: Path, ca: Issued) -> str:
    """An NSS database trusting only CA (for pdfsig)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "ca.pem").write_bytes(ca.pem)
    subprocess.run(["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"], check=True,
                   capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{directory}", "-n", "test-root", "-t", "CT,C,C", "-i",
                    str(directory / "ca.pem")], check=True, capture_output=True)
    return f"sql:{directory}"


def pdfsig(path: Path, nssdir: str) -> PdfsigResult:
    # The exit code is 0 even on a digest mismatch: only the text is read.
    done = subprocess.run(["pdfsig", "-nssdir", nssdir, str(path)], capture_output=True, text=True, timeout=60)
    return PdfsigResult(done.stdout + done.stderr)


def have(binary: str) -> bool:
    return shutil.which(binary) is not None


# --- forgeries -------------------------------------------------------------------------------------------

def append_incremental_update(signed: bytes) -> bytes:
    """Add a page's worth of new text in an incremental update after the signature (the shadow-attack shape)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 50 50 Td (FORGED) Tj ET")
    contents = page["/Contents"]
    if isinstance(contents, generic.ArrayObject):
        arr = generic.ArrayObject(list(page.raw_get("/Contents")))
    else:
        arr = generic.ArrayObject([page.raw_get("/Contents")])
    arr.append(writer.add_object(stream))
    page["/Contents"] = arr
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def flip_a_content_byte(signed: bytes) -> bytes:
    """Change one byte inside the signed range (in the page text), keeping the file's length and structure."""
    index = signed.index(b"stream") + len(b"stream\n") + 5
    data = bytearray(signed)
    data[index] ^= 0x01
    return bytes(data)


# --- the demo, as scripts/demo.sh runs it ------------------------------------------------------------------

def run_demo_setup(settings, directory: Path, password: str = "demo-pass-123") -> str:  # noqa: S107
    """`setup_demo` with its DEMO CA made in DIRECTORY, then the settings `MOTCUA_DEMO_SIGNING=true` gives."""
    from io import StringIO

    from django.core.management import call_command

    from motcua.signing.demo import demo_signing_settings

    settings.MOTCUA_DEMO_SIGNING_DIR = directory
    out = StringIO()
    call_command("setup_demo", password=password, stdout=out)
    for name, value in demo_signing_settings(directory).items():
        setattr(settings, name, value)
    settings.MOTCUA_DEMO_SIGNING = True
    settings.MOTCUA_SIGNING_FALLBACK = True  # its default in the demo
    settings.MOTCUA_SIGNING_TSA_URL = ""
    return out.getvalue()


def visible_text(signed: bytes) -> str:
    """The last page's text as a reader shows it, the signature block included (pdfium flattens the block's
    appearance into the page, then extracts the text): what the stamp really says, not what we asked it to say."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(signed)
    try:
        last = len(document) - 1
        page = document[last]
        pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY)
        page.close()
        page = document[last]
        try:
            textpage = page.get_textpage()
            text = str(textpage.get_text_range())
            textpage.close()
        finally:
            page.close()
    finally:
        document.close()
    return text
