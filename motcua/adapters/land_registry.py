"""Messages of the land database service (Cơ sở dữ liệu đất đai, national/provincial, reached through the
province's LGSP or NDXP): parcel look-up and the write-back of a registered change (biến động).

Pure functions over plain data: no HTTP, no Django, no database. The province's service
(``motcua.integrations.land_registry``) and the simulator (``simulators/land_registry.py``) both speak through this
module, so confirming the real shape against the operator's onboarding document changes this file only.

Source: /work/shared/reference/national-integrations.md §0 (the national JSON services' conventions: one endpoint,
the operation in the body field ``service``, the ``{error_code, message, result}`` envelope, ``yyyyMMddHHmmss``
times in Asia/Ho_Chi_Minh, numbers and enums as strings) and §4 (land sector: "no public API was found"; the
best-evidenced request keys ``MaXa``, ``SoTo``, ``SoThua`` or ``SoPhatHanhGCN`` / ``SoVaoSo``; the response's
area, land type and purpose, term, origin, address, owners with ID and share, encumbrances). **Everything specific
to the land database here is GUESSED** (tagged in ``EVIDENCE`` and listed in docs/land.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from zoneinfo import ZoneInfo

EVIDENCED: Final = "evidenced"
GUESSED: Final = "guessed"

EVIDENCE: Final[Mapping[str, str]] = {
    "one JSON POST endpoint, operation named in the body field 'service' (§0)": EVIDENCED,
    "answer envelope {error_code, message, result[]}, error_code 0/'0'/'00' = success (§0)": EVIDENCED,
    "times yyyyMMddHHmmss, Asia/Ho_Chi_Minh (§0)": EVIDENCED,
    "look-up keys MaXa + SoTo + SoThua, or SoPhatHanhGCN (§4, best-evidenced names)": GUESSED,
    "operation names TraCuuThuaDat and CapNhatBienDong": GUESSED,
    "parcel object fields (DienTich, MucDichSuDung, ThoiHanSuDung, NguonGoc, DiaChi, ChuSuDung[], HanChe[])": GUESSED,
    "restriction kinds the_chap / tranh_chap / ke_bien / ngan_chan in HanChe[].Loai": GUESSED,
    "a parcel not held: error_code 0 with an empty result[] (as TraCuuHoSo does, §1)": GUESSED,
    "write-back idempotent by MaYeuCau; answer result[0].MaBienDong (the change's reference)": GUESSED,
    "write-back fields LoaiBienDong, ChuSuDungMoi[], NoiDungBienDong, NgayDuyet, CoQuanDuyet, MaHoSo": GUESSED,
}

TIME_ZONE: Final = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT: Final = "%Y%m%d%H%M%S"

SERVICE_LOOKUP: Final = "TraCuuThuaDat"  # GUESSED
SERVICE_WRITE_BACK: Final = "CapNhatBienDong"  # GUESSED

# Restriction kinds (HanChe[].Loai), GUESSED codes.
MORTGAGE: Final = "the_chap"  # thế chấp
DISPUTE: Final = "tranh_chap"  # tranh chấp
SEIZURE: Final = "ke_bien"  # kê biên (thi hành án)
INJUNCTION: Final = "ngan_chan"  # biện pháp ngăn chặn
RESTRICTION_KINDS: Final = (MORTGAGE, DISPUTE, SEIZURE, INJUNCTION)

# Kinds of change (LoaiBienDong), GUESSED codes.
CHANGE_TRANSFER: Final = "chuyen_nhuong"  # chuyển nhượng, thừa kế, tặng cho, góp vốn: new holders
CHANGE_HOLDER_INFO: Final = "thay_doi_thong_tin"  # đổi tên, giấy tờ nhân thân, địa chỉ of a holder
CHANGE_KINDS: Final = (CHANGE_TRANSFER, CHANGE_HOLDER_INFO)
# Which holder detail a CHANGE_HOLDER_INFO changes (the e-form's noi_dung_thay_doi values).
HOLDER_FIELDS: Final = {"ho_ten": "HoTen", "so_giay_to_tuy_than": "SoDinhDanh", "dia_chi": "DiaChi"}

CODE_MISSING_FIELD: Final = -1  # as OpenCPS answers "<field> empty" (§4, receipt push): reused here, GUESSED
REQUEST_ID_MAX: Final = 64
_DIGITS = re.compile(r"^[0-9]{1,10}$")
_SERIAL = re.compile(r"^[A-Z]{1,3} ?[0-9]{5,10}$")


class LandRegistryMessageError(ValueError):
    """A body that is not a well-formed land database message."""


# --- keys ----------------------------------------------------------------------------------------------------------


def normalise_serial(text: str) -> str:
    """A certificate serial (số phát hành GCN) as written on the certificate, e.g. ``"DN 012345"``: upper case,
    one space between the letters and the digits."""
    compact = re.sub(r"\s+", "", text or "").upper()
    match = re.match(r"^([A-Z]{1,3})([0-9]{5,10})$", compact)
    return f"{match.group(1)} {match.group(2)}" if match else compact


@dataclass(frozen=True)
class ParcelKey:
    """How a parcel is found: commune code + map sheet + parcel number, or the certificate serial."""

    commune_code: str = ""  # MaXa: the commune's 5-digit code
    sheet: str = ""  # SoTo: tờ bản đồ số
    number: str = ""  # SoThua: thửa đất số
    certificate_serial: str = ""  # SoPhatHanhGCN

    def __post_init__(self) -> None:
        object.__setattr__(self, "commune_code", (self.commune_code or "").strip())
        object.__setattr__(self, "sheet", (self.sheet or "").strip().lstrip("0") or (self.sheet or "").strip())
        object.__setattr__(self, "number", (self.number or "").strip().lstrip("0") or (self.number or "").strip())
        object.__setattr__(self, "certificate_serial", normalise_serial(self.certificate_serial))

    @property
    def by_serial(self) -> bool:
        return bool(self.certificate_serial)

    def problems(self) -> dict[str, tuple[str, str]]:
        """What is wrong with the key, by field (Vietnamese, English); empty when it can be looked up."""
        if self.certificate_serial:
            if not _SERIAL.match(self.certificate_serial):
                return {"certificate_serial": (
                    "Số phát hành Giấy chứng nhận gồm 1–3 chữ cái và 5–10 chữ số, ví dụ DN 012345.",
                    "A certificate serial is 1–3 letters and 5–10 digits, e.g. DN 012345.")}
            return {}
        problems: dict[str, tuple[str, str]] = {}
        if not re.match(r"^[0-9]{5}$", self.commune_code):
            problems["commune_code"] = ("Mã xã/phường gồm 5 chữ số.", "A commune code has 5 digits.")
        if not _DIGITS.match(self.sheet):
            problems["sheet"] = ("Nhập số tờ bản đồ (chữ số).", "Enter the map sheet number (digits).")
        if not _DIGITS.match(self.number):
            problems["number"] = ("Nhập số thửa (chữ số).", "Enter the parcel number (digits).")
        if not (self.commune_code or self.sheet or self.number):
            return {"certificate_serial": (
                "Nhập số phát hành Giấy chứng nhận, hoặc mã xã, số tờ và số thửa.",
                "Enter the certificate serial, or the commune code, map sheet and parcel number.")}
        return problems

    def label(self) -> str:
        if self.certificate_serial:
            return f"GCN {self.certificate_serial}"
        return f"{self.commune_code} / tờ {self.sheet} / thửa {self.number}"


# --- parcels -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    name: str  # HoTen
    id_number: str  # SoDinhDanh (12-digit personal ID, or a tax code for an organisation)
    share: str = ""  # TyLe, e.g. "1/2", empty for a sole holder
    address: str = ""  # DiaChi


@dataclass(frozen=True)
class Restriction:
    kind: str  # Loai: one of RESTRICTION_KINDS (another code is kept as it is)
    description: str = ""  # NoiDung
    registered_on: str = ""  # NgayDangKy, yyyyMMddHHmmss
    party: str = ""  # BenLienQuan: the mortgagee, the court, the enforcement office…


@dataclass(frozen=True)
class Parcel:
    commune_code: str
    sheet: str
    number: str
    certificate_serial: str
    address: str = ""
    area: Decimal = Decimal(0)  # DienTich, m²
    use_purpose: str = ""  # MucDichSuDung: the land-type code, e.g. "ONT"
    use_purpose_name: str = ""  # TenMucDichSuDung
    use_term: str = ""  # ThoiHanSuDung: "Lâu dài" or a date
    origin: str = ""  # NguonGoc
    register_number: str = ""  # SoVaoSo
    holders: tuple[Holder, ...] = ()
    restrictions: tuple[Restriction, ...] = ()
    changes: tuple[str, ...] = ()  # LichSuBienDong: references of the changes already registered

    @property
    def key(self) -> ParcelKey:
        return ParcelKey(self.commune_code, self.sheet, self.number, self.certificate_serial)

    def holds(self, id_number: str) -> bool:
        wanted = (id_number or "").strip()
        return bool(wanted) and any(holder.id_number == wanted for holder in self.holders)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly (kept as the look-up's snapshot on the dossier)."""
        return {"commune_code": self.commune_code, "sheet": self.sheet, "number": self.number,
                "certificate_serial": self.certificate_serial, "address": self.address, "area": str(self.area),
                "use_purpose": self.use_purpose, "use_purpose_name": self.use_purpose_name,
                "use_term": self.use_term, "origin": self.origin, "register_number": self.register_number,
                "holders": [vars(h) for h in self.holders], "restrictions": [vars(r) for r in self.restrictions],
                "changes": list(self.changes)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Parcel:
        return cls(
            commune_code=str(data.get("commune_code", "")), sheet=str(data.get("sheet", "")),
            number=str(data.get("number", "")), certificate_serial=str(data.get("certificate_serial", "")),
            address=str(data.get("address", "")), area=_decimal(data.get("area", "0")),
            use_purpose=str(data.get("use_purpose", "")), use_purpose_name=str(data.get("use_purpose_name", "")),
            use_term=str(data.get("use_term", "")), origin=str(data.get("origin", "")),
            register_number=str(data.get("register_number", "")),
            holders=tuple(Holder(**{k: str(v) for k, v in h.items() if k in ("name", "id_number", "share", "address")})
                          for h in data.get("holders", [])),
            restrictions=tuple(Restriction(**{k: str(v) for k, v in r.items()
                                              if k in ("kind", "description", "registered_on", "party")})
                               for r in data.get("restrictions", [])),
            changes=tuple(str(c) for c in data.get("changes", [])))


def _decimal(value: object) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation as exc:
        raise LandRegistryMessageError(f"not a number: {value!r}") from exc
    if not number.is_finite() or number < 0:
        raise LandRegistryMessageError(f"not an area: {value!r}")
    return number


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    raise LandRegistryMessageError(f"not text: {value!r}")


def parcel_to_message(parcel: Parcel) -> dict[str, Any]:
    """The parcel object of a look-up answer (the simulator's side)."""
    return {
        "MaXa": parcel.commune_code, "SoTo": parcel.sheet, "SoThua": parcel.number,
        "SoPhatHanhGCN": parcel.certificate_serial, "SoVaoSo": parcel.register_number, "DiaChi": parcel.address,
        "DienTich": str(parcel.area), "MucDichSuDung": parcel.use_purpose, "TenMucDichSuDung": parcel.use_purpose_name,
        "ThoiHanSuDung": parcel.use_term, "NguonGoc": parcel.origin,
        "ChuSuDung": [{"HoTen": h.name, "SoDinhDanh": h.id_number, "TyLe": h.share, "DiaChi": h.address}
                      for h in parcel.holders],
        "HanChe": [{"Loai": r.kind, "NoiDung": r.description, "NgayDangKy": r.registered_on, "BenLienQuan": r.party}
                   for r in parcel.restrictions],
        "LichSuBienDong": [{"MaBienDong": ref} for ref in parcel.changes],
    }


def parcel_from_message(item: Mapping[str, Any]) -> Parcel:
    if not isinstance(item, Mapping):
        raise LandRegistryMessageError("a parcel is not an object")
    holders_raw = item.get("ChuSuDung") or []
    restrictions_raw = item.get("HanChe") or []
    changes_raw = item.get("LichSuBienDong") or []
    if not all(isinstance(x, list) for x in (holders_raw, restrictions_raw, changes_raw)):
        raise LandRegistryMessageError("ChuSuDung, HanChe and LichSuBienDong must be lists")
    holders = []
    for holder in holders_raw:
        if not isinstance(holder, Mapping) or not _text(holder.get("HoTen")).strip():
            raise LandRegistryMessageError("a holder without HoTen")
        holders.append(Holder(name=_text(holder.get("HoTen")).strip(),
                              id_number=_text(holder.get("SoDinhDanh")).strip(),
                              share=_text(holder.get("TyLe")), address=_text(holder.get("DiaChi"))))
    restrictions = []
    for restriction in restrictions_raw:
        if not isinstance(restriction, Mapping) or not _text(restriction.get("Loai")).strip():
            raise LandRegistryMessageError("a restriction without Loai")
        restrictions.append(Restriction(kind=_text(restriction.get("Loai")).strip(),
                                        description=_text(restriction.get("NoiDung")),
                                        registered_on=_text(restriction.get("NgayDangKy")),
                                        party=_text(restriction.get("BenLienQuan"))))
    for name in ("MaXa", "SoTo", "SoThua"):
        if not _text(item.get(name)).strip():
            raise LandRegistryMessageError(f"{name} empty")
    return Parcel(
        commune_code=_text(item.get("MaXa")).strip(), sheet=_text(item.get("SoTo")).strip(),
        number=_text(item.get("SoThua")).strip(), certificate_serial=normalise_serial(_text(item.get("SoPhatHanhGCN"))),
        register_number=_text(item.get("SoVaoSo")), address=_text(item.get("DiaChi")),
        area=_decimal(item.get("DienTich") or "0"), use_purpose=_text(item.get("MucDichSuDung")),
        use_purpose_name=_text(item.get("TenMucDichSuDung")), use_term=_text(item.get("ThoiHanSuDung")),
        origin=_text(item.get("NguonGoc")), holders=tuple(holders), restrictions=tuple(restrictions),
        changes=tuple(_text(c.get("MaBienDong")) for c in changes_raw if isinstance(c, Mapping)))


# --- envelope ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    code: int
    message: str
    result: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.code == 0


def build_answer(code: int, message: str, result: Sequence[Any] = ()) -> dict[str, Any]:
    return {"error_code": code, "message": message, "result": list(result)}


def parse_envelope(body: bytes | Mapping[str, Any]) -> Envelope:
    data = _object(body)
    raw = data.get("error_code")
    if isinstance(raw, bool) or raw is None:
        raise LandRegistryMessageError("no error_code")
    try:
        code = int(str(raw).strip())  # 0, "0" and "00" alike (§0)
    except ValueError as exc:
        raise LandRegistryMessageError(f"error_code is not a number: {raw!r}") from exc
    result = data.get("result") or []
    if not isinstance(result, list):
        raise LandRegistryMessageError("result is not a list")
    return Envelope(code=code, message=_text(data.get("message")), result=result)


def _object(body: bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise LandRegistryMessageError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise LandRegistryMessageError("not a JSON object")
    return data


def encode(message: Mapping[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- look-up -------------------------------------------------------------------------------------------------------


def build_lookup(key: ParcelKey, *, official: str = "", purpose: str = "", request_id: str = "") -> dict[str, Any]:
    """The look-up request. OFFICIAL (who asks) and PURPOSE are sent for the service's own access log (§3 notes
    that national databases log every call's requester; GUESSED field names NguoiTraCuu, MucDich, MaYeuCau)."""
    if key.problems():
        raise ValueError(f"not a parcel key: {key}")
    body: dict[str, Any] = {"service": SERVICE_LOOKUP}
    if key.by_serial:
        body["SoPhatHanhGCN"] = key.certificate_serial
    else:
        body.update({"MaXa": key.commune_code, "SoTo": key.sheet, "SoThua": key.number})
    body.update({"NguoiTraCuu": official, "MucDich": purpose, "MaYeuCau": request_id})
    return body


def parse_lookup_request(body: bytes | Mapping[str, Any]) -> ParcelKey:
    message = _object(body)
    if message.get("service") != SERVICE_LOOKUP:
        raise LandRegistryMessageError("service is not TraCuuThuaDat")
    key = ParcelKey(commune_code=_text(message.get("MaXa")), sheet=_text(message.get("SoTo")),
                    number=_text(message.get("SoThua")), certificate_serial=_text(message.get("SoPhatHanhGCN")))
    if key.problems():
        raise LandRegistryMessageError("SoPhatHanhGCN, or MaXa SoTo SoThua, empty or malformed")
    return key


def parse_lookup_answer(body: bytes | Mapping[str, Any]) -> Parcel | None:
    """The parcel found, None when the database holds no such parcel; raises LandRegistryMessageError for a body
    that is not a usable answer, and LookupRefused when the service answered with an error code."""
    envelope = parse_envelope(body)
    if not envelope.ok:
        raise LookupRefused(envelope.code, envelope.message)
    if not envelope.result:
        return None
    return parcel_from_message(envelope.result[0])


class LookupRefused(Exception):
    """The land database answered with an error code (a bad request, or its own failure)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"error_code {code}: {message}")
        self.code = code
        self.message = message


# --- write-back ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRequest:
    """A registered change to write to the land database after approval."""

    request_id: str  # MaYeuCau: the idempotency key (the same change sent twice is applied once)
    dossier_code: str  # MaHoSo
    procedure_code: str  # MaTTHC
    kind: str  # LoaiBienDong: CHANGE_TRANSFER | CHANGE_HOLDER_INFO
    key: ParcelKey
    approved_at: str  # NgayDuyet, yyyyMMddHHmmss
    agency_code: str  # CoQuanDuyet: the approving agency's e-ID code
    new_holders: tuple[Holder, ...] = ()  # ChuSuDungMoi (transfer)
    holder_id_number: str = ""  # SoDinhDanhChuSuDung: whose details change (holder info)
    changed_field: str = ""  # TruongThayDoi: a key of HOLDER_FIELDS (holder info)
    new_value: str = ""  # GiaTriMoi (holder info)
    description: str = ""  # NoiDungBienDong, free text for the register


def format_time(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a land database time needs a time zone")
    return moment.astimezone(TIME_ZONE).strftime(TIME_FORMAT)


def build_write_back(change: ChangeRequest) -> dict[str, Any]:
    if not change.request_id or len(change.request_id) > REQUEST_ID_MAX:
        raise ValueError("MaYeuCau must have 1 to 64 characters")
    if change.kind not in CHANGE_KINDS:
        raise ValueError(f"unknown LoaiBienDong {change.kind!r}")
    if change.kind == CHANGE_TRANSFER and not change.new_holders:
        raise ValueError("a transfer needs the new holders")
    if change.kind == CHANGE_HOLDER_INFO and change.changed_field not in HOLDER_FIELDS:
        raise ValueError("a change of holder information needs the changed field")
    body: dict[str, Any] = {
        "service": SERVICE_WRITE_BACK, "MaYeuCau": change.request_id, "MaHoSo": change.dossier_code,
        "MaTTHC": change.procedure_code, "LoaiBienDong": change.kind,
        "MaXa": change.key.commune_code, "SoTo": change.key.sheet, "SoThua": change.key.number,
        "SoPhatHanhGCN": change.key.certificate_serial, "NgayDuyet": change.approved_at,
        "CoQuanDuyet": change.agency_code, "NoiDungBienDong": change.description,
    }
    if change.kind == CHANGE_TRANSFER:
        body["ChuSuDungMoi"] = [{"HoTen": h.name, "SoDinhDanh": h.id_number, "TyLe": h.share, "DiaChi": h.address}
                                for h in change.new_holders]
    else:
        body.update({"SoDinhDanhChuSuDung": change.holder_id_number,
                     "TruongThayDoi": HOLDER_FIELDS[change.changed_field], "GiaTriMoi": change.new_value})
    return body


def parse_write_back(body: bytes | Mapping[str, Any]) -> dict[str, Any]:
    """The write-back as the land database (the simulator) reads it: the body, checked for its required fields."""
    message = dict(_object(body))
    if message.get("service") != SERVICE_WRITE_BACK:
        raise LandRegistryMessageError("service is not CapNhatBienDong")
    for name in ("MaYeuCau", "MaHoSo", "LoaiBienDong", "NgayDuyet"):
        if not _text(message.get(name)).strip():
            raise LandRegistryMessageError(f"{name} empty")
    if message["LoaiBienDong"] not in CHANGE_KINDS:
        raise LandRegistryMessageError("LoaiBienDong unknown")
    if message["LoaiBienDong"] == CHANGE_TRANSFER:
        holders = message.get("ChuSuDungMoi")
        if not isinstance(holders, list) or not holders or not all(
                isinstance(h, Mapping) and _text(h.get("HoTen")).strip() for h in holders):
            raise LandRegistryMessageError("ChuSuDungMoi empty")
    elif message.get("TruongThayDoi") not in HOLDER_FIELDS.values() or not _text(message.get("GiaTriMoi")).strip():
        raise LandRegistryMessageError("TruongThayDoi or GiaTriMoi empty")
    return message


@dataclass(frozen=True)
class WriteBackAnswer:
    reference: str  # MaBienDong
    recorded_at: str = ""  # NgayCapNhat
    already: bool = False  # the service had applied this MaYeuCau before (a retry)


def build_write_back_answer(reference: str, recorded_at: str, *, already: bool = False) -> dict[str, Any]:
    message = "Đã cập nhật trước đó" if already else "Thành công"
    return build_answer(0, message, [{"MaBienDong": reference, "NgayCapNhat": recorded_at,
                                      "DaCapNhatTruocDo": "True" if already else "False"}])


def parse_write_back_answer(body: bytes | Mapping[str, Any]) -> WriteBackAnswer:
    envelope = parse_envelope(body)
    if not envelope.ok:
        raise LookupRefused(envelope.code, envelope.message)
    if not envelope.result or not isinstance(envelope.result[0], Mapping):
        raise LandRegistryMessageError("no result")
    item = envelope.result[0]
    reference = _text(item.get("MaBienDong")).strip()
    if not reference:
        raise LandRegistryMessageError("MaBienDong empty")
    return WriteBackAnswer(reference=reference, recorded_at=_text(item.get("NgayCapNhat")),
                           already=_text(item.get("DaCapNhatTruocDo")) == "True")
