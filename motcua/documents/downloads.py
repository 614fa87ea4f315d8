"""Serving a stored file, for views that have already checked who asks (the owner, or staff who see the dossier).

Files are never reachable under a URL of their own: there is no MEDIA_URL route, and an S3 bucket stays private.
A file still being scanned, rejected as infected, or that could not be scanned is not served to anyone."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _

from motcua.documents.models import ScanState, StoredDocument
from motcua.documents.uploads import open_blob

if TYPE_CHECKING:
    from motcua.dossiers.models import DossierDocument

_REFUSALS = {
    ScanState.PENDING: ("Tệp đang được quét virus; vui lòng thử lại sau ít phút.",
                        "The file is being scanned for viruses; please try again in a few minutes."),
    ScanState.INFECTED: ("Tệp bị từ chối: nhiễm mã độc.", "The file was rejected: it contains malware."),
    ScanState.FAILED: ("Tệp chưa quét virus được nên không thể tải về; vui lòng nộp lại tệp.",
                       "The file could not be scanned for viruses, so it cannot be downloaded; please upload it "
                       "again."),
}


def file_response(document: DossierDocument | StoredDocument) -> HttpResponseBase:
    """The file as an attachment (type from its content, never rendered inline), or 409 with the reason."""
    if not document.file:
        return HttpResponse(_("This document has no file."), status=404, content_type="text/plain; charset=utf-8")
    response: HttpResponseBase
    if not document.is_servable:
        vi, en = _REFUSALS.get(ScanState(document.scan_state), _REFUSALS[ScanState.FAILED])
        response = HttpResponse(f"{vi}\n{en}\n", status=409, content_type="text/plain; charset=utf-8")
    else:
        blob = document.blob
        stream = open_blob(blob) if blob is not None else document.file.open("rb")
        filename = document.name or PurePath(document.file.name or "tep").name
        content_type = blob.content_type if blob is not None else "application/octet-stream"
        response = FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type)
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
