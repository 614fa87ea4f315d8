"""The upload pipeline every entry point calls: check (size, type from content) → store by content → scan.

1. `check_upload` refuses a file that is empty, too large, or whose *content* (magic bytes, not its name) is not
   an allowed type; DOCX/XLSX must be real Office Open XML packages (and carry no macros). The stored name gets
   the extension of the detected type, so a PNG named `.pdf` is kept and served as the PNG it is.
2. `store_blobs` writes each content once under its SHA-256 (`cas/ab/cd/<sha256>`, any Django storage: the
   filesystem by default, S3-compatible through django-storages) and records a `Blob`.
3. New blobs are scanned by clamd in a background job (`motcua.documents.tasks.scan_blobs_task`, one job for the
   new files of a dossier) queued after the transaction commits; until then a file is "đang quét" and nobody can
   download it; infected content is deleted from the storage and the blob stays as "bị từ chối: nhiễm mã độc".
   The scanner fails closed: a file it could not scan after the bounded retries is "failed", never clean.

Errors carry a Vietnamese and an English message (`UploadError`), like the rest of the intake errors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, BinaryIO, cast

import puremagic
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from motcua.core import fastsql
from motcua.core.errors import UserError
from motcua.documents.models import Blob, ScanState, cas_name

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extension: str
    label: str


FILE_TYPES = {
    "pdf": FileType("pdf", "application/pdf", ".pdf", "PDF"),
    "jpeg": FileType("jpeg", "image/jpeg", ".jpg", "JPEG"),
    "png": FileType("png", "image/png", ".png", "PNG"),
    "docx": FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx",
                     "DOCX"),
    "xlsx": FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "XLSX"),
}
# Limits on an Office package's zip before anything is unpacked (zip bombs, absurd entry counts).
OOXML_MAX_ENTRIES = 5000
OOXML_MAX_UNPACKED_BYTES = 512 * 1024 * 1024


class UploadError(UserError):
    """A file the pipeline refuses; nothing was stored."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    file_type: FileType
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def allowed_types() -> list[FileType]:
    return [FILE_TYPES[key] for key in settings.MOTCUA_UPLOAD_ALLOWED_TYPES if key in FILE_TYPES]


def accept_attribute() -> str:
    """For `<input type=file accept=…>` (a hint to the browser; the server checks the content)."""
    extensions = {t.extension for t in allowed_types()} | ({".jpeg"} if "jpeg" in
                                                           settings.MOTCUA_UPLOAD_ALLOWED_TYPES else set())
    return ",".join(sorted(extensions))


def too_large(name: str, size: int) -> UploadError | None:
    """The per-file size check, usable before the content is read into memory."""
    limit = settings.MOTCUA_UPLOAD_MAX_FILE_BYTES
    if size <= limit:
        return None
    return UploadError("too_large", f"Tệp {name} lớn hơn giới hạn {_megabytes(limit)}.",
                       f"The file {name} is larger than the {_megabytes(limit)} limit.")


def check_total(sizes: Iterable[int]) -> None:
    """The per-dossier limit: all files of one dossier together."""
    total, limit = sum(sizes), settings.MOTCUA_UPLOAD_MAX_DOSSIER_BYTES
    if total > limit:
        raise UploadError("dossier_too_large",
                          f"Tổng dung lượng các tệp của hồ sơ ({_megabytes(total)}) vượt giới hạn {_megabytes(limit)}.",
                          f"The files of this dossier together ({_megabytes(total)}) exceed the "
                          f"{_megabytes(limit)} limit.")


