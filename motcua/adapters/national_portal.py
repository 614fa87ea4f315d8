"""Messages of the national public-service portal (Cổng DVCQG) integration API: builders and parsers.

Pure functions over plain data: no HTTP, no Django, no database. The HTTP client (retries, circuit breaker, evidence
log) and the outbound queue live elsewhere in ``motcua.integrations``; the simulator in ``simulators/`` speaks the
same messages through this module.

Source: /work/shared/reference/national-integrations.md §0 and §1 (OpenCPS v2 and an independent C# client).
Every shape is tagged with its evidence level in ``EVIDENCE``; the ones the reference does not evidence are tagged
``GUESSED`` here and in docs/integrations-national-portal.md, and must be checked against the operator's onboarding
document before going live.

Wire conventions (reference §0): one JSON object per POST, the operation named in ``"service"``, ``"session"`` and
``"madonvi"`` next to it, a header ``dstcode`` on every call; answers ``{"error_code", "message", "result"}`` with
``error_code`` 0 for success (``0``, ``"0"`` and ``"00"`` all accepted); date-times ``yyyyMMddHHmmss`` in
Asia/Ho_Chi_Minh, ``""`` for unknown; booleans ``"True"``/``"False"``; numbers and codes as strings.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

# --- Evidence markers ----------------------------------------------------------------------------------------------

EVIDENCED: Final = "evidenced"
CORROBORATED: Final = "corroborated"
GUESSED: Final = "guessed"
"""Marker for a shape no public source shows: an assumption to confirm with the portal's operator."""

EVIDENCE: Final[Mapping[str, str]] = {
    "transport: JSON POST, service field, dstcode header": EVIDENCED,
    "session log-in body {username, password} and answer {error_code, session, message}": EVIDENCED,
    "session lifetime (10 minutes, cached by the client; no refresh)": EVIDENCED,
    "session expiry in the log-in answer (none sent; the client computes it)": GUESSED,
    "answer envelope {error_code, message, result}, 0/'0'/'00' = success": CORROBORATED,
    "error_code -1 for a generic refusal": EVIDENCED,
    "error codes for session expired, unknown dossier, invalid field, duplicate": GUESSED,
    "DongBoHoSoMC dossier object fields": CORROBORATED,
    "HinhThuc 0 = at the counter, 1 = by post": GUESSED,
    "CapNhatTienDoHoSoMC progress object fields": EVIDENCED,
    "TrangThaiHoSo codes 1-10": CORROBORATED,
    "TrangThaiHoSo official wording": GUESSED,
    "TraCuuHoSo {mahoso} -> non-empty result when the portal holds the dossier": EVIDENCED,
    "LayThuTuc {maTTHC} -> procedure object": EVIDENCED,
    "yyyyMMddHHmmss in Asia/Ho_Chi_Minh, '' for unknown": CORROBORATED,
    "out-of-order progress steps are accepted and flagged": GUESSED,
    "TraCuuHoSo result[0] is the stored dossier object (DongBoHoSoMC names)": GUESSED,
    "TraCuuHoSo shows the received progress steps (LOOKUP_PROGRESS_FIELD)": GUESSED,
}

# --- Constants -----------------------------------------------------------------------------------------------------

PORTAL_TIME_ZONE: Final = ZoneInfo("Asia/Ho_Chi_Minh")
PORTAL_DATETIME_FORMAT: Final = "%Y%m%d%H%M%S"
SESSION_LIFETIME: Final = timedelta(minutes=10)  # OpenCPS caches the session this long, then logs in again [E]
TEXT_LIMIT: Final = 2000  # longer TrichYeuHoSo/GhiChu were rejected by the portal [E]

SERVICE_SYNC_DOSSIER: Final = "DongBoHoSoMC"
SERVICE_UPDATE_PROGRESS: Final = "CapNhatTienDoHoSoMC"
SERVICE_LOOKUP_DOSSIER: Final = "TraCuuHoSo"
SERVICE_GET_PROCEDURE: Final = "LayThuTuc"
SERVICE_LIST_AGENCIES: Final = "LayDanhMucCoQuan"

ERROR_CODE_SUCCESS: Final = 0  # [C]
ERROR_CODE_FAILURE: Final = -1  # generic refusal, as in the portal's inbound replies [E]
# GUESSED: the reference shows no distinct codes for these cases. One place to change once the onboarding
# document gives the real ones.
ERROR_CODE_SESSION_EXPIRED: Final = -2  # GUESSED
ERROR_CODE_UNKNOWN_DOSSIER: Final = -3  # GUESSED
ERROR_CODE_INVALID_FIELD: Final = -4  # GUESSED
ERROR_CODE_DUPLICATE: Final = 2  # GUESSED: "already received"; the data is stored, treat as acknowledged

STATUS_CODES: Final[Mapping[str, str]] = {  # TrangThaiHoSo [C]; wording is best evidence, not official [GUESSED]
    "1": "Mới đăng ký, chờ tiếp nhận",
    "2": "Được tiếp nhận",
    "3": "Không được tiếp nhận",
    "4": "Đang xử lý",
    "5": "Yêu cầu bổ sung giấy tờ",
    "6": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "7": "Công dân yêu cầu rút hồ sơ",
    "8": "Dừng xử lý",
    "9": "Đã có kết quả, chờ trả",
    "10": "Đã trả kết quả",
}

# motcua dossier status -> TrangThaiHoSo. Seeded from the OpenCPS mapping (reference §1.4); a province may override
# it per status, as OpenCPS allows per sub-status.
DEFAULT_STATUS_MAPPING: Final[Mapping[str, str]] = {
    "submitted": "1",
    "received": "2",
    "processing": "4",
    "in_other_agency": "4",
    "awaiting_supplement": "5",
    "paused_for_fees": "6",
    "result_ready": "9",
    "returned": "10",
    "refused": "3",
    "withdrawn": "7",
    "cancelled": "7",
    "stopped": "8",
}

DEFAULT_PROCEDURE_MAPPING: Final[Mapping[str, str]] = {}
"""Local procedure code -> national ``MaTTHC``. motcua catalogues procedures under their national code, so the
default is the identity (an empty table); a province adds rows for local codes or locality-suffixed national codes
such as ``3.000181.000.00.00.H22`` (reference §1.5)."""


# --- Errors --------------------------------------------------------------------------------------------------------


class PortalMessageError(ValueError):
    """A body that is not a well-formed portal message (not JSON, wrong shape, bad date or code)."""


class PortalMappingError(KeyError):
    """A local value (status, procedure) with no entry in the mapping table."""


# --- Dates, booleans, text -----------------------------------------------------------------------------------------


def format_portal_datetime(moment: datetime | None) -> str:
    """``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh; ``""`` for unknown. Naive datetimes are refused."""
    if moment is None:
        return ""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a portal date-time needs a time zone")
    return moment.astimezone(PORTAL_TIME_ZONE).strftime(PORTAL_DATETIME_FORMAT)


def parse_portal_datetime(text: object) -> datetime | None:
    """The inverse of ``format_portal_datetime``: an aware datetime in Asia/Ho_Chi_Minh, ``None`` for ``""``."""
    if text == "" or text is None:
        return None
    if not isinstance(text, str) or len(text) != 14 or not text.isdigit():
        raise PortalMessageError(f"not a yyyyMMddHHmmss date-time: {text!r}")
    try:
        naive = datetime.strptime(text, PORTAL_DATETIME_FORMAT)  # noqa: DTZ007 - the zone is attached just below
    except ValueError as exc:
        raise PortalMessageError(f"not a yyyyMMddHHmmss date-time: {text!r}") from exc
    return naive.replace(tzinfo=PORTAL_TIME_ZONE)


def format_bool(value: bool) -> str:
    return "True" if value else "False"


def parse_bool(value: object) -> bool:
    if value in ("True", "true", True):
        return True
    if value in ("False", "false", False, "", None):
        return False
    raise PortalMessageError(f"not a portal boolean: {value!r}")


