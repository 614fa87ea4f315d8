"""Digitisation at the counter: the pages a clerk scanned for one required document become one PDF.

Images (JPEG/PNG) are wrapped losslessly with img2pdf; PDFs are appended page by page with pikepdf. A single
file is kept as it is. Every page goes through the upload checks first (type from content, size)."""

from __future__ import annotations

import io
from pathlib import PurePath

import img2pdf  # type: ignore[import-untyped]
import pikepdf
from PIL import Image

from motcua.documents.uploads import UploadError, check_upload

PAGE_TYPES = ("pdf", "jpeg", "png")


def _image_pdf(content: bytes) -> bytes:
    try:
        return bytes(img2pdf.convert(content))
    except (img2pdf.ImageOpenError, img2pdf.AlphaChannelError, ValueError):
        # img2pdf refuses some images losslessly (e.g. a PNG with transparency): flatten it with Pillow.
        with Image.open(io.BytesIO(content)) as image:
            flat = io.BytesIO()
            image.convert("RGB").save(flat, format="PNG")
        return bytes(img2pdf.convert(flat.getvalue()))


def combine_pages(slot: str, pages: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """(name, content) of one file holding PAGES in order; raises `UploadError` for a page that is not a PDF or
    an image, or cannot be read."""
    if len(pages) == 1:
        return pages[0]
    checked = [check_upload(name, content) for name, content in pages]
    for item in checked:
        if item.file_type.key not in PAGE_TYPES:
            raise UploadError("not_a_page", f"Tệp {item.name}: chỉ ghép được ảnh quét (JPEG, PNG) hoặc PDF.",
                              f"File {item.name}: only scanned images (JPEG, PNG) or PDFs can be combined.")
    name = (PurePath(checked[0].name).stem or slot) + ".pdf"
    try:
        if all(item.file_type.key != "pdf" for item in checked):
            return name, bytes(img2pdf.convert([item.content for item in checked]))
        combined, sources = pikepdf.new(), []
        try:
            for item in checked:
                part = item.content if item.file_type.key == "pdf" else _image_pdf(item.content)
                sources.append(pikepdf.open(io.BytesIO(part)))  # kept open until the combined file is saved
                combined.pages.extend(sources[-1].pages)
            out = io.BytesIO()
            combined.save(out)
        finally:
            for source in sources:
                source.close()
        return name, out.getvalue()
    except (pikepdf.PdfError, pikepdf.PasswordError, img2pdf.ImageOpenError, OSError, ValueError) as exc:
        raise UploadError("unreadable_page", "Không đọc được một trang quét; vui lòng quét lại.",
                          "A scanned page could not be read; please scan it again.") from exc