def _ooxml_kind(content: bytes) -> str | None:
    """'docx' or 'xlsx' when CONTENT is an Office Open XML package of that kind (names only: nothing is unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if len(entries) > OOXML_MAX_ENTRIES or sum(e.file_size for e in entries) > OOXML_MAX_UNPACKED_BYTES:
        raise UploadError("archive_too_large",
                          "Tệp Office có cấu trúc bất thường (quá nhiều hoặc quá lớn khi giải nén).",
                          "The Office file has an abnormal structure (too many parts or too large unpacked).")
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise UploadError("macro", "Không nhận tệp Office có chứa macro.", "Office files with macros are not accepted.")
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


_SIGNATURES = (("pdf", b"%PDF"), ("png", b"\x89PNG\r\n\x1a\n"), ("jpeg", b"\xff\xd8\xff"))


def detect_type(content: bytes) -> tuple[FileType | None, str]:
    """The type of CONTENT from its bytes (and, for zips, the package structure): (known type or None, what was
    detected, for the error message)."""
    if content.startswith(b"PK\x03\x04"):
        kind = _ooxml_kind(content)
        return (FILE_TYPES[kind], kind) if kind else (None, "zip")
    # The signatures puremagic knows these types by (at offset 0); checked first, so that puremagic's walk over
    # its whole table (about 1 ms a file) is only needed to name what a refused file is.
    for key, signature in _SIGNATURES:
        if content.startswith(signature):
            return FILE_TYPES[key], key
    try:
        matches = puremagic.magic_string(content)
    except puremagic.PureError:
        return None, ""
    # For the message only: the likeliest match that names a MIME type (puremagic also knows many obscure ones).
    best = max(matches, key=lambda m: (bool(m.mime_type), m.confidence)) if matches else None
    return None, (best.extension.lstrip(".") if best is not None else "")


_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_name(name: str, file_type: FileType) -> str:
    """A display/download name: no folders, no control or bidi characters, the detected type's extension."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    stem = _UNSAFE.sub("_", PurePath(base).stem).strip(" ._")[:150] or "tep"
    return stem + file_type.extension


def check_upload(name: str, content: bytes, *, digest: str | None = None) -> CheckedFile:
    """Refuse an empty, too large or not allowed file (type from the content); raise `UploadError`. DIGEST: the
    SHA-256 (hex) of CONTENT when the caller has it already (it is not computed twice)."""
    shown = PurePath(name.replace("\\", "/")).name[:100] or "tep"
    if not content:
        raise UploadError("empty", f"Tệp {shown} rỗng.", f"The file {shown} is empty.")
    error = too_large(shown, len(content))
    if error is not None:
        raise error
    file_type, detected = detect_type(content)
    allowed = allowed_types()
    if file_type is None or file_type not in allowed:
        labels = ", ".join(t.label for t in allowed)
        found_vi = f" (nội dung là {detected.upper()})" if detected else ""
        found_en = f" (its content is {detected.upper()})" if detected else ""
        raise UploadError("type_not_allowed",
                          f"Tệp {shown} không đúng định dạng cho phép{found_vi}. Chỉ nhận: {labels}.",
                          f"The file {shown} is not of an allowed type{found_en}. Accepted: {labels}.")
    if file_type.key == "pdf":
        refuse_active_pdf(shown, content)
    return CheckedFile(name=safe_name(name, file_type), content=content, file_type=file_type,
                       sha256=digest or hashlib.sha256(content).hexdigest())


# --- active content in PDFs ---------------------------------------------------------------------------

# Action types that run something in the reader (JavaScript, another program, an import of data, a form sent
# somewhere, rich media) rather than show or move within the document. Links (/URI) and page jumps (/GoTo) are
# fine. They are refused wherever they sit: /OpenAction, /AA (additional actions of the document, a page, a field
# or an annotation), a link's /A, the document's /Names /JavaScript tree.
ACTIVE_PDF_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute"})
_RAW_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|ImportData|SubmitForm|RichMediaExecute)(?![A-Za-z0-9])")
_MAX_DEPTH = 64


def _active_in(obj: object, depth: int = 0) -> str | None:
    """The active content in OBJ and the direct objects inside it (indirect ones are walked on their own)."""
    import pikepdf

    if depth > _MAX_DEPTH:
        return None
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        if "/JS" in obj or "/JavaScript" in obj:  # a script, or the /Names tree of document-level scripts
            return "JavaScript"
        action = obj.get("/S")
        if isinstance(action, pikepdf.Name) and str(action) in ACTIVE_PDF_ACTIONS:
            return str(action)[1:]
        values: list[object] = [value for _key, value in obj.items()]
    elif isinstance(obj, pikepdf.Array):
        values = list(obj)
    else:
        return None
    for value in values:
        if isinstance(value, pikepdf.Object) and value.is_indirect:
            continue
        found = _active_in(value, depth + 1)
        if found:
            return found
    return None


