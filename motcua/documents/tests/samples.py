"""Test files made at run time: clean documents of every allowed type, and the EICAR anti-virus test string.

EICAR is assembled from two halves so that no file of the repository carries the signature itself."""

from __future__ import annotations

import io
import os
import zipfile

from PIL import Image

EICAR = (b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")


def png(colour: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def jpeg(colour: tuple[int, int, int] = (30, 30, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="JPEG")
    return out.getvalue()


def pdf(text: str = "giay to") -> bytes:
    import pikepdf

    document = pikepdf.new()
    document.add_blank_page()
    document.docinfo["/Title"] = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def ooxml(kind: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal DOCX ('word') or XLSX ('xl') package."""
    parts = {"[Content_Types].xml": b'<?xml version="1.0"?><Types/>', "_rels/.rels": b"<Relationships/>"}
    parts["word/document.xml" if kind == "word" else "xl/workbook.xml"] = b"<document/>"
    parts.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    book = Workbook()
    book.active.append(["Họ tên", "Số định danh"])
    book.save(out)
    return out.getvalue()


def zipped(name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return out.getvalue()


def large_pdf_with_eicar(megabytes: int = 5) -> bytes:
    """A PDF-looking file: a PDF header, MEGABYTES of random bytes, then EICAR at the very end. The random bytes
    carry no "/" so that they never spell a PDF name by chance (a "/JS" in 5 MB of noise is likely, and the upload
    check would then refuse the file as active content before the virus scanner sees it)."""
    return b"%PDF-1.4\n" + os.urandom(megabytes * 1024 * 1024).replace(b"/", b"-") + b"\n" + EICAR


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + \
    b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 64 + b"PE\x00\x00"