def _short(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def map_status(local_status: str, table: Mapping[str, str] = DEFAULT_STATUS_MAPPING) -> str:
    try:
        return table[local_status]
    except KeyError:
        raise PortalMappingError(f"no TrangThaiHoSo for status {local_status!r}") from None


def map_procedure_code(local_code: str, table: Mapping[str, str] = DEFAULT_PROCEDURE_MAPPING) -> str:
    return table.get(local_code, local_code)


# --- Data ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmittedFile:
    """``TaiLieuNop[]``: the portal downloads the file from ``url``."""

    file_id: str
    name: str
    document_code: str = ""  # MaThanhPhanHoSo
    url: str = ""
    is_deleted: bool = False


@dataclass(frozen=True)
class ResultDocument:
    """``DanhSachGiayToKetQua[]``."""

    document_id: str
    name: str
    document_code: str = ""
    url: str = ""


@dataclass(frozen=True)
class Fee:
    """``DanhSachLePhi[]``; ``kind`` is LoaiPhiLePhi ("1" fee, "2" charge), ``amount`` whole VND."""

    name: str
    code: str = ""
    collection_method: str = ""  # HinhThucThu
    amount: int = 0
    kind: str = "1"


@dataclass(frozen=True)
class OtherAttachment:
    """``DanhSachTepDinhKemKhac[]``."""

    name: str
    quantity: int = 1
    kind: str = ""


@dataclass(frozen=True)
class Supplement:
    """``DanhSachHoSoBoSung[]``: one supplement request and its answer."""

    supplement_id: str
    requested_by: str
    content: str
    requested_at: datetime | None
    received_by: str = ""
    receipt_note: str = ""
    received_at: datetime | None = None
    status: str = ""  # TrangThaiBoSung
    documents: tuple[SubmittedFile, ...] = ()
    fees: tuple[Fee, ...] = ()
    previous_due_at: datetime | None = None
    new_due_at: datetime | None = None


@dataclass(frozen=True)
class PortalDossier:
    """One ``DongBoHoSoMC`` dossier object (reference §1.1); ``status_code`` is already a TrangThaiHoSo code."""

    code: str  # MaHoSo, the idempotency key
    procedure_code: str  # MaTTHC
    procedure_name: str
    field_code: str  # MaLinhVuc
    field_name: str
    applicant_name: str  # ChuHoSo
    applicant_kind: str  # LoaiDoiTuong "1" citizen, "2" business
    received_at: datetime | None
    due_at: datetime | None
    status_code: str
    handling_agency: str  # DonViXuLy
    applicant_id: str = ""  # MaDoiTuong: portal TechID, else ID number or ""
    by_post: bool = False  # HinhThuc "1" / "0" [GUESSED meaning]
    receipt_number: str = ""
    other_info: str = ""
    email: str = ""
    fax: str = ""
    phone: str = ""
    summary: str = ""  # TrichYeuHoSo
    returned_at: datetime | None = None  # NgayTra
    return_info: str = ""  # ThongTinTra
    finished_at: datetime | None = None  # NgayKetThucXuLy
    note: str = ""  # GhiChu
    files: tuple[SubmittedFile, ...] = ()
    results: tuple[ResultDocument, ...] = ()
    fees: tuple[Fee, ...] = ()
    other_attachments: tuple[OtherAttachment, ...] = ()
    supplements: tuple[Supplement, ...] = ()


@dataclass(frozen=True)
class ProgressStep:
    """One ``CapNhatTienDoHoSoMC`` progress object (reference §1.2).

    The portal's progress object has no fee, supplement or result fields: those travel in the dossier object, which
    is resent with every step (reference §1.3)."""

    dossier_code: str  # MaHoSo
    handler: str  # NguoiXuLy
    handled_at: datetime  # ThoiDiemXuLy
    status_code: str  # TrangThai
    action: str  # NoiDungXuLy = "action name - note"
    handler_title: str = ""  # ChucDanh
    department: str = ""  # PhongBanXuLy
    started_at: datetime | None = None  # NgayBatDau
    due_at: datetime | None = None  # NgayKetThucTheoQuyDinh


@dataclass(frozen=True)
class PortalSession:
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class PortalAnswer:
    error_code: int
    message: str
    result: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_code == ERROR_CODE_SUCCESS

    @property
    def duplicate(self) -> bool:
        return self.error_code == ERROR_CODE_DUPLICATE

    @property
    def accepted(self) -> bool:
        """Stored by the portal: success, or a duplicate acknowledgement of data it already had."""
        return self.ok or self.duplicate

    @property
    def session_expired(self) -> bool:
        return self.error_code == ERROR_CODE_SESSION_EXPIRED


@dataclass(frozen=True)
class PortalRequest:
    service: str
    session: str
    agency_code: str  # madonvi
    fields: Mapping[str, Any]


# --- Builders ------------------------------------------------------------------------------------------------------


def build_headers(dstcode: str) -> dict[str, str]:
    return {"Content-Type": "application/json; charset=utf-8", "dstcode": dstcode}


def encode(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def build_login_request(username: str, password: str) -> dict[str, str]:
    return {"username": username, "password": password}


def _operation(service: str, session: str, agency_code: str, **fields: Any) -> dict[str, Any]:
    return {"service": service, "session": session, "madonvi": agency_code, **fields}


def _file(item: SubmittedFile) -> dict[str, str]:
    return {
        "TepDinhKemId": item.file_id,
        "TenTepDinhKem": item.name,
        "IsDeleted": format_bool(item.is_deleted),
        "MaThanhPhanHoSo": item.document_code,
        "DuongDanTaiTepTin": item.url,
    }


def _fee(item: Fee) -> dict[str, str]:
    return {
        "TenPhiLePhi": item.name,
        "MaPhiLePhi": item.code,
        "HinhThucThu": item.collection_method,
        "Gia": str(item.amount),
        "LoaiPhiLePhi": item.kind,
    }


def _supplement(item: Supplement) -> dict[str, Any]:
    return {
        "HoSoBoSungId": item.supplement_id,
        "NguoiYeuCauBoSung": item.requested_by,
        "NoiDungBoSung": _short(item.content),
        "NgayBoSung": format_portal_datetime(item.requested_at),
        "NguoiTiepNhanBoSung": item.received_by,
        "ThongTinTiepNhan": item.receipt_note,
        "NgayTiepNhanBoSung": format_portal_datetime(item.received_at),
        "TrangThaiBoSung": item.status,
        "DanhSachGiayToBoSung": [_file(f) for f in item.documents],
        "DanhSachLePhiBoSung": [_fee(f) for f in item.fees],
        "NgayHenTraTruoc": format_portal_datetime(item.previous_due_at),
        "NgayHenTraMoi": format_portal_datetime(item.new_due_at),
    }


def dossier_object(dossier: PortalDossier) -> dict[str, Any]:
    """The ``DongBoHoSoMC`` item for one dossier, with every field of reference §1.1."""
    if dossier.status_code not in STATUS_CODES:
        raise ValueError(f"not a TrangThaiHoSo code: {dossier.status_code!r}")
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure_code,
        "TenTTHC": dossier.procedure_name,
        "MaLinhVuc": dossier.field_code,
        "TenLinhVuc": dossier.field_name,
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": dossier.applicant_kind,
        "MaDoiTuong": dossier.applicant_id,
        "NgayTiepNhan": format_portal_datetime(dossier.received_at),
        "NgayHenTra": format_portal_datetime(dossier.due_at),
        "TrangThaiHoSo": dossier.status_code,
        "HinhThuc": "1" if dossier.by_post else "0",
        "DonViXuLy": dossier.handling_agency,
        "SoBienNhan": dossier.receipt_number,
        "ThongTinKhac": dossier.other_info,
        "Email": dossier.email,
        "Fax": dossier.fax,
        "SoDienThoai": dossier.phone,
        "TrichYeuHoSo": _short(dossier.summary),
        "NgayTra": format_portal_datetime(dossier.returned_at),
        "ThongTinTra": dossier.return_info,
        "NgayKetThucXuLy": format_portal_datetime(dossier.finished_at),
        "GhiChu": _short(dossier.note),
        "TaiLieuNop": [_file(f) for f in dossier.files],
        "DanhSachGiayToKetQua": [
            {
                "GiayToId": r.document_id,
                "TenGiayTo": r.name,
                "MaThanhPhanHoSo": r.document_code,
                "DuongDanTepTinKetQua": r.url,
            }
            for r in dossier.results
        ],
        "DanhSachLePhi": [_fee(f) for f in dossier.fees],
        "DanhSachTepDinhKemKhac": [
            {"TenGiayTo": a.name, "SoLuong": str(a.quantity), "LoaiGiayTo": a.kind} for a in dossier.other_attachments
        ],
        "DanhSachHoSoBoSung": [_supplement(s) for s in dossier.supplements],
    }


def build_sync_dossier_request(
    session: str, agency_code: str, dossiers: Sequence[PortalDossier], *, is_updating: bool
) -> dict[str, Any]:
    """``DongBoHoSoMC``: ``is_updating`` is True when ``TraCuuHoSo`` found the dossier already (reference §1.3)."""
    return _operation(
        SERVICE_SYNC_DOSSIER,
        session,
        agency_code,
        isUpdating=format_bool(is_updating),
        data=[dossier_object(d) for d in dossiers],
    )


def progress_object(step: ProgressStep) -> dict[str, str]:
    if step.status_code not in STATUS_CODES:
        raise ValueError(f"not a TrangThaiHoSo code: {step.status_code!r}")
    return {
        "MaHoSo": step.dossier_code,
        "NguoiXuLy": step.handler,
        "ChucDanh": step.handler_title,
        "ThoiDiemXuLy": format_portal_datetime(step.handled_at),
        "PhongBanXuLy": step.department,
        "NoiDungXuLy": _short(step.action),
        "TrangThai": step.status_code,
        "NgayBatDau": format_portal_datetime(step.started_at),
        "NgayKetThucTheoQuyDinh": format_portal_datetime(step.due_at),
    }


def build_progress_request(session: str, agency_code: str, steps: Sequence[ProgressStep]) -> dict[str, Any]:
    """``CapNhatTienDoHoSoMC``: send only after ``DongBoHoSoMC`` was accepted (reference §1.3)."""
    return _operation(SERVICE_UPDATE_PROGRESS, session, agency_code, data=[progress_object(s) for s in steps])


def build_status_change_requests(
    session: str, agency_code: str, dossier: PortalDossier, step: ProgressStep, *, is_updating: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The pair sent on every status change (reference §1.3): the dossier object (which carries the supplements, fees
    and results) and then the progress step; send the second only if the portal accepted the first."""
    if step.dossier_code != dossier.code:
        raise ValueError(f"the step is for {step.dossier_code!r}, the dossier is {dossier.code!r}")
    if step.status_code != dossier.status_code:
        raise ValueError(f"the step's status {step.status_code!r} differs from the dossier's {dossier.status_code!r}")
    return (
        build_sync_dossier_request(session, agency_code, [dossier], is_updating=is_updating),
        build_progress_request(session, agency_code, [step]),
    )


def build_lookup_request(session: str, agency_code: str, dossier_code: str) -> dict[str, Any]:
    return _operation(SERVICE_LOOKUP_DOSSIER, session, agency_code, mahoso=dossier_code)


def build_procedure_request(session: str, agency_code: str, procedure_code: str) -> dict[str, Any]:
    return _operation(SERVICE_GET_PROCEDURE, session, agency_code, maTTHC=procedure_code)


def build_answer(error_code: int, message: str = "", result: Sequence[Any] = ()) -> dict[str, Any]:
    return {"error_code": error_code, "message": message, "result": list(result)}


def build_login_answer(token: str, message: str = "") -> dict[str, Any]:
    return {"error_code": ERROR_CODE_SUCCESS, "session": token, "message": message}


# --- Parsers -------------------------------------------------------------------------------------------------------


def decode(body: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    """A JSON object from a body; anything else raises ``PortalMessageError``."""
    if isinstance(body, Mapping):
        return dict(body)
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PortalMessageError(f"the body is not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise PortalMessageError("the body is not a JSON object")
    return value


def _error_code(value: object) -> int:
    if isinstance(value, bool):
        raise PortalMessageError(f"error_code is not a number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())  # "0" and "00" are both success [C]
        except ValueError:
            pass
    raise PortalMessageError(f"error_code is not a number: {value!r}")


def parse_answer(body: bytes | str | Mapping[str, Any]) -> PortalAnswer:
    data = decode(body)
    if "error_code" not in data:
        raise PortalMessageError("the answer has no error_code")
    result = data.get("result")
    if result is None:
        result = []
    if not isinstance(result, list):
        raise PortalMessageError("the answer's result is not a list")
    message = data.get("message")
    return PortalAnswer(_error_code(data["error_code"]), "" if message is None else str(message), result)


def parse_login_answer(
    body: bytes | str | Mapping[str, Any], *, now: datetime, lifetime: timedelta = SESSION_LIFETIME
) -> PortalSession:
    """The session token; its expiry is computed here, since the portal sends none (GUESSED that it never does)."""
    data = decode(body)
    answer = parse_answer({**data, "result": None})
    if not answer.ok:
        raise PortalMessageError(f"log-in refused ({answer.error_code}): {answer.message}")
    token = data.get("session")
    if not isinstance(token, str) or not token:
        raise PortalMessageError("the log-in answer has no session")
    return PortalSession(token=token, expires_at=now + lifetime)


def parse_login_request(body: bytes | str | Mapping[str, Any]) -> tuple[str, str]:
    data = decode(body)
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise PortalMessageError("the log-in request needs username and password")
    return username, password


def parse_request(body: bytes | str | Mapping[str, Any]) -> PortalRequest:
    data = decode(body)
    service, session, agency = data.pop("service", None), data.pop("session", None), data.pop("madonvi", None)
    if not isinstance(service, str) or not service:
        raise PortalMessageError("the request has no service")
    if not isinstance(session, str):
        raise PortalMessageError("the request has no session")
    if not isinstance(agency, str):
        raise PortalMessageError("the request has no madonvi")
    return PortalRequest(service, session, agency, data)


def _text(item: Mapping[str, Any], name: str, *, required: bool = False) -> str:
    value = item.get(name, "")
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PortalMessageError(f"{name} is not text: {value!r}")
    text = str(value)
    if required and not text:
        raise PortalMessageError(f"{name} is missing")
    return text


def _status(item: Mapping[str, Any], name: str) -> str:
    code = _text(item, name, required=True)
    if code not in STATUS_CODES:
        raise PortalMessageError(f"{name} is not a code 1-10: {code!r}")
    return code


def _list(item: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = item.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise PortalMessageError(f"{name} is not a list of objects")
    return value


def _int(item: Mapping[str, Any], name: str, default: int) -> int:
    text = _text(item, name)
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise PortalMessageError(f"{name} is not a whole number: {text!r}") from None


def _parse_file(item: Mapping[str, Any]) -> SubmittedFile:
    return SubmittedFile(
        file_id=_text(item, "TepDinhKemId"),
        name=_text(item, "TenTepDinhKem"),
        document_code=_text(item, "MaThanhPhanHoSo"),
        url=_text(item, "DuongDanTaiTepTin"),
        is_deleted=parse_bool(item.get("IsDeleted", "False")),
    )


def _parse_fee(item: Mapping[str, Any]) -> Fee:
    return Fee(
        name=_text(item, "TenPhiLePhi"),
        code=_text(item, "MaPhiLePhi"),
        collection_method=_text(item, "HinhThucThu"),
        amount=_int(item, "Gia", 0),
        kind=_text(item, "LoaiPhiLePhi"),
    )


def parse_dossier_object(item: Mapping[str, Any]) -> PortalDossier:
    """One ``DongBoHoSoMC`` item back into a ``PortalDossier``; refuses missing required fields, bad dates/codes."""
    if not isinstance(item, Mapping):
        raise PortalMessageError("a dossier item is not an object")
    supplements = tuple(
        Supplement(
            supplement_id=_text(s, "HoSoBoSungId"),
            requested_by=_text(s, "NguoiYeuCauBoSung"),
            content=_text(s, "NoiDungBoSung"),
            requested_at=parse_portal_datetime(s.get("NgayBoSung", "")),
            received_by=_text(s, "NguoiTiepNhanBoSung"),
            receipt_note=_text(s, "ThongTinTiepNhan"),
            received_at=parse_portal_datetime(s.get("NgayTiepNhanBoSung", "")),
            status=_text(s, "TrangThaiBoSung"),
            documents=tuple(_parse_file(f) for f in _list(s, "DanhSachGiayToBoSung")),
            fees=tuple(_parse_fee(f) for f in _list(s, "DanhSachLePhiBoSung")),
            previous_due_at=parse_portal_datetime(s.get("NgayHenTraTruoc", "")),
            new_due_at=parse_portal_datetime(s.get("NgayHenTraMoi", "")),
        )
        for s in _list(item, "DanhSachHoSoBoSung")
    )
    return PortalDossier(
        code=_text(item, "MaHoSo", required=True),
        procedure_code=_text(item, "MaTTHC", required=True),
        procedure_name=_text(item, "TenTTHC", required=True),
        field_code=_text(item, "MaLinhVuc", required=True),
        field_name=_text(item, "TenLinhVuc", required=True),
        applicant_name=_text(item, "ChuHoSo", required=True),
        applicant_kind=_text(item, "LoaiDoiTuong", required=True),
        applicant_id=_text(item, "MaDoiTuong"),
        received_at=parse_portal_datetime(_text(item, "NgayTiepNhan", required=True)),
        due_at=parse_portal_datetime(item.get("NgayHenTra", "")),
        status_code=_status(item, "TrangThaiHoSo"),
        by_post=_text(item, "HinhThuc") == "1",
        handling_agency=_text(item, "DonViXuLy", required=True),
        receipt_number=_text(item, "SoBienNhan"),
        other_info=_text(item, "ThongTinKhac"),
        email=_text(item, "Email"),
        fax=_text(item, "Fax"),
        phone=_text(item, "SoDienThoai"),
        summary=_text(item, "TrichYeuHoSo"),
        returned_at=parse_portal_datetime(item.get("NgayTra", "")),
        return_info=_text(item, "ThongTinTra"),
        finished_at=parse_portal_datetime(item.get("NgayKetThucXuLy", "")),
        note=_text(item, "GhiChu"),
        files=tuple(_parse_file(f) for f in _list(item, "TaiLieuNop")),
        results=tuple(
            ResultDocument(
                document_id=_text(r, "GiayToId"),
                name=_text(r, "TenGiayTo"),
                document_code=_text(r, "MaThanhPhanHoSo"),
                url=_text(r, "DuongDanTepTinKetQua"),
            )
            for r in _list(item, "DanhSachGiayToKetQua")
        ),
        fees=tuple(_parse_fee(f) for f in _list(item, "DanhSachLePhi")),
        other_attachments=tuple(
            OtherAttachment(name=_text(a, "TenGiayTo"), quantity=_int(a, "SoLuong", 1), kind=_text(a, "LoaiGiayTo"))
            for a in _list(item, "DanhSachTepDinhKemKhac")
        ),
        supplements=supplements,
    )


def parse_progress_object(item: Mapping[str, Any]) -> ProgressStep:
    if not isinstance(item, Mapping):
        raise PortalMessageError("a progress item is not an object")
    handled_at = parse_portal_datetime(_text(item, "ThoiDiemXuLy", required=True))
    if handled_at is None:  # pragma: no cover - required above, so never ""
        raise PortalMessageError("ThoiDiemXuLy is missing")
    return ProgressStep(
        dossier_code=_text(item, "MaHoSo", required=True),
        handler=_text(item, "NguoiXuLy", required=True),
        handler_title=_text(item, "ChucDanh"),
        handled_at=handled_at,
        department=_text(item, "PhongBanXuLy"),
        action=_text(item, "NoiDungXuLy"),
        status_code=_status(item, "TrangThai"),
        started_at=parse_portal_datetime(item.get("NgayBatDau", "")),
        due_at=parse_portal_datetime(item.get("NgayKetThucTheoQuyDinh", "")),
    )


def parse_data_list(fields: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    data = fields.get("data")
    if not isinstance(data, list) or not data or not all(isinstance(d, Mapping) for d in data):
        raise PortalMessageError("data is not a non-empty list of objects")
    return data


def parse_lookup_answer(body: bytes | str | Mapping[str, Any]) -> PortalAnswer:
    """``TraCuuHoSo``: the portal holds the dossier when the answer is ok and ``result`` is non-empty."""
    return parse_answer(body)


def lookup_found(answer: PortalAnswer) -> bool:
    return answer.ok and bool(answer.result)


# --- Reconciliation ------------------------------------------------------------------------------------------------
# The nightly reconciliation (motcua/integrations/reconcile_portal.py) asks ``TraCuuHoSo`` for each dossier changed
# recently and compares the answer with what motcua last sent. The reference evidences only that ``result[]`` is
# non-empty when the portal holds the dossier. Everything else read here is GUESSED, and kept in this section:
#
# - GUESSED: ``result[0]`` is the dossier object as the portal stores it, with the ``DongBoHoSoMC`` field names
#   (``TrangThaiHoSo``, ``NgayTiepNhan``, ``NgayHenTra``, ``NgayTra``, ``NgayKetThucXuLy``);
# - GUESSED: the progress steps received, if the portal shows them at all, are a list under
#   ``LOOKUP_PROGRESS_FIELD`` of ``CapNhatTienDoHoSoMC`` objects (``TrangThai``, ``ThoiDiemXuLy``);
# - a field the answer does not carry is *unknown*, never a difference: against a portal that answers only
#   "held / not held", the reconciliation still finds dossiers the portal lost, and nothing else.

LOOKUP_PROGRESS_FIELD: Final = "DanhSachTienDo"  # GUESSED: no public source shows progress in TraCuuHoSo
RECONCILED_DATE_FIELDS: Final = ("NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy")  # GUESSED (names: [C])

DIFFERENCE_MISSING: Final = "missing"  # the portal does not hold the dossier
DIFFERENCE_STATUS: Final = "status"  # TrangThaiHoSo differs
DIFFERENCE_DATES: Final = "dates"  # one of RECONCILED_DATE_FIELDS differs
DIFFERENCE_PROGRESS: Final = "progress"  # a progress step motcua sent is not among the portal's

StepKey = tuple[str, str]  # (TrangThai, ThoiDiemXuLy): how a progress step is recognised


@dataclass(frozen=True)
class PortalRecord:
    """What a ``TraCuuHoSo`` answer says about a dossier the portal holds; ``None`` where it says nothing."""

    status_code: str | None
    dates: Mapping[str, datetime | None]  # only the RECONCILED_DATE_FIELDS the answer carries
    progress: frozenset[StepKey] | None


@dataclass(frozen=True)
class Difference:
    kind: str
    field: str
    local: str
    portal: str


def step_key(step: ProgressStep) -> StepKey:
    return step.status_code, format_portal_datetime(step.handled_at)


def parse_lookup_record(answer: PortalAnswer) -> PortalRecord | None:
    """The portal's copy of the dossier from a ``TraCuuHoSo`` answer; ``None`` when it does not hold it.

    Raises ``PortalMessageError`` for an answer that is not a success, or an item that is not an object."""
    if not answer.ok:
        raise PortalMessageError(f"TraCuuHoSo refused ({answer.error_code}): {answer.message}")
    if not answer.result:
        return None
    item = answer.result[0]
    if not isinstance(item, Mapping):
        raise PortalMessageError("a TraCuuHoSo item is not an object")
    status = item.get("TrangThaiHoSo")
    dates: dict[str, datetime | None] = {}
    for name in RECONCILED_DATE_FIELDS:
        if name in item:
            try:
                dates[name] = parse_portal_datetime(item[name])
            except PortalMessageError:
                continue  # an unreadable date tells nothing: not compared
    progress: frozenset[StepKey] | None = None
    raw_steps = item.get(LOOKUP_PROGRESS_FIELD)
    if isinstance(raw_steps, list):
        progress = frozenset((str(s.get("TrangThai", "")), str(s.get("ThoiDiemXuLy", "")))
                             for s in raw_steps if isinstance(s, Mapping))
    return PortalRecord(status_code=None if status is None else str(status), dates=dates, progress=progress)


def _local_dates(dossier: PortalDossier) -> dict[str, datetime | None]:
    return {"NgayTiepNhan": dossier.received_at, "NgayHenTra": dossier.due_at, "NgayTra": dossier.returned_at,
            "NgayKetThucXuLy": dossier.finished_at}


def compare_with_portal(expected: PortalDossier, sent_steps: Sequence[ProgressStep],
                        record: PortalRecord | None) -> list[Difference]:
    """How the portal's copy differs from what motcua last sent (EXPECTED, the dossier object of its latest sent
    event, and SENT_STEPS, the progress steps it sent). Only what the answer shows is compared."""
    if record is None:
        return [Difference(DIFFERENCE_MISSING, "MaHoSo", expected.code, "")]
    found: list[Difference] = []
    if record.status_code is not None and record.status_code != expected.status_code:
        found.append(Difference(DIFFERENCE_STATUS, "TrangThaiHoSo", expected.status_code, record.status_code))
    local_dates = _local_dates(expected)
    for name, theirs in record.dates.items():
        ours = local_dates[name]
        # Compared to the second, as the wire format carries them.
        if format_portal_datetime(ours) != format_portal_datetime(theirs):
            found.append(Difference(DIFFERENCE_DATES, name, format_portal_datetime(ours),
                                    format_portal_datetime(theirs)))
    if record.progress is not None:
        missing = [step_key(s) for s in sent_steps if step_key(s) not in record.progress]
        for status, moment in missing:
            found.append(Difference(DIFFERENCE_PROGRESS, "ThoiDiemXuLy", f"{moment} ({status})", ""))
    return found

# ==================================================================================================================
# --- Inbound: what the portal sends to the province, and our answers ----------------------------------------------
# ==================================================================================================================
#
# Reference §1.6: OpenCPS exposes JSON POST endpoints the portal calls (`/nps/createdossierfromdvcqg`, `nhanhsdvcqg`)
# and answers `{"error_code": 0 | -1, "message": "<MaHoSo>| ..."}` [E]. The dossier the portal forwards is the
# DongBoHoSoMC dossier object of §1.1 [C]; its files come by URL (`DuongDanTaiTepTin`) or, in the §1.6 variant, as
# base64 (`TaiLieuNop[]{TenTepDinhKem, Base64}`) [E]. Everything else below is GUESSED and kept here, in one place:
# the wrapper (`service`, `madonvi`, `data[]`), the receiving agency's code field, the status-query and evaluation
# messages, and the `result` items of our answers.

INBOUND_EVIDENCE: Final[Mapping[str, str]] = {
    "inbound endpoints nhanhsdvcqg / createdossierfromdvcqg, JSON POST": EVIDENCED,
    "inbound answer {error_code: 0 | -1, message: '<MaHoSo>|...'}": EVIDENCED,
    "inbound dossier = the DongBoHoSoMC dossier object": CORROBORATED,
    "TaiLieuNop file by URL (DuongDanTaiTepTin)": CORROBORATED,
    "TaiLieuNop file as base64 (Base64), the §1.6 variant": EVIDENCED,
    "wrapper {service, madonvi, data[one dossier]} or a bare dossier object": GUESSED,
    "receiving agency: MaDonViXuLy, else the wrapper's madonvi, else DonViXuLy as a code or a name": GUESSED,
    "result item of the push answer {MaHoSo, SoBienNhan, TrangThaiHoSo, NgayTiepNhan}": GUESSED,
    "status query {service: TraCuuTinhTrangHoSo, mahoso} and its result item": GUESSED,
    "per-dossier evaluation {MaHoSo, NgayDanhGia, MucDoHaiLong 1-3, DanhSachTieuChi[], NoiDungYKien}": GUESSED,
    "DongBoDanhGia monthly aggregate item fields": EVIDENCED,
    "DongBoDanhGia asked by the portal {service: DongBoDanhGia, NgayTongHop: 'M-YYYY'}": GUESSED,
}

# The province's endpoints the portal calls (paths under the province's inbound base URL): the two dossier ones are
# OpenCPS's names [E]; the others are GUESSED.
INBOUND_PATH_DOSSIER: Final = "nhanhsdvcqg"
INBOUND_PATH_DOSSIER_ALIAS: Final = "createdossierfromdvcqg"
INBOUND_PATH_STATUS: Final = "tracuuhoso"  # GUESSED
INBOUND_PATH_EVALUATION: Final = "danhgia"  # GUESSED
INBOUND_PATH_SUMMARY: Final = "dongbodanhgia"  # GUESSED
# GUESSED HTTP statuses of our answers: OpenCPS answers refusals with 200 and error_code -1; a client retries on
# 5xx, so 503 says "ask again later" (a file host of the portal failed for now).
HTTP_ANSWER: Final = 200
HTTP_UNAUTHORISED: Final = 401
HTTP_TOO_LARGE: Final = 413
HTTP_RETRY_LATER: Final = 503

SERVICE_INBOUND_DOSSIER: Final = "DongBoHoSoMC"  # GUESSED: the wrapper's service when the portal wraps the dossier
SERVICE_INBOUND_STATUS: Final = "TraCuuTinhTrangHoSo"  # GUESSED
SERVICE_INBOUND_EVALUATION: Final = "DongBoDanhGiaHoSo"  # GUESSED
SERVICE_EVALUATION_SUMMARY: Final = "DongBoDanhGia"  # the name is evidenced (§1.7); being asked for it is GUESSED

# GUESSED: a per-dossier satisfaction level on the portal's three-level scale of §1.7 (rất hài lòng / hài lòng /
# chưa hài lòng), and the criteria codes of an evaluation, mapped onto motcua's survey (1-5, higher is better).
EVALUATION_LEVELS: Final[Mapping[str, str]] = {"1": "Rất hài lòng", "2": "Hài lòng", "3": "Chưa hài lòng"}
EVALUATION_CRITERIA: Final[Mapping[str, str]] = {  # GUESSED portal criterion code -> motcua survey question
    "TongThe": "overall",
    "ThongTinTTHC": "information",
    "ThoiGianGiaiQuyet": "timeliness",
    "ThaiDoCanBo": "staff",
    "DeDangThucHien": "online",
}
INBOUND_MAX_TEXT: Final = TEXT_LIMIT
FUTURE_TOLERANCE: Final = timedelta(minutes=5)  # clocks differ a little; a later NgayTiepNhan is refused


class InboundMessageError(PortalMessageError):
    """A message from the portal that cannot be accepted: a Vietnamese and an English reason, and the field."""

    def __init__(self, field_name: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{field_name}: {message_en}")
        self.field = field_name
        self.message_vi = message_vi
        self.message_en = message_en


@dataclass(frozen=True)
class InboundFile:
    """One ``TaiLieuNop`` item the portal sends: by URL, or with its content (base64, the §1.6 variant)."""

    name: str  # TenTepDinhKem
    document_code: str = ""  # MaThanhPhanHoSo
    file_id: str = ""  # TepDinhKemId
    url: str = ""  # DuongDanTaiTepTin
    content: bytes | None = None  # Base64, decoded


@dataclass(frozen=True)
class InboundDossier:
    """A dossier submitted on the portal and forwarded to the province (the DongBoHoSoMC dossier object)."""

    code: str  # MaHoSo, the portal's code and our idempotency key
    procedure_code: str  # MaTTHC
    applicant_name: str  # ChuHoSo
    received_at: datetime  # NgayTiepNhan
    procedure_name: str = ""
    field_code: str = ""
    applicant_kind: str = "1"  # LoaiDoiTuong
    applicant_id: str = ""  # MaDoiTuong (portal TechID, or an ID number)
    phone: str = ""
    email: str = ""
    address: str = ""  # DiaChi (GUESSED: not in §1.1, sent by some portals)
    agency_codes: tuple[str, ...] = ()  # candidates for the receiving agency's code, in order
    agency_name: str = ""  # DonViXuLy
    summary: str = ""  # TrichYeuHoSo
    by_post: bool = False  # HinhThuc "1"
    files: tuple[InboundFile, ...] = ()


@dataclass(frozen=True)
class InboundEvaluation:
    """A citizen's evaluation of one dossier made on the portal (GUESSED shape)."""

    dossier_code: str  # MaHoSo
    answers: Mapping[str, int]  # motcua survey question -> 1..5
    evaluated_at: datetime | None = None
    comment: str = ""


def _inbound_text(item: Mapping[str, Any], name: str, *, required: bool = False, limit: int = INBOUND_MAX_TEXT
                  ) -> str:
    value = item.get(name, "")
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InboundMessageError(name, f"Trường {name} phải là chuỗi ký tự.", f"{name} must be text.")
    text = str(value).strip()
    if "\x00" in text:  # no text has one, and PostgreSQL cannot store it
        raise InboundMessageError(name, f"Trường {name} chứa ký tự không hợp lệ.", f"{name} has an invalid character.")
    if required and not text:
        raise InboundMessageError(name, f"Thiếu trường bắt buộc {name}.", f"The required field {name} is missing.")
    if len(text) > limit:
        raise InboundMessageError(name, f"Trường {name} dài quá {limit} ký tự.",
                                  f"{name} is longer than {limit} characters.")
    return text


def _inbound_datetime(item: Mapping[str, Any], name: str, *, now: datetime, required: bool = False
                      ) -> datetime | None:
    text = _inbound_text(item, name, required=required, limit=40)
    try:
        moment = parse_portal_datetime(text)
    except PortalMessageError:
        raise InboundMessageError(name, f"Trường {name} phải là ngày giờ dạng yyyyMMddHHmmss.",
                                  f"{name} must be a yyyyMMddHHmmss date-time.") from None
    if moment is not None and moment > now + FUTURE_TOLERANCE:
        raise InboundMessageError(name, f"Trường {name} là một thời điểm trong tương lai.",
                                  f"{name} is in the future.")
    return moment


def _inbound_list(item: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = item.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise InboundMessageError(name, f"Trường {name} phải là danh sách đối tượng.",
                                  f"{name} must be a list of objects.")
    return value


def decode_inbound(body: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    """The JSON object of an inbound body, or ``InboundMessageError``."""
    try:
        return decode(body)
    except PortalMessageError:
        raise InboundMessageError("body", "Nội dung gửi không phải một đối tượng JSON hợp lệ.",
                                  "The body is not a valid JSON object.") from None


def inbound_items(data: Mapping[str, Any], *, key_field: str) -> list[Mapping[str, Any]]:
    """The items of an inbound message: ``data`` as a list (the portal's wrapper), ``data`` as one object, or the
    body itself when it carries KEY_FIELD (a bare item). GUESSED: the reference shows both styles."""
    if "data" in data:
        value = data["data"]
        items = [value] if isinstance(value, Mapping) else value
        if not isinstance(items, list) or not items or not all(isinstance(v, Mapping) for v in items):
            raise InboundMessageError("data", "Trường data phải là một đối tượng hoặc danh sách đối tượng.",
                                      "data must be an object or a non-empty list of objects.")
        return items
    if key_field in data:
        return [data]
    raise InboundMessageError(key_field, f"Thiếu trường bắt buộc {key_field}.",
                              f"The required field {key_field} is missing.")


def _inbound_file(item: Mapping[str, Any], index: int) -> InboundFile | None:
    if parse_bool_lenient(item.get("IsDeleted", "False")):
        return None
    name = _inbound_text(item, "TenTepDinhKem", required=True, limit=255)
    url = _inbound_text(item, "DuongDanTaiTepTin", limit=2000) or _inbound_text(item, "URLTepDinhKem", limit=2000)
    encoded = item.get("Base64") or item.get("NoiDungTep") or ""
    field_name = f"TaiLieuNop[{index}]"
    if not isinstance(encoded, str):
        raise InboundMessageError(field_name, f"Tệp {name}: nội dung base64 phải là chuỗi.",
                                  f"File {name}: the base64 content must be text.")
    content = None
    if encoded:
        try:
            content = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise InboundMessageError(field_name, f"Tệp {name}: nội dung không đúng định dạng base64.",
                                      f"File {name}: the content is not valid base64.") from None
    if (content is None) == (not url):
        raise InboundMessageError(field_name, f"Tệp {name}: cần đúng một trong hai: đường dẫn tải tệp hoặc nội dung.",
                                  f"File {name}: give exactly one of a download URL or the content.")
    return InboundFile(name=name, document_code=_inbound_text(item, "MaThanhPhanHoSo", limit=100),
                       file_id=_inbound_text(item, "TepDinhKemId", limit=100), url=url, content=content)


def parse_bool_lenient(value: object) -> bool:
    try:
        return parse_bool(value)
    except PortalMessageError:
        return False


def parse_inbound_dossier(body: bytes | str | Mapping[str, Any], *, now: datetime) -> InboundDossier:
    """The one dossier of a push from the portal. Refuses (``InboundMessageError``) what cannot be taken in:
    missing required fields, bad dates (or later than NOW), bad codes, files with neither or both URL and content."""
    data = decode_inbound(body)
    items = inbound_items(data, key_field="MaHoSo")
    if len(items) != 1:
        raise InboundMessageError("data", "Mỗi lần gửi chỉ được một hồ sơ.", "Send one dossier per message.")
    item = items[0]
    kind = _inbound_text(item, "LoaiDoiTuong") or "1"
    if kind not in ("1", "2"):
        raise InboundMessageError("LoaiDoiTuong", "LoaiDoiTuong phải là 1 (công dân) hoặc 2 (tổ chức).",
                                  "LoaiDoiTuong must be 1 (citizen) or 2 (organisation).")
    received_at = _inbound_datetime(item, "NgayTiepNhan", now=now, required=True)
    assert received_at is not None  # noqa: S101 - required above
    codes = [_inbound_text(item, "MaDonViXuLy", limit=40), _inbound_text(data, "madonvi", limit=40),
             _inbound_text(item, "DonViXuLy", limit=300)]
    files = [_inbound_file(f, i) for i, f in enumerate(_inbound_list(item, "TaiLieuNop"))]
    return InboundDossier(
        code=_inbound_text(item, "MaHoSo", required=True, limit=80),
        procedure_code=_inbound_text(item, "MaTTHC", required=True, limit=60),
        procedure_name=_inbound_text(item, "TenTTHC"),
        field_code=_inbound_text(item, "MaLinhVuc", limit=60),
        applicant_name=_inbound_text(item, "ChuHoSo", required=True, limit=200),
        applicant_kind=kind,
        applicant_id=_inbound_text(item, "MaDoiTuong", limit=100),
        phone=_inbound_text(item, "SoDienThoai", limit=20),
        email=_inbound_text(item, "Email", limit=254),
        address=_inbound_text(item, "DiaChi", limit=300),
        agency_codes=tuple(dict.fromkeys(c for c in codes if c)),
        agency_name=_inbound_text(item, "DonViXuLy", limit=300),
        summary=_inbound_text(item, "TrichYeuHoSo"),
        by_post=_inbound_text(item, "HinhThuc") == "1",
        received_at=received_at,
        files=tuple(f for f in files if f is not None),
    )


def parse_inbound_dossier_code(body: bytes | str | Mapping[str, Any]) -> str:
    """MaHoSo of a push, as far as it can be read (for the answer's message when the rest is refused)."""
    try:
        items = inbound_items(decode_inbound(body), key_field="MaHoSo")
        value = items[0].get("MaHoSo")
    except InboundMessageError:
        return ""
    return value.strip()[:80] if isinstance(value, str) else ""


def parse_status_query(body: bytes | str | Mapping[str, Any]) -> str:
    """The dossier code the portal asks the status of: ``mahoso`` (as in TraCuuHoSo) or ``MaHoSo``."""
    data = decode_inbound(body)
    for name in ("mahoso", "MaHoSo"):
        if name in data:
            return _inbound_text(data, name, required=True, limit=80)
    raise InboundMessageError("mahoso", "Thiếu trường bắt buộc mahoso.", "The required field mahoso is missing.")


# GUESSED: a portal level (1 rất hài lòng, 2 hài lòng, 3 chưa hài lòng) as an answer to each motcua survey question
# (1-5, higher is better, within the answers that question allows). For the yes/no-like questions (information
# clear? result on time?) satisfied means "yes" and not satisfied "no".
EVALUATION_VALUES: Final[Mapping[str, Mapping[str, int]]] = {
    "overall": {"1": 5, "2": 4, "3": 2},
    "staff": {"1": 5, "2": 4, "3": 2},
    "online": {"1": 5, "2": 4, "3": 2},
    "information": {"1": 5, "2": 5, "3": 1},
    "timeliness": {"1": 5, "2": 5, "3": 1},
}


def _evaluation_value(question: str, level: str) -> int:
    return EVALUATION_VALUES[question][level]


def _level(item: Mapping[str, Any], name: str) -> str:
    level = _inbound_text(item, name, required=True, limit=2)
    if level not in EVALUATION_LEVELS:
        raise InboundMessageError(name, f"{name} phải là 1 (rất hài lòng), 2 (hài lòng) hoặc 3 (chưa hài lòng).",
                                  f"{name} must be 1 (very satisfied), 2 (satisfied) or 3 (not satisfied).")
    return level


def parse_inbound_evaluations(body: bytes | str | Mapping[str, Any], *, now: datetime) -> list[InboundEvaluation]:
    """Per-dossier evaluations (GUESSED shape): ``data[]{MaHoSo, NgayDanhGia, MucDoHaiLong, DanhSachTieuChi[]
    {MaTieuChi, MucDoHaiLong}, NoiDungYKien}``. The whole message is refused if one item is malformed."""
    items = inbound_items(decode_inbound(body), key_field="MaHoSo")
    if len(items) > 500:
        raise InboundMessageError("data", "Gửi tối đa 500 đánh giá mỗi lần.", "Send at most 500 evaluations at once.")
    evaluations = []
    for item in items:
        answers = {"overall": _evaluation_value("overall", _level(item, "MucDoHaiLong"))}
        for criterion in _inbound_list(item, "DanhSachTieuChi"):
            code = _inbound_text(criterion, "MaTieuChi", required=True, limit=60)
            question = EVALUATION_CRITERIA.get(code)
            if question is None:
                raise InboundMessageError("MaTieuChi", f"Không có tiêu chí đánh giá {code}.",
                                          f"Unknown evaluation criterion {code}.")
            if question != "overall":
                answers[question] = _evaluation_value(question, _level(criterion, "MucDoHaiLong"))
        evaluations.append(InboundEvaluation(
            dossier_code=_inbound_text(item, "MaHoSo", required=True, limit=80), answers=answers,
            evaluated_at=_inbound_datetime(item, "NgayDanhGia", now=now),
            comment=_inbound_text(item, "NoiDungYKien")))
    return evaluations


def parse_summary_month(body: bytes | str | Mapping[str, Any]) -> tuple[int, int]:
    """``NgayTongHop`` "M-YYYY" of a DongBoDanhGia request -> (year, month)."""
    text = _inbound_text(decode_inbound(body), "NgayTongHop", required=True, limit=7)
    month, _, year = text.partition("-")
    if not (month.isdigit() and year.isdigit() and len(year) == 4 and 1 <= int(month) <= 12):
        raise InboundMessageError("NgayTongHop", "NgayTongHop phải có dạng M-YYYY (ví dụ 11-2026).",
                                  "NgayTongHop must look like M-YYYY (e.g. 11-2026).")
    return int(year), int(month)


def build_inbound_answer(error_code: int, dossier_code: str, text: str, result: Sequence[Any] = (), *,
                         message_en: str = "") -> dict[str, Any]:
    """Our answer to the portal, in its envelope: ``message`` is "<MaHoSo>|<Vietnamese text>" as OpenCPS answers
    [E]; an English reason rides along in ``message_en`` for a refusal (ignored by a client that does not know it)."""
    answer = {"error_code": error_code, "message": f"{dossier_code}|{text}", "result": list(result)}
    if message_en:
        answer["message_en"] = message_en
    return answer


def inbound_dossier_result(portal_code: str, local_code: str, status_code: str, received_at: datetime | None
                           ) -> dict[str, str]:
    """GUESSED: the result item of an accepted push (the portal keeps our receipt number as SoBienNhan)."""
    return {"MaHoSo": portal_code, "SoBienNhan": local_code, "TrangThaiHoSo": status_code,
            "NgayTiepNhan": format_portal_datetime(received_at)}


@dataclass(frozen=True)
class DossierStatus:
    """What a status query answers (GUESSED item shape; the dates and the progress list are the evidenced ones)."""

    code: str  # MaHoSo as the portal knows it
    receipt_number: str  # our code
    status_code: str
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    finished_at: datetime | None
    progress: tuple[ProgressStep, ...] = ()


def status_result(status: DossierStatus) -> dict[str, Any]:
    if status.status_code not in STATUS_CODES:
        raise ValueError(f"not a TrangThaiHoSo code: {status.status_code!r}")
    return {
        "MaHoSo": status.code,
        "SoBienNhan": status.receipt_number,
        "TrangThaiHoSo": status.status_code,
        "TenTrangThaiHoSo": STATUS_CODES[status.status_code],
        "NgayNopHoSo": format_portal_datetime(status.submitted_at),
        "NgayTiepNhan": format_portal_datetime(status.received_at),
        "NgayHenTra": format_portal_datetime(status.due_at),
        "NgayTra": format_portal_datetime(status.returned_at),
        "NgayKetThucXuLy": format_portal_datetime(status.finished_at),
        "QuaTrinhXuLy": [progress_object(step) for step in status.progress],
    }


@dataclass(frozen=True)
class EvaluationSummary:
    """One ``DongBoDanhGia`` item: a month's evaluations of one procedure at one agency (reference §1.7)."""

    year: int
    month: int
    agency_code: str
    agency_name: str
    procedure_code: str
    procedure_name: str
    total: int
    very_satisfied: int
    satisfied: int
    not_satisfied: int
    service_total: int = 0  # answers to the "online service" criterion
    service_very_satisfied: int = 0
    service_satisfied: int = 0
    service_not_satisfied: int = 0
    comments: tuple[str, ...] = ()


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def evaluation_summary_object(item: EvaluationSummary) -> dict[str, Any]:
    return {
        "NgayTongHop": f"{item.month}-{item.year}",
        "TongSoNguoiDanhGia": item.total,
        "PhanTramDanhGiaRatHaiLong": _percent(item.very_satisfied, item.total),
        "PhanTramDanhGiaHaiLong": _percent(item.satisfied, item.total),
        "PhanTramDanhGiaChuaHaiLong": _percent(item.not_satisfied, item.total),
        "PhanTramDanhGiaDichVuRatHaiLong": _percent(item.service_very_satisfied, item.service_total),
        "PhanTramDanhGiaDichVuHaiLong": _percent(item.service_satisfied, item.service_total),
        "PhanTramDanhGiaDichVuChuaHaiLong": _percent(item.service_not_satisfied, item.service_total),
        "DanhSachNoiDungYKien": [_short(c) for c in item.comments],
        "MaThuTuc": item.procedure_code,
        "NoiDung": item.procedure_name,
        "Madonvi": item.agency_code,
        "TenDonVi": item.agency_name,
    }


# --- The portal side of the inbound messages (the simulator pushes with these) ------------------------------------


def build_inbound_dossier_request(agency_code: str, dossier: Mapping[str, Any]) -> dict[str, Any]:
    """What the portal sends to the province's push endpoint (GUESSED wrapper around the DongBoHoSoMC object)."""
    return {"service": SERVICE_INBOUND_DOSSIER, "madonvi": agency_code, "data": [dict(dossier)]}


def build_status_query(dossier_code: str) -> dict[str, str]:
    return {"service": SERVICE_INBOUND_STATUS, "mahoso": dossier_code}


def build_evaluation_request(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {"service": SERVICE_INBOUND_EVALUATION, "data": [dict(i) for i in items]}


def build_summary_request(year: int, month: int) -> dict[str, str]:
    return {"service": SERVICE_EVALUATION_SUMMARY, "NgayTongHop": f"{month}-{year}"}

# =================================================================================================================
# --- Catalog: the national procedures database (CSDL TTHC) ---------------------------------------------------------
# =================================================================================================================
# LayThuTuc (one procedure by maTTHC), LayDanhSachTTHC (the province's procedures), LayDanhMucCoQuan (agencies),
# LayDanhMucLinhVuc (fields). Builders, and parsers into motcua's catalog terms (docs/catalog-format.md); the
# Django side (matching local agencies and fields, diff, new versions) is motcua/integrations/catalog_sync.py.
# Reference §1: the LayThuTuc item's field names are EVIDENCED; everything marked GUESSED below is not.

SERVICE_LIST_PROCEDURES: Final = "LayDanhSachTTHC"
SERVICE_LIST_FIELDS: Final = "LayDanhMucLinhVuc"

CATALOG_EVIDENCE: Final[Mapping[str, str]] = {
    "LayThuTuc {maTTHC}: TENTTHC, MATTHC, LINHVUCTHUCHIEN, CACHTHUCTHUCHIEN, THANHPHANHOSO, TRINHTUTHUCHIEN, "
    "COQUANTHUCHIEN, YEUCAU, KETQUATHUCHIEN, CANCUPHAPLY, DOITUONGTHUCHIEN, MACOQUANCONGBO, TRANGTHAI": EVIDENCED,
    "LayDanhMucCoQuan -> MADONVI, TENDONVI, CAPDONVI": EVIDENCED,
    "LayDanhMucLinhVuc -> MALINHVUC, TENLINHVUC, MANGANH": EVIDENCED,
    "LayDanhSachTTHC exists": EVIDENCED,
    "LayDanhSachTTHC filter {madonvi} and items {MATTHC, TENTTHC}": GUESSED,
    "LayThuTuc: an empty result means an unknown code": GUESSED,
    "KENH codes 1 = at the counter, 2 = online, 3 = by post": GUESSED,
    "DONVITINH wording ('Ngày làm việc', 'Ngày')": GUESSED,
    "SOTIEN is whole VND as text ('450000' or '450.000')": GUESSED,
    "TRANGTHAI '1' = in force (công khai)": GUESSED,
    "CAPTHUCHIEN (level: 'Cấp Tỉnh', 'Cấp Xã', 'Cấp Bộ')": GUESSED,
    "GIAYTO.SOLUONG, GIAYTO.BANCHINH/BANSAO (quantity, original or copy)": GUESSED,
    "publication dates NGAYQUYETDINH, NGAYHIEULUC, NGAYCONGKHAI and SOQUYETDINH": GUESSED,
}

CHANNEL_COUNTER: Final = "1"  # GUESSED: KENH code of the counter channel
CHANNEL_ONLINE: Final = "2"  # GUESSED: KENH code of the online channel
STATUS_IN_FORCE: Final = "1"  # GUESSED: TRANGTHAI of a procedure in force
TIME_UNITS: Final[Mapping[str, str]] = {  # GUESSED wording of DONVITINH, folded (lower case, no accents)
    "ngay lam viec": "working_days",
    "ngay": "calendar_days",
    "ngay lam viec ke tu ngay nhan du ho so hop le": "working_days",
}
LEVEL_WORDS: Final[Sequence[tuple[str, str]]] = (  # GUESSED: words of CAPTHUCHIEN, folded, first match wins
    ("tinh", "province"), ("xa", "commune"), ("bo", "central"), ("trung uong", "central"),
)
CATALOG_ANSWER_LIMIT: Final = 5_000_000  # bytes: a bigger answer is refused as malformed (a procedure is ~20 kB)


@dataclass(frozen=True)
class NationalDocument:
    """One GIAYTO of THANHPHANHOSO."""

    name: str
    code: str = ""  # MAGIAYTO
    case: str = ""  # TRUONGHOP of its group ("" = every case)
    template: str = ""  # TENMAUDON
    quantity: int = 1  # GUESSED: SOLUONG
    copy_allowed: bool = False  # GUESSED: BANSAO > 0 and BANCHINH = 0


@dataclass(frozen=True)
class NationalFee:
    """One PHILEPHI of a THOIGIAN; ``amount`` is None when SOTIEN is not a plain number (e.g. "theo thông báo")."""

    name: str
    code: str = ""  # MAPHILEPHI
    amount: int | None = 0
    unit: str = ""  # DONVI
    amount_text: str = ""  # SOTIEN as sent


@dataclass(frozen=True)
class NationalProcedure:
    """One ``LayThuTuc`` item in plain terms (reference §1)."""

    code: str  # MATTHC
    name: str  # TENTTHC
    fields: tuple[tuple[str, str], ...]  # LINHVUCTHUCHIEN (MALINHVUC, TENLINHVUC)
    statutory_days: str | None  # THOIGIANGIAIQUYET of the counter channel, as a decimal text ("8", "0.5")
    statutory_unit: str  # working_days / calendar_days
    time_rule: str  # MOTA of that THOIGIAN
    fees: tuple[NationalFee, ...]  # PHILEPHI of the counter channel
    online_fees: tuple[NationalFee, ...]  # PHILEPHI of the online channel (GUESSED KENH "2")
    channels: tuple[str, ...]  # KENH codes
    documents: tuple[NationalDocument, ...]
    steps: tuple[str, ...]  # TRINHTUTHUCHIEN[].TRINHTU[].TENTRINHTU
    agencies: tuple[tuple[str, str], ...]  # COQUANTHUCHIEN (MADONVI, TENDONVI)
    requirements: str  # YEUCAU
    results: tuple[str, ...]  # KETQUATHUCHIEN[].TENKETQUA
    legal_basis: tuple[str, ...]  # CANCUPHAPLY: "SOVANBAN TENVANBAN"
    applicants: tuple[str, ...]  # DOITUONGTHUCHIEN[].TENDOITUONG (+ MOTADOITUONGTHUCHIEN)
    publishing_agency: str  # MACOQUANCONGBO
    status: str  # TRANGTHAI
    level: str = ""  # GUESSED: CAPTHUCHIEN mapped to motcua's level ("" when absent or unknown)
    decision_number: str = ""  # GUESSED: SOQUYETDINH (the publication decision)
    decided_at: datetime | None = None  # GUESSED: NGAYQUYETDINH
    effective_at: datetime | None = None  # GUESSED: NGAYHIEULUC
    published_at: datetime | None = None  # GUESSED: NGAYCONGKHAI (public on the national database)

    @property
    def in_force(self) -> bool:
        return self.status in ("", STATUS_IN_FORCE)


@dataclass(frozen=True)
class NationalAgency:
    code: str  # MADONVI
    name: str  # TENDONVI
    level: int | None = None  # CAPDONVI


@dataclass(frozen=True)
class NationalField:
    code: str  # MALINHVUC
    name: str  # TENLINHVUC
    sector: str = ""  # MANGANH


def build_list_procedures_request(session: str, agency_code: str) -> dict[str, Any]:
    """``LayDanhSachTTHC``: the procedures of the province. GUESSED: the filter is the caller's ``madonvi`` alone
    (no public source shows the filter fields)."""
    return _operation(SERVICE_LIST_PROCEDURES, session, agency_code)


def build_list_agencies_request(session: str, agency_code: str) -> dict[str, Any]:
    return _operation(SERVICE_LIST_AGENCIES, session, agency_code)


def build_list_fields_request(session: str, agency_code: str) -> dict[str, Any]:
    return _operation(SERVICE_LIST_FIELDS, session, agency_code)


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def _days(text: str) -> str:
    """A decimal number of days from THOIGIANGIAIQUYET ("8", "0,5", "0.5"); refuses anything else."""
    from decimal import Decimal, InvalidOperation

    cleaned = text.strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise PortalMessageError(f"THOIGIANGIAIQUYET is not a number: {text!r}") from None
    if not value.is_finite() or value < 0 or value > 365:
        raise PortalMessageError(f"THOIGIANGIAIQUYET is out of range: {text!r}")
    return format(value.normalize(), "f")


def _amount(text: str) -> int | None:
    """Whole VND from SOTIEN ("450000", "450.000", "450,000 đồng"); None when it is not a plain amount."""
    cleaned = text.strip().lower().removesuffix("đồng").removesuffix("đ").strip().replace(".", "").replace(",", "")
    return int(cleaned) if cleaned.isdigit() else None


def _fees(items: list[Mapping[str, Any]]) -> tuple[NationalFee, ...]:
    fees = []
    for item in items:
        amount_text = _text(item, "SOTIEN")
        fees.append(NationalFee(name=_text(item, "MOTA") or _text(item, "MAPHILEPHI") or "Phí, lệ phí",
                                code=_text(item, "MAPHILEPHI"), amount=_amount(amount_text) if amount_text else 0,
                                unit=_text(item, "DONVI"), amount_text=amount_text))
    return tuple(fees)


def _optional_datetime(item: Mapping[str, Any], name: str) -> datetime | None:
    value = item.get(name, "")
    return parse_portal_datetime(value if value is not None else "")


def parse_national_procedure(item: object) -> NationalProcedure:
    """One ``LayThuTuc`` result item; refuses a missing code or name, wrong types, a bad number of days or date
    (``PortalMessageError``), so that nothing is applied from a malformed record."""
    if not isinstance(item, Mapping):
        raise PortalMessageError("a procedure item is not an object")
    fields_ = tuple((_text(f, "MALINHVUC"), _text(f, "TENLINHVUC", required=True))
                    for f in _list(item, "LINHVUCTHUCHIEN"))
    channels = _list(item, "CACHTHUCTHUCHIEN")
    counter = next((c for c in channels if _text(c, "KENH") == CHANNEL_COUNTER), channels[0] if channels else None)
    online = next((c for c in channels if _text(c, "KENH") == CHANNEL_ONLINE), None)
    statutory_days: str | None = None
    unit, time_rule = "working_days", ""
    fees: tuple[NationalFee, ...] = ()
    online_fees: tuple[NationalFee, ...] = ()
    if counter is not None:
        times = _list(counter, "THOIGIAN")
        if times:
            first = times[0]
            days_text = _text(first, "THOIGIANGIAIQUYET")
            statutory_days = _days(days_text) if days_text else None
            unit_text = _fold(_text(first, "DONVITINH"))
            if unit_text and unit_text not in TIME_UNITS:
                raise PortalMessageError(f"DONVITINH is not a unit of days: {_text(first, 'DONVITINH')!r}")
            unit = TIME_UNITS.get(unit_text, "working_days")
            time_rule = _text(first, "MOTA")
            fees = _fees(_list(first, "PHILEPHI"))
    if online is not None:
        times = _list(online, "THOIGIAN")
        online_fees = _fees(_list(times[0], "PHILEPHI")) if times else ()
    documents = []
    for group in _list(item, "THANHPHANHOSO"):
        case = _text(group, "TRUONGHOP")
        for doc in _list(group, "GIAYTO"):
            copies, originals = _int(doc, "BANSAO", 0), _int(doc, "BANCHINH", 0)
            documents.append(NationalDocument(
                name=_text(doc, "TENGIAYTO", required=True), code=_text(doc, "MAGIAYTO"), case=case,
                template=_text(doc, "TENMAUDON"), quantity=max(_int(doc, "SOLUONG", 1), 1),
                copy_allowed=copies > 0 and originals == 0))
    steps = tuple(_text(step, "TENTRINHTU", required=True)
                  for group in _list(item, "TRINHTUTHUCHIEN") for step in _list(group, "TRINHTU"))
    applicants = [_text(a, "TENDOITUONG") for a in _list(item, "DOITUONGTHUCHIEN")]
    if _text(item, "MOTADOITUONGTHUCHIEN"):
        applicants.append(_text(item, "MOTADOITUONGTHUCHIEN"))
    level_text = _fold(_text(item, "CAPTHUCHIEN"))
    level = next((lvl for word, lvl in LEVEL_WORDS if word in level_text.split() or word in level_text), "") \
        if level_text else ""
    return NationalProcedure(
        code=_text(item, "MATTHC", required=True),
        name=_text(item, "TENTTHC", required=True),
        fields=fields_,
        statutory_days=statutory_days,
        statutory_unit=unit,
        time_rule=time_rule,
        fees=fees,
        online_fees=online_fees,
        channels=tuple(_text(c, "KENH") for c in channels),
        documents=tuple(documents),
        steps=steps,
        agencies=tuple((_text(a, "MADONVI"), _text(a, "TENDONVI", required=True))
                       for a in _list(item, "COQUANTHUCHIEN")),
        requirements=_text(item, "YEUCAU"),
        results=tuple(r for r in (_text(r, "TENKETQUA") for r in _list(item, "KETQUATHUCHIEN")) if r),
        legal_basis=tuple(" ".join(p for p in (_text(b, "SOVANBAN"), _text(b, "TENVANBAN")) if p)
                          for b in _list(item, "CANCUPHAPLY")),
        applicants=tuple(a for a in applicants if a),
        publishing_agency=_text(item, "MACOQUANCONGBO"),
        status=_text(item, "TRANGTHAI"),
        level=level,
        decision_number=_text(item, "SOQUYETDINH"),
        decided_at=_optional_datetime(item, "NGAYQUYETDINH"),
        effective_at=_optional_datetime(item, "NGAYHIEULUC"),
        published_at=_optional_datetime(item, "NGAYCONGKHAI"),
    )


def _catalog_answer(body: bytes | str | Mapping[str, Any]) -> PortalAnswer:
    if isinstance(body, bytes | str) and len(body) > CATALOG_ANSWER_LIMIT:
        raise PortalMessageError(f"the answer is larger than {CATALOG_ANSWER_LIMIT} bytes")
    return parse_answer(body)


def parse_procedure_answer(body: bytes | str | Mapping[str, Any]) -> tuple[PortalAnswer, NationalProcedure | None]:
    """``LayThuTuc``: the answer and its procedure, None when the result is empty (GUESSED: unknown code)."""
    answer = _catalog_answer(body)
    if not answer.ok or not answer.result:
        return answer, None
    return answer, parse_national_procedure(answer.result[0])


def parse_procedure_list(body: bytes | str | Mapping[str, Any]) -> tuple[PortalAnswer, list[tuple[str, str]]]:
    """``LayDanhSachTTHC``: (MATTHC, TENTTHC) pairs (GUESSED item fields), without repeats, in the portal's order."""
    answer = _catalog_answer(body)
    seen: dict[str, str] = {}
    if answer.ok:
        for item in answer.result:
            if not isinstance(item, Mapping):
                raise PortalMessageError("a procedure list item is not an object")
            seen.setdefault(_text(item, "MATTHC", required=True), _text(item, "TENTTHC"))
    return answer, list(seen.items())


def parse_agency_list(body: bytes | str | Mapping[str, Any]) -> tuple[PortalAnswer, list[NationalAgency]]:
    answer = _catalog_answer(body)
    agencies = []
    if answer.ok:
        for item in answer.result:
            if not isinstance(item, Mapping):
                raise PortalMessageError("an agency item is not an object")
            level = _text(item, "CAPDONVI")
            agencies.append(NationalAgency(_text(item, "MADONVI", required=True),
                                           _text(item, "TENDONVI", required=True),
                                           int(level) if level.isdigit() else None))
    return answer, agencies


def parse_field_list(body: bytes | str | Mapping[str, Any]) -> tuple[PortalAnswer, list[NationalField]]:
    answer = _catalog_answer(body)
    fields_ = []
    if answer.ok:
        for item in answer.result:
            if not isinstance(item, Mapping):
                raise PortalMessageError("a field item is not an object")
            fields_.append(NationalField(_text(item, "MALINHVUC", required=True),
                                         _text(item, "TENLINHVUC", required=True), _text(item, "MANGANH")))
    return answer, fields_


def national_fee_lines(procedure: NationalProcedure) -> list[dict[str, Any]]:
    """The counter channel's fees as catalog fee lines (docs/catalog-format.md); an online amount where the online
    channel (GUESSED KENH "2") lists the same fee (by MAPHILEPHI, else by name) at another amount. A fee whose SOTIEN
    is not a plain amount becomes a ``per_item`` line of 0 with the text kept as the unit."""
    online = {(f.code or _fold(f.name)): f for f in procedure.online_fees}
    lines: list[dict[str, Any]] = []
    for fee in procedure.fees:
        line: dict[str, Any] = {"name": fee.name}
        if fee.amount is None:
            line.update(kind="per_item", amount=0, unit=fee.amount_text)
        else:
            line.update(kind="fixed", amount=fee.amount)
            if fee.unit and _fold(fee.unit) not in ("dong", "vnd"):
                line["unit"] = fee.unit
            other = online.get(fee.code or _fold(fee.name))
            if other is not None and other.amount is not None and other.amount != fee.amount:
                line["online_amount"] = other.amount
        lines.append(line)
    return lines