def _raw_name(match: bytes) -> str:
    name = match.decode("ascii").lstrip("/")
    return "JavaScript" if name == "JS" else name


def _walk(document: object) -> str | None:
    for obj in document.objects:  # type: ignore[attr-defined]
        found = _active_in(obj)
        if found:
            return found
    return None


def _named(content: bytes) -> re.Match[bytes] | None:
    decoded = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), content)
    return _RAW_ACTIVE.search(decoded)


def active_pdf_content(content: bytes) -> str | None:
    """What active content a PDF carries ("JavaScript", "Launch", …), "password" when it cannot be opened
    without one (so neither checked nor read by the clerk), or None.

    qpdf (pikepdf) reads the file, repairing it if need be, and writes it out again with every object in the
    open: objects packed in compressed object streams are unpacked and names lose their #-escapes, so the names
    of active content show as plain bytes. Only when they do (they may also be chance bytes of compressed data)
    is every object walked to be sure, which takes longer. A file qpdf cannot read at all is searched as it is,
    since some reader may still repair and run it."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(content)) as document:
            unpacked = io.BytesIO()
            document.save(unpacked, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                          stream_decode_level=pikepdf.StreamDecodeLevel.none, fix_metadata_version=False)
            return _walk(document) if _named(unpacked.getvalue()) else None
    except pikepdf.PasswordError:
        return "password"
    except pikepdf.PdfError:
        match = _named(content)
        return None if match is None else _raw_name(match.group(0))


def refuse_active_pdf(shown: str, content: bytes) -> None:
    """Raise `UploadError` when the PDF CONTENT carries active content or cannot be opened without a password."""
    found = active_pdf_content(content)
    if found == "password":
        raise UploadError("pdf_password", f"Tệp {shown} được đặt mật khẩu nên không mở được. Vui lòng nộp bản "
                                          "PDF không đặt mật khẩu.",
                          f"The file {shown} is protected by a password and cannot be opened. Attach a PDF "
                          "without a password.")
    if found:
        raise UploadError("active_content",
                          f"Tệp {shown} chứa nội dung tự chạy ({found}) nên không được nhận. Vui lòng in lại "
                          "thành PDF thường (Print to PDF) hoặc quét giấy tờ, rồi đính kèm lại.",
                          f"The file {shown} contains active content ({found}) and is not accepted. Print it "
                          "again as a plain PDF (Print to PDF) or scan the paper, then attach it again.")


# --- storing ---------------------------------------------------------------------------------------

def scanner_configured() -> bool:
    return settings.MOTCUA_VIRUS_SCAN and bool(settings.MOTCUA_CLAMD_SOCKET or settings.MOTCUA_CLAMD_HOST)


def _write_once(name: str, content: bytes) -> None:
    """Put CONTENT at NAME unless it is there already (same name, same bytes: content addressing)."""
    if default_storage.exists(name):
        return
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:  # a concurrent upload of the same content won the race: keep one copy
        default_storage.delete(saved)


def store_blob(checked: CheckedFile) -> Blob:
    """Keep CHECKED's content once and return its blob (see `store_blobs`)."""
    return store_blobs([checked])[0]


