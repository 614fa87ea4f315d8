"""Messages of the national business registration database (Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp, run by
the Ministry of Finance's business registration agency), reached through the province's LGSP / the national data
exchange platform NDXP: the look-up of one enterprise by its enterprise code (mã số doanh nghiệp, which is its tax
code) and the answer.

Pure functions over plain data: no HTTP, no Django, no database. The province's service
(``motcua.integrations.business_register``) and the simulator (``simulators/business_register.py``) both speak
through this module.

Source: /work/shared/reference/national-integrations.md §0 (the conventions shared by the national JSON services),
§2 (the LGSP/NDXP relay) and §5 (the business register: **no public API or client code was found**). So almost
every shape here is GUESSED (see ``EVIDENCE`` and docs/integrations-business-register.md) and must be checked
against the operator's onboarding document; they are all constants or small functions of this module so that
confirming them changes one file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Final

# --- Evidence markers ----------------------------------------------------------------------------------------------

EVIDENCED: Final = "evidenced"
GUESSED: Final = "guessed"

EVIDENCE: Final[Mapping[str, str]] = {
    "the key MaSoDoanhNghiep equals the tax code: 10 digits, or 13 for a branch written NNNNNNNNNN-NNN": EVIDENCED,
    "transport: HTTPS POST, JSON, UTF-8, the operation in the body field `service` (§0 convention)": GUESSED,
    "service name TraCuuThongTinDoanhNghiep, path / on the LGSP route": GUESSED,
    "request fields MaSoDoanhNghiep, MaYeuCau (request id for the operator's audit), MucDich (purpose)": GUESSED,
    "answer envelope {error_code, message, result[]} with error_code 0 / '0' / '00' = success (§0)": GUESSED,
    "not found: error_code 0 with an empty result": GUESSED,
    "record fields TenDoanhNghiep, TenNuocNgoai, TenVietTat, LoaiHinhDoanhNghiep, TinhTrangHoatDong, NgayThanhLap, "
    "SoLanThayDoi, NgayThayDoiGanNhat, DiaChiTruSo{…}, VonDieuLe, NguoiDaiDienPhapLuat[], NganhNghe[]": GUESSED,
    "legal representative fields HoVaTen, SoDinhDanh (12-digit personal ID), ChucDanh": GUESSED,
    "status codes of TinhTrangHoatDong (1 active … 9 merged away); the wording is the register's": GUESSED,
    "dates yyyyMMdd (the §0 date-time format cut to the day)": GUESSED,
}

# --- Constants -----------------------------------------------------------------------------------------------------

SERVICE_LOOKUP: Final = "TraCuuThongTinDoanhNghiep"  # GUESSED
LOOKUP_PATH: Final = "/"  # GUESSED: one endpoint, the operation in `service` (§0)
ERROR_CODE_SUCCESS: Final = 0
ERROR_CODE_FAILURE: Final = -1  # GUESSED: the register refused the request (message says why)
ERROR_CODE_INVALID: Final = -4  # GUESSED: a request field is missing or malformed
DATE_FORMAT: Final = "%Y%m%d"

# Status of the enterprise (TinhTrangHoatDong): register code -> our name. GUESSED codes; the names follow the
# statuses the national business registration portal shows (Decree 168/2025/NĐ-CP, formerly 01/2021/NĐ-CP).
STATUS_ACTIVE: Final = "active"
STATUS_SUSPENDED: Final = "suspended"
STATUS_DISSOLVING: Final = "dissolving"
STATUS_DISSOLVED: Final = "dissolved"
STATUS_REVOKED: Final = "revoked"
STATUS_NOT_AT_ADDRESS: Final = "not_at_address"
STATUS_BANKRUPTCY: Final = "bankruptcy"
STATUS_BANKRUPT: Final = "bankrupt"
STATUS_MERGED: Final = "merged"
STATUS_UNKNOWN: Final = "unknown"
STATUS_CODES: Final[Mapping[str, str]] = {
    "1": STATUS_ACTIVE,  # Đang hoạt động
    "2": STATUS_SUSPENDED,  # Tạm ngừng kinh doanh
    "3": STATUS_DISSOLVING,  # Đang làm thủ tục giải thể
    "4": STATUS_DISSOLVED,  # Đã giải thể
    "5": STATUS_REVOKED,  # Bị thu hồi Giấy chứng nhận đăng ký doanh nghiệp
    "6": STATUS_NOT_AT_ADDRESS,  # Không hoạt động tại địa chỉ đã đăng ký
    "7": STATUS_BANKRUPTCY,  # Đang làm thủ tục phá sản
    "8": STATUS_BANKRUPT,  # Đã phá sản
    "9": STATUS_MERGED,  # Đã sáp nhập, hợp nhất, bị chia hoặc chuyển đổi
}
STATUS_WORDING: Final[Mapping[str, str]] = {
    "1": "Đang hoạt động", "2": "Tạm ngừng kinh doanh", "3": "Đang làm thủ tục giải thể", "4": "Đã giải thể",
    "5": "Bị thu hồi Giấy chứng nhận đăng ký doanh nghiệp", "6": "Không hoạt động tại địa chỉ đã đăng ký",
    "7": "Đang làm thủ tục phá sản", "8": "Đã phá sản", "9": "Đã sáp nhập, hợp nhất, bị chia hoặc chuyển đổi",
}
# The enterprise no longer exists as a legal person: nobody may act for it.
ENDED_STATUSES: Final = frozenset({STATUS_DISSOLVED, STATUS_BANKRUPT, STATUS_MERGED})

_CODE = re.compile(r"^[0-9]{10}(-?[0-9]{3})?$")
_NATIONAL_ID = re.compile(r"^[0-9]{12}$")


class BusinessRegisterMessageError(ValueError):
    """A body that is not a well-formed business-register message."""


@dataclass(frozen=True)
class LegalRepresentative:
    name: str
    national_id: str  # 12 digits, or empty when the register gives none (a foreigner's passport is not kept here)
    title: str = ""


@dataclass(frozen=True)
class BusinessLine:
    code: str  # VSIC
    name: str
    main: bool = False


@dataclass(frozen=True)
class BusinessRecord:
    """What the register says about one enterprise."""

    code: str  # compact: 10 or 13 digits
    name: str
    status: str  # one of STATUS_* (STATUS_UNKNOWN for a code this module does not know)
    status_code: str
    status_text: str
    foreign_name: str = ""
    short_name: str = ""
    kind: str = ""  # LoaiHinhDoanhNghiep, as worded by the register
    founded: date | None = None
    amendments: int = 0
    last_amended: date | None = None
    address: str = ""
    province_code: str = ""
    commune_code: str = ""
    capital: int | None = None
    representatives: tuple[LegalRepresentative, ...] = ()
    lines: tuple[BusinessLine, ...] = field(default_factory=tuple)

    @property
    def ended(self) -> bool:
        return self.status in ENDED_STATUSES

    def names(self, national_id: str) -> LegalRepresentative | None:
        """The legal representative with NATIONAL_ID, if the register names that person."""
        if not _NATIONAL_ID.match(national_id or ""):
            return None
        return next((r for r in self.representatives if r.national_id == national_id), None)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready copy (dates as ISO text), kept as the evidence of what the register said."""
        data = asdict(self)
        for key in ("founded", "last_amended"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


# --- Codes ---------------------------------------------------------------------------------------------------------


def wire_code(code: str) -> str:
    """The enterprise code as the register writes it: 10 digits, or NNNNNNNNNN-NNN for a branch."""
    digits = code.replace("-", "")
    return f"{digits[:10]}-{digits[10:]}" if len(digits) == 13 else digits


def compact_code(code: str) -> str:
    return code.replace("-", "").replace(" ", "").strip()


# --- Request -------------------------------------------------------------------------------------------------------


def build_lookup_request(code: str, request_id: str, purpose: str = "") -> dict[str, Any]:
    """The look-up of one enterprise; REQUEST_ID (MaYeuCau) identifies the call in the operator's audit log."""
    return {"service": SERVICE_LOOKUP, "MaSoDoanhNghiep": wire_code(code), "MaYeuCau": request_id,
            "MucDich": purpose[:200]}


@dataclass(frozen=True)
class LookupRequest:
    code: str  # compact
    request_id: str
    purpose: str


def parse_lookup_request(body: bytes) -> LookupRequest:
    data = _json_object(body)
    if data.get("service") != SERVICE_LOOKUP:
        raise BusinessRegisterMessageError(f"unknown service: {data.get('service')!r}")
    code = data.get("MaSoDoanhNghiep")
    if not isinstance(code, str) or not _CODE.match(code):
        raise BusinessRegisterMessageError("MaSoDoanhNghiep must be 10 digits or NNNNNNNNNN-NNN")
    request_id = data.get("MaYeuCau")
    if not isinstance(request_id, str) or not request_id.strip():
        raise BusinessRegisterMessageError("MaYeuCau is required")
    return LookupRequest(code=compact_code(code), request_id=request_id, purpose=str(data.get("MucDich") or ""))


# --- Answer --------------------------------------------------------------------------------------------------------


def encode(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def build_answer(error_code: int, message: str = "", result: Sequence[Any] = ()) -> dict[str, Any]:
    return {"error_code": error_code, "message": message, "result": list(result)}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise BusinessRegisterMessageError(f"not text: {value!r}")


def _date(value: Any) -> date | None:
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.strptime(text[:8], DATE_FORMAT).date()  # noqa: DTZ007 - a calendar date, no time
    except ValueError as exc:
        raise BusinessRegisterMessageError(f"not a date (yyyyMMdd): {text!r}") from exc


def _int(value: Any) -> int | None:
    text = _text(value).replace(".", "").replace(",", "")
    if not text:
        return None
    if not text.isdigit():
        raise BusinessRegisterMessageError(f"not a whole number: {text!r}")
    return int(text)


def record_to_wire(record: BusinessRecord) -> dict[str, Any]:
    """The register's JSON for RECORD (the simulator answers with it; tests build answers with it)."""
    return {
        "MaSoDoanhNghiep": wire_code(record.code), "TenDoanhNghiep": record.name,
        "TenNuocNgoai": record.foreign_name, "TenVietTat": record.short_name, "LoaiHinhDoanhNghiep": record.kind,
        "TinhTrangHoatDong": record.status_code, "TenTinhTrang": record.status_text,
        "NgayThanhLap": record.founded.strftime(DATE_FORMAT) if record.founded else "",
        "SoLanThayDoi": str(record.amendments),
        "NgayThayDoiGanNhat": record.last_amended.strftime(DATE_FORMAT) if record.last_amended else "",
        "DiaChiTruSo": {"DiaChiDayDu": record.address, "MaTinh": record.province_code, "MaXa": record.commune_code},
        "VonDieuLe": "" if record.capital is None else str(record.capital),
        "NguoiDaiDienPhapLuat": [{"HoVaTen": r.name, "SoDinhDanh": r.national_id, "ChucDanh": r.title}
                                 for r in record.representatives],
        "NganhNghe": [{"MaNganh": b.code, "TenNganh": b.name, "NganhChinh": "True" if b.main else "False"}
                      for b in record.lines],
    }


def record_from_wire(item: Any) -> BusinessRecord:
    if not isinstance(item, dict):
        raise BusinessRegisterMessageError("a result item must be an object")
    code = _text(item.get("MaSoDoanhNghiep"))
    if not _CODE.match(code):
        raise BusinessRegisterMessageError(f"bad MaSoDoanhNghiep: {code!r}")
    name = _text(item.get("TenDoanhNghiep"))
    if not name:
        raise BusinessRegisterMessageError("TenDoanhNghiep is missing")
    status_code = _text(item.get("TinhTrangHoatDong"))
    if not status_code:
        raise BusinessRegisterMessageError("TinhTrangHoatDong is missing")
    address = item.get("DiaChiTruSo") or {}
    if not isinstance(address, dict):
        raise BusinessRegisterMessageError("DiaChiTruSo must be an object")
    people = item.get("NguoiDaiDienPhapLuat") or []
    lines = item.get("NganhNghe") or []
    if not isinstance(people, list) or not isinstance(lines, list):
        raise BusinessRegisterMessageError("NguoiDaiDienPhapLuat and NganhNghe must be lists")
    representatives = []
    for person in people:
        if not isinstance(person, dict) or not _text(person.get("HoVaTen")):
            raise BusinessRegisterMessageError("a legal representative needs HoVaTen")
        national_id = _text(person.get("SoDinhDanh"))
        representatives.append(LegalRepresentative(
            name=_text(person.get("HoVaTen")), national_id=national_id if _NATIONAL_ID.match(national_id) else "",
            title=_text(person.get("ChucDanh"))))
    business_lines = []
    for line in lines:
        if not isinstance(line, dict):
            raise BusinessRegisterMessageError("a business line must be an object")
        business_lines.append(BusinessLine(code=_text(line.get("MaNganh")), name=_text(line.get("TenNganh")),
                                           main=_text(line.get("NganhChinh")).lower() == "true"))
    return BusinessRecord(
        code=compact_code(code), name=name, status=STATUS_CODES.get(status_code, STATUS_UNKNOWN),
        status_code=status_code,
        status_text=_text(item.get("TenTinhTrang")) or STATUS_WORDING.get(status_code, status_code),
        foreign_name=_text(item.get("TenNuocNgoai")), short_name=_text(item.get("TenVietTat")),
        kind=_text(item.get("LoaiHinhDoanhNghiep")), founded=_date(item.get("NgayThanhLap")),
        amendments=_int(item.get("SoLanThayDoi")) or 0, last_amended=_date(item.get("NgayThayDoiGanNhat")),
        address=_text(address.get("DiaChiDayDu")), province_code=_text(address.get("MaTinh")),
        commune_code=_text(address.get("MaXa")), capital=_int(item.get("VonDieuLe")),
        representatives=tuple(representatives), lines=tuple(business_lines))


@dataclass(frozen=True)
class LookupAnswer:
    """The register's answer to a look-up: RECORD is None when it knows no enterprise with that code."""

    record: BusinessRecord | None


class RegisterRefused(BusinessRegisterMessageError):
    """A well-formed answer with a non-zero error_code: the register refused the request."""

    def __init__(self, error_code: str, message: str) -> None:
        super().__init__(f"error_code {error_code}: {message}")
        self.error_code = error_code
        self.message = message


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BusinessRegisterMessageError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise BusinessRegisterMessageError("not a JSON object")
    return data


def parse_lookup_answer(body: bytes, code: str) -> LookupAnswer:
    """The answer to a look-up of CODE. Raises RegisterRefused for an error answer, BusinessRegisterMessageError for
    a body that cannot be used: not the envelope, a record of another enterprise, or two different records for the
    same code (an identical record given twice is one record)."""
    data = _json_object(body)
    if "error_code" not in data:
        raise BusinessRegisterMessageError("error_code is missing")
    error_code = str(data["error_code"]).strip()
    if error_code not in ("0", "00"):
        raise RegisterRefused(error_code, _text(data.get("message")))
    result = data.get("result")
    if result is None:
        result = []
    if not isinstance(result, list):
        raise BusinessRegisterMessageError("result must be a list")
    records = [record_from_wire(item) for item in result]
    wanted = compact_code(code)
    for record in records:
        if record.code != wanted:
            raise BusinessRegisterMessageError(f"the answer is about {record.code}, not {wanted}")
    if len(set(records)) > 1:
        raise BusinessRegisterMessageError(f"the register gave {len(set(records))} different records for {wanted}")
    return LookupAnswer(record=records[0] if records else None)