def store_blobs(items: list[CheckedFile]) -> list[Blob]:
    """Keep each content once and return the blobs, in the order of ITEMS. Content known to be infected is refused
    (`UploadError`; the transaction's writes are undone by the caller's rollback); the blobs still waiting for
    their scan are queued after commit, together in one job. Statements: one INSERT of every content that is not
    there yet (a conflict leaves the row as it is), one SELECT of them all."""
    if not items:
        return []
    by_digest = {item.sha256: item for item in items}
    state = ScanState.PENDING if scanner_configured() else ScanState.NOT_SCANNED
    # Known content (or a concurrent upload of the same) keeps its row, read below with the new ones.
    written = {digest: Blob(sha256=digest, size=item.size, content_type=item.file_type.content_type,
                            scan_state=state) for digest, item in by_digest.items()}
    fastsql.insert_many(list(written.values()), ignore_conflicts=True)  # bulk_create without the query building
    blobs = {blob.sha256: blob for blob in Blob.objects.filter(sha256__in=list(by_digest))}
    # The rows this call wrote carry its creation time to the microsecond (a row kept from before, or a concurrent
    # upload's, has its own): only those are queued for their scan, once.
    new = [blob.pk for digest, blob in blobs.items() if blob.created_at == written[digest].created_at]
    for item in items:
        if blobs[item.sha256].scan_state == ScanState.INFECTED:
            raise infected_error(item.name)  # known, or stored and scanned concurrently meanwhile
    for digest, item in by_digest.items():  # nothing of an infected upload reaches the storage
        _write_once(cas_name(digest), item.content)
    queued = [pk for pk in new if state == ScanState.PENDING]
    if queued:
        transaction.on_commit(lambda: schedule_scans(queued), robust=True)
    return [blobs[item.sha256] for item in items]


def infected_error(name: str) -> UploadError:
    return UploadError("infected", f"Tệp {name} bị từ chối: nhiễm mã độc.",
                       f"The file {name} was rejected: it contains malware.")


def schedule_scan(blob_id: int, at: dt.datetime | None = None) -> None:
    schedule_scans([blob_id], at)


def schedule_scans(blob_ids: list[int], at: dt.datetime | None = None) -> None:
    """Queue one job that scans all of BLOB_IDS (a dossier's new files), at once or not before AT."""
    from motcua.documents.tasks import scan_blobs_task

    if not blob_ids:
        return
    task = scan_blobs_task
    if at is not None:
        if not task.get_backend().supports_defer:
            return  # `manage.py rescan_uploads` (run periodically) picks it up
        task = task.using(run_after=at)
    task.enqueue(list(blob_ids))


def open_blob(blob: Blob) -> IO[bytes]:
    return default_storage.open(blob.storage_name, "rb")


# --- scanning --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScanVerdict:
    infected: bool
    signature: str = ""


class ScannerUnavailable(Exception):
    """clamd could not be reached or broke off (worth a retry)."""


class ScannerRefused(Exception):
    """clamd answered with an error for this content (e.g. larger than its StreamMaxLength): retrying is useless."""


def scan_stream(stream: IO[bytes]) -> ScanVerdict:
    """Send STREAM to clamd (INSTREAM) and read its verdict."""
    from clamav_client.clamd import (
        BufferTooLongError,
        ClamdError,
        ClamdNetworkSocket,
        ClamdUnixSocket,
        CommunicationError,
        ResponseError,
    )

    timeout = settings.MOTCUA_CLAMD_TIMEOUT
    client = (ClamdUnixSocket(settings.MOTCUA_CLAMD_SOCKET, timeout=timeout) if settings.MOTCUA_CLAMD_SOCKET
              else ClamdNetworkSocket(settings.MOTCUA_CLAMD_HOST, settings.MOTCUA_CLAMD_PORT, timeout=timeout))
    try:
        result = client.instream(cast(BinaryIO, stream))
    except BufferTooLongError as exc:
        raise ScannerRefused("larger than clamd's StreamMaxLength") from exc
    except ResponseError as exc:
        raise ScannerRefused(str(exc) or "clamd answered ERROR") from exc
    except (CommunicationError, ClamdError, OSError) as exc:
        # OSError: a stream over StreamMaxLength makes clamd hang up mid-send (BrokenPipeError, not a ClamdError).
        raise ScannerUnavailable(str(exc) or type(exc).__name__) from exc
    if not result:
        raise ScannerUnavailable("clamd gave no answer")
    status, signature = next(iter(result.values()))
    if status == "FOUND":
        return ScanVerdict(infected=True, signature=signature or "")
    if status == "OK":
        return ScanVerdict(infected=False)
    raise ScannerRefused(f"clamd answered {status} {signature or ''}".strip())


def scan_blob(blob_id: int) -> str:
    """Scan one pending blob and record the verdict; retry later when clamd is unavailable, up to
    MOTCUA_CLAMD_MAX_ATTEMPTS, then mark it failed (fail closed). Returns the new state."""
    state, retry_at = _scan_one(blob_id)
    if retry_at is not None:
        schedule_scan(blob_id, retry_at)
    return state


def scan_blobs(blob_ids: list[int]) -> dict[int, str]:
    """Scan each pending blob of BLOB_IDS in turn (as `scan_blob`); those to retry are queued again together, in
    one job, when the last of them is due. Returns the new state of each. One blob's unexpected error does not
    keep the others from being scanned (it is raised once they are; that blob stays pending for a rescan)."""
    states: dict[int, str] = {}
    retries: list[tuple[int, dt.datetime]] = []
    error: Exception | None = None
    for blob_id in dict.fromkeys(blob_ids):
        try:
            states[blob_id], retry_at = _scan_one(blob_id)
        except Exception as exc:  # re-raised below, after the other blobs
            logger.exception("Scanning upload %s failed unexpectedly", blob_id)
            error = error or exc
            continue
        if retry_at is not None:
            retries.append((blob_id, retry_at))
    if retries:
        schedule_scans([blob_id for blob_id, _at in retries], max(at for _id, at in retries))
    if error is not None:
        raise error
    return states


def _scan_one(blob_id: int) -> tuple[str, dt.datetime | None]:
    """Scan one blob if it is pending: (its new state, when to try again or None)."""
    blob = Blob.objects.filter(pk=blob_id).first()
    if blob is None or blob.scan_state != ScanState.PENDING:
        return (blob.scan_state if blob else "missing"), None
    now = timezone.now()
    try:
        with open_blob(blob) as stream:
            verdict = scan_stream(stream)
    except ScannerRefused as exc:
        return _scan_failed(blob, str(exc), now, final=True)
    except (ScannerUnavailable, OSError) as exc:
        return _scan_failed(blob, str(exc), now, final=False)
    if verdict.infected:
        logger.warning("Upload %s is infected (%s); its content is deleted", blob.sha256, verdict.signature)
        Blob.objects.filter(pk=blob.pk).update(scan_state=ScanState.INFECTED, scan_signature=verdict.signature[:255],
                                               scanned_at=now, scan_attempts=blob.scan_attempts + 1, scan_error="")
        default_storage.delete(blob.storage_name)
        return ScanState.INFECTED, None
    Blob.objects.filter(pk=blob.pk).update(scan_state=ScanState.CLEAN, scanned_at=now, scan_error="",
                                           scan_attempts=blob.scan_attempts + 1)
    return ScanState.CLEAN, None


def _scan_failed(blob: Blob, error: str, now: dt.datetime, *, final: bool) -> tuple[str, dt.datetime | None]:
    attempts = blob.scan_attempts + 1
    final = final or attempts >= settings.MOTCUA_CLAMD_MAX_ATTEMPTS
    state = ScanState.FAILED if final else ScanState.PENDING
    logger.warning("Scanning upload %s failed (attempt %d%s): %s", blob.sha256, attempts,
                   ", giving up" if final else "", error)
    Blob.objects.filter(pk=blob.pk).update(scan_state=state, scan_attempts=attempts, scan_error=error[:500])
    if final:
        return state, None
    return state, now + dt.timedelta(seconds=settings.MOTCUA_CLAMD_RETRY_SECONDS * attempts)


def rescan(*, include_failed: bool = False, include_unscanned: bool = False) -> int:
    """Queue every pending blob again (and failed / never scanned ones when asked): for a periodic run, or after
    clamd was down or first configured. Returns how many were queued."""
    states = [ScanState.PENDING]
    if include_failed:
        states.append(ScanState.FAILED)
    if include_unscanned:
        states.append(ScanState.NOT_SCANNED)
    ids = list(Blob.objects.filter(scan_state__in=states).values_list("pk", flat=True))
    Blob.objects.filter(pk__in=ids).update(scan_state=ScanState.PENDING, scan_attempts=0)
    for pk in ids:
        schedule_scan(pk)
    return len(ids)
