"""Messages between the land registration office and the tax authority (Cơ quan thuế) and the State Treasury (Kho
bạc Nhà nước): the cadastral information transfer form, the tax notice, the payment confirmation (chứng từ nộp
thuế), their envelopes and poll requests. Builders and parsers only: no HTTP, no Django, no database.

The province's side (``motcua.taxexchange``) and the simulator (``simulators/tax_authority.py``) both speak through
this module, so that confirming a shape against the tax authority's onboarding document changes one file.

Source: /work/shared/reference/national-integrations.md §4 (OpenCPS v2 ``DVCQGIntegrationActionImpl`` "thuế đất"
handlers and ``DVCQGIManagement.nhantbthuedvcqg``) and §0 (the national JSON services' conventions). Every shape is
tagged in ``EVIDENCE``; what no public source shows is ``GUESSED`` here and in docs/land-tax-exchange.md.

- **Transfer form** (Phiếu chuyển thông tin để xác định nghĩa vụ tài chính về đất đai, TTLT 88/2016 structure):
  land office → tax authority, JSON ``{"service": "GuiPhieuChuyenThongTin", "data": {...}}``. GUESSED keys.
- **Tax notice** (thông báo nộp tiền): pushed by the tax authority as ``{"MaHoSo", "FileThongBaoThue"}`` where
  ``FileThongBaoThue`` is a base64 XML document linked to the dossier by the (repeatable) element ``MA_HSO`` [E];
  the other XML element names are GUESSED. Polled with ``{"service": "LayThongBaoThue", "MaHoSo"}``.
- **Payment confirmation** (Hồ sơ chứng từ thuế đất): ``{MaHoSo, HoTenNguoiNopTien, MaSoThue, UrlFileChungTu,
  ThongTinThanhToan{MaThongBaoThue, ThoiGianThanhToan, SoTien, NoiDungThanhToan, TrangThaiThanhToan}}`` [E], every
  field required. Pushed by the treasury / tax authority, or polled with ``{"service": "TraCuuChungTu",
  "MaThongBaoThue"}`` (GUESSED). The transaction number ``SoChungTu`` inside ``ThongTinThanhToan`` is GUESSED.
- **Answers**: the §0 envelope ``{"error_code": 0 | -1, "message": …, "result": …}`` [C]; ``0``, ``"0"`` and ``"00"``
  all mean success.

Inbound XML is parsed with defusedxml (no entities, no DTDs, no external references) and bounded in size.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as SafeET

EVIDENCED: Final = "evidenced"
GUESSED: Final = "guessed"

EVIDENCE: Final[Mapping[str, str]] = {
    "notice pushed as {MaHoSo, FileThongBaoThue}: base64 XML, dossier link in repeatable element MA_HSO": EVIDENCED,
    "notice XML elements other than MA_HSO (SO_THONG_BAO, LAN_DIEU_CHINH, HAN_NOP, MA_THAM_CHIEU, KHOAN…)": GUESSED,
    "confirmation {MaHoSo, HoTenNguoiNopTien, MaSoThue, UrlFileChungTu, ThongTinThanhToan{MaThongBaoThue, "
    "ThoiGianThanhToan, SoTien, NoiDungThanhToan, TrangThaiThanhToan}}, every field required": EVIDENCED,
    "confirmation answer error_code -1 '<field> empty' for a missing field": EVIDENCED,
    "ThongTinThanhToan.SoChungTu (the treasury's document number, our idempotency key)": GUESSED,
    "TrangThaiThanhToan 1 = paid (other values: not paid)": GUESSED,
    "transfer form JSON keys (from the TTLT 88/2016 form's seven parts)": GUESSED,
    "operations as a 'service' field on one endpoint per system (GuiPhieuChuyenThongTin, LayThongBaoThue, "
    "TraCuuChungTu), as the national JSON services do": GUESSED,
    "envelope {error_code, message, result}; 0 / '0' / '00' = success": EVIDENCED,
    "date-times yyyyMMddHHmmss Asia/Ho_Chi_Minh; dates dd/MM/yyyy in the notice XML": GUESSED,
    "obligation codes (tiểu mục of the State budget index: 1003 PIT on real estate, 2801 registration fee, "
    "1411 land-use levy, 1412 land rent)": GUESSED,
}

TIME_ZONE: Final = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT: Final = "%Y%m%d%H%M%S"
DATE_FORMAT: Final = "%d/%m/%Y"
SERVICE_SEND_TRANSFER: Final = "GuiPhieuChuyenThongTin"
SERVICE_GET_NOTICES: Final = "LayThongBaoThue"
SERVICE_GET_RECEIPTS: Final = "TraCuuChungTu"
PAID_STATUS: Final = 1  # TrangThaiThanhToan (GUESSED)
MAX_XML_BYTES: Final = 256 * 1024
MAX_LINES: Final = 50

# Obligation codes (GUESSED: State budget index sub-items, Thông tư 324/2016/TT-BTC) and their Vietnamese names.
OBLIGATIONS: Final[Mapping[str, str]] = {
    "1003": "Thuế thu nhập cá nhân từ chuyển nhượng bất động sản",
    "2801": "Lệ phí trước bạ nhà, đất",
    "1411": "Tiền sử dụng đất",
    "1412": "Tiền thuê đất",
}
SUCCESS_CODES: Final = (0, "0", "00")


class TaxMessageError(ValueError):
    """A message that is not what the protocol says (not JSON, not XML, a field missing or unreadable)."""


# --- Envelope ------------------------------------------------------------------------------------------------------

def envelope(result: Any = None, *, error_code: int = 0, message: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {"error_code": error_code, "message": message}
    if result is not None:
        body["result"] = result
    return body


def encode(message: Mapping[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_object(body: bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise TaxMessageError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise TaxMessageError("not a JSON object")
    return data


@dataclass(frozen=True)
class Answer:
    ok: bool
    message: str
    result: Any


def parse_answer(body: bytes | Mapping[str, Any]) -> Answer:
    """An answer envelope; a missing ``error_code`` is a malformed answer, not a refusal."""
    data = json_object(body)
    if "error_code" not in data:
        raise TaxMessageError("error_code is missing")
    return Answer(ok=data["error_code"] in SUCCESS_CODES, message=str(data.get("message") or ""),
                  result=data.get("result"))


def service_request(service: str, **fields: Any) -> dict[str, Any]:
    return {"service": service, **fields}


# --- Transfer form -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    name: str  # HoTen
    id_number: str = ""  # SoDinhDanh
    tax_code: str = ""  # MaSoThue
    address: str = ""  # DiaChi
    role: str = ""  # VaiTro: ben_chuyen_nhuong / ben_nhan_chuyen_nhuong / nguoi_su_dung_dat


@dataclass(frozen=True)
class Parcel:
    number: str  # SoThua
    map_sheet: str  # SoTo
    commune_code: str = ""  # MaXa
    address: str = ""  # DiaChi
    area_m2: str = ""  # DienTich (a decimal written with a dot)
    land_type: str = ""  # LoaiDat (e.g. ODT)
    purpose: str = ""  # MucDichSuDung
    term: str = ""  # ThoiHanSuDung
    origin: str = ""  # NguonGocSuDung
    price_position: str = ""  # ViTri (position / zone of the land price table)
    certificate_serial: str = ""  # SoPhatHanhGCN


@dataclass(frozen=True)
class TransferForm:
    """The seven parts of the phiếu chuyển thông tin (TTLT 88/2016/TTLT-BTC-BTNMT, GUESSED keys)."""

    dossier_code: str  # MaHoSo
    form_number: str  # SoPhieu: our reference, the idempotency key of the send
    made_at: dt.datetime  # NgayLapPhieu
    sender_code: str  # CoQuanGui.MaCoQuan (the land office's e-ID code)
    sender_name: str
    receiver_code: str = ""  # CoQuanNhan.MaCoQuan (the tax office)
    people: tuple[Person, ...] = ()
    parcel: Parcel | None = None
    assets: tuple[str, ...] = ()  # TaiSanGanLienVoiDat (descriptions)
    transaction_kind: str = ""  # GiaoDich.LoaiGiaoDich (chuyen_nhuong, tang_cho, thua_ke, thay_doi_thong_tin…)
    contract_value: int | None = None  # GiaoDich.GiaTriHopDong (đồng)
    contract_date: str = ""  # GiaoDich.NgayHopDong (yyyy-mm-dd)
    notary_number: str = ""  # GiaoDich.SoCongChung
    exemptions: tuple[tuple[str, str], ...] = ()  # MienGiam: (what, legal ground)
    attachments: tuple[str, ...] = ()  # GiayToKemTheo

    def as_message(self) -> dict[str, Any]:
        parcel = self.parcel or Parcel("", "")
        return {
            "MaHoSo": self.dossier_code, "SoPhieu": self.form_number, "NgayLapPhieu": format_time(self.made_at),
            "CoQuanGui": {"MaCoQuan": self.sender_code, "TenCoQuan": self.sender_name},
            "CoQuanNhan": {"MaCoQuan": self.receiver_code},
            "NguoiSuDungDat": [{"HoTen": p.name, "SoDinhDanh": p.id_number, "MaSoThue": p.tax_code,
                                "DiaChi": p.address, "VaiTro": p.role} for p in self.people],
            "ThuaDat": {"SoThua": parcel.number, "SoTo": parcel.map_sheet, "MaXa": parcel.commune_code,
                        "DiaChi": parcel.address, "DienTich": parcel.area_m2, "LoaiDat": parcel.land_type,
                        "MucDichSuDung": parcel.purpose, "ThoiHanSuDung": parcel.term,
                        "NguonGocSuDung": parcel.origin, "ViTri": parcel.price_position,
                        "SoPhatHanhGCN": parcel.certificate_serial},
            "TaiSanGanLienVoiDat": [{"MoTa": text} for text in self.assets],
            "GiaoDich": {"LoaiGiaoDich": self.transaction_kind,
                         "GiaTriHopDong": "" if self.contract_value is None else str(self.contract_value),
                         "NgayHopDong": self.contract_date, "SoCongChung": self.notary_number},
            "MienGiam": [{"NoiDung": what, "CanCu": ground} for what, ground in self.exemptions],
            "GiayToKemTheo": [{"TenGiayTo": name} for name in self.attachments],
        }


def build_transfer_request(form: TransferForm) -> dict[str, Any]:
    return service_request(SERVICE_SEND_TRANSFER, data=form.as_message())


@dataclass(frozen=True)
class ReceivedTransfer:
    """The transfer form as the tax authority (the simulator) reads it."""

    dossier_code: str
    form_number: str
    payer_name: str
    payer_tax_code: str
    contract_value: int
    area_m2: float
    transaction_kind: str
    data: Mapping[str, Any]


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def parse_transfer_request(body: bytes | Mapping[str, Any]) -> ReceivedTransfer:
    message = json_object(body)
    if message.get("service") != SERVICE_SEND_TRANSFER:
        raise TaxMessageError(f"service must be {SERVICE_SEND_TRANSFER}")
    data = message.get("data")
    if not isinstance(data, Mapping):
        raise TaxMessageError("data is missing")
    for name in ("MaHoSo", "SoPhieu"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise TaxMessageError(f"{name} empty")
    people = data.get("NguoiSuDungDat") or []
    if not isinstance(people, list) or not people:
        raise TaxMessageError("NguoiSuDungDat empty")
    payer = next((p for p in people if isinstance(p, Mapping) and p.get("VaiTro") == "ben_nhan_chuyen_nhuong"),
                 people[-1])
    if not isinstance(payer, Mapping):
        raise TaxMessageError("NguoiSuDungDat is not a list of objects")
    deal = _mapping(data.get("GiaoDich"))
    parcel = _mapping(data.get("ThuaDat"))
    value_text = str(deal.get("GiaTriHopDong") or "0")
    if not value_text.isdigit():
        raise TaxMessageError("GiaTriHopDong is not a whole number of đồng")
    try:
        area = float(str(parcel.get("DienTich") or "0"))
    except ValueError as exc:
        raise TaxMessageError("DienTich is not a number") from exc
    return ReceivedTransfer(
        dossier_code=data["MaHoSo"].strip(), form_number=data["SoPhieu"].strip(),
        payer_name=str(payer.get("HoTen") or ""), payer_tax_code=str(payer.get("MaSoThue") or payer.get(
            "SoDinhDanh") or ""), contract_value=int(value_text), area_m2=area,
        transaction_kind=str(deal.get("LoaiGiaoDich") or ""), data=dict(data))


# --- Tax notice ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Obligation:
    code: str  # MA_TIEU_MUC
    name: str  # TEN_KHOAN
    amount: int  # SO_TIEN, whole đồng


@dataclass(frozen=True)
class Notice:
    """One tax notice (thông báo nộp tiền). A revision (LAN_DIEU_CHINH > 0) replaces the earlier one of the same
    number: the amounts changed."""

    number: str  # SO_THONG_BAO, the MaThongBaoThue of the payment confirmation
    dossier_codes: tuple[str, ...]  # MA_HSO (repeatable) [E]
    lines: tuple[Obligation, ...]
    deadline: dt.date | None = None  # HAN_NOP
    issued_on: dt.date | None = None  # NGAY_THONG_BAO
    revision: int = 0  # LAN_DIEU_CHINH
    payment_reference: str = ""  # MA_THAM_CHIEU: what the payer quotes (tax e-payment)
    treasury_account: str = ""  # TK_KHO_BAC
    tax_office: str = ""  # CQ_THUE
    payer_name: str = ""  # TEN_NNT
    payer_tax_code: str = ""  # MST

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def notice_xml(notice: Notice) -> bytes:
    root = ET.Element("THONG_BAO_THUE")
    for code in notice.dossier_codes:
        _text(root, "MA_HSO", code)
    _text(root, "SO_THONG_BAO", notice.number)
    _text(root, "LAN_DIEU_CHINH", str(notice.revision))
    _text(root, "NGAY_THONG_BAO", notice.issued_on.strftime(DATE_FORMAT) if notice.issued_on else "")
    _text(root, "HAN_NOP", notice.deadline.strftime(DATE_FORMAT) if notice.deadline else "")
    _text(root, "MA_THAM_CHIEU", notice.payment_reference)
    _text(root, "TK_KHO_BAC", notice.treasury_account)
    _text(root, "CQ_THUE", notice.tax_office)
    _text(root, "TEN_NNT", notice.payer_name)
    _text(root, "MST", notice.payer_tax_code)
    lines = ET.SubElement(root, "CAC_KHOAN_NOP")
    for line in notice.lines:
        item = ET.SubElement(lines, "KHOAN_NOP")
        _text(item, "MA_TIEU_MUC", line.code)
        _text(item, "TEN_KHOAN", line.name)
        _text(item, "SO_TIEN", str(line.amount))
    return b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="unicode").encode("utf-8")


def _date(text: str | None, name: str) -> dt.date | None:
    if not text or not text.strip():
        return None
    try:
        return dt.datetime.strptime(text.strip(), DATE_FORMAT).replace(tzinfo=TIME_ZONE).date()
    except ValueError as exc:
        raise TaxMessageError(f"{name} is not dd/mm/yyyy: {text!r}") from exc


def _whole(text: str | None, name: str) -> int:
    value = (text or "").strip()
    if not value.isdigit() or len(value) > 15:
        raise TaxMessageError(f"{name} is not a whole number of đồng: {text!r}")
    return int(value)


def parse_notice_xml(document: bytes) -> Notice:
    """The notice XML, parsed safely: defusedxml forbids DTDs, entities and external references."""
    if len(document) > MAX_XML_BYTES:
        raise TaxMessageError("the notice XML is too large")
    try:
        root = SafeET.fromstring(document, forbid_dtd=True)
    except (SafeET.ParseError, ValueError) as exc:  # defusedxml's own errors are ValueError subclasses
        raise TaxMessageError(f"not a readable notice XML: {type(exc).__name__}: {exc}") from exc
    if root.tag != "THONG_BAO_THUE":
        raise TaxMessageError(f"root element is {root.tag}, not THONG_BAO_THUE")
    codes = tuple(code for e in root.findall("MA_HSO") if (code := (e.text or "").strip()))
    if not codes:
        raise TaxMessageError("MA_HSO empty")
    number = (root.findtext("SO_THONG_BAO") or "").strip()
    if not number:
        raise TaxMessageError("SO_THONG_BAO empty")
    items = root.findall("CAC_KHOAN_NOP/KHOAN_NOP")
    if not items or len(items) > MAX_LINES:
        raise TaxMessageError("CAC_KHOAN_NOP must list 1 to 50 obligations")
    lines = tuple(Obligation(code=(item.findtext("MA_TIEU_MUC") or "").strip(),
                             name=(item.findtext("TEN_KHOAN") or "").strip()[:300],
                             amount=_whole(item.findtext("SO_TIEN"), "SO_TIEN")) for item in items)
    revision_text = (root.findtext("LAN_DIEU_CHINH") or "0").strip() or "0"
    if not revision_text.isdigit():
        raise TaxMessageError("LAN_DIEU_CHINH is not a whole number")
    return Notice(
        number=number[:60], dossier_codes=codes, lines=lines, deadline=_date(root.findtext("HAN_NOP"), "HAN_NOP"),
        issued_on=_date(root.findtext("NGAY_THONG_BAO"), "NGAY_THONG_BAO"), revision=int(revision_text),
        payment_reference=(root.findtext("MA_THAM_CHIEU") or "").strip()[:60],
        treasury_account=(root.findtext("TK_KHO_BAC") or "").strip()[:60],
        tax_office=(root.findtext("CQ_THUE") or "").strip()[:200],
        payer_name=(root.findtext("TEN_NNT") or "").strip()[:200],
        payer_tax_code=(root.findtext("MST") or "").strip()[:20])


def build_notice_push(notice: Notice) -> dict[str, Any]:
    """What the tax authority pushes (and answers a poll with): the first dossier code and the base64 XML [E]."""
    return {"MaHoSo": notice.dossier_codes[0],
            "FileThongBaoThue": base64.b64encode(notice_xml(notice)).decode("ascii")}


def parse_notice_push(body: bytes | Mapping[str, Any]) -> Notice:
    message = json_object(body)
    encoded = message.get("FileThongBaoThue")
    if not isinstance(encoded, str) or not encoded.strip():
        raise TaxMessageError("FileThongBaoThue empty")
    if len(encoded) > MAX_XML_BYTES * 4 // 3 + 4:
        raise TaxMessageError("FileThongBaoThue is too large")
    try:
        document = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise TaxMessageError("FileThongBaoThue is not base64") from exc
    return parse_notice_xml(document)


def parse_notice_poll(body: bytes | Mapping[str, Any]) -> list[Notice]:
    """The answer to LayThongBaoThue: the envelope's result is a list of pushes (possibly empty: not ready)."""
    answer = parse_answer(body)
    if not answer.ok:
        raise TaxMessageError(f"the tax authority refused: {answer.message}")
    items = answer.result or []
    if not isinstance(items, list):
        raise TaxMessageError("result is not a list")
    return [parse_notice_push(item) if isinstance(item, Mapping) else _refuse_item() for item in items]


def _refuse_item() -> Notice:
    raise TaxMessageError("a result item is not an object")


# --- Payment confirmation (chứng từ) -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    """A payment confirmation from the treasury / tax authority [E, SoChungTu GUESSED]."""

    dossier_code: str  # MaHoSo
    payer_name: str  # HoTenNguoiNopTien
    tax_code: str  # MaSoThue
    file_url: str  # UrlFileChungTu
    notice_number: str  # ThongTinThanhToan.MaThongBaoThue
    paid_at: dt.datetime  # ThoiGianThanhToan
    amount: int  # SoTien
    content: str  # NoiDungThanhToan
    status: int = PAID_STATUS  # TrangThaiThanhToan
    document_number: str = ""  # ThongTinThanhToan.SoChungTu (GUESSED)

    @property
    def paid(self) -> bool:
        return self.status == PAID_STATUS

    def as_message(self) -> dict[str, Any]:
        return {"MaHoSo": self.dossier_code, "HoTenNguoiNopTien": self.payer_name, "MaSoThue": self.tax_code,
                "UrlFileChungTu": self.file_url,
                "ThongTinThanhToan": {"MaThongBaoThue": self.notice_number,
                                      "ThoiGianThanhToan": format_time(self.paid_at), "SoTien": str(self.amount),
                                      "NoiDungThanhToan": self.content, "TrangThaiThanhToan": self.status,
                                      "SoChungTu": self.document_number}}


RECEIPT_FIELDS: Final = ("MaHoSo", "HoTenNguoiNopTien", "MaSoThue", "UrlFileChungTu", "ThongTinThanhToan")
PAYMENT_FIELDS: Final = ("MaThongBaoThue", "ThoiGianThanhToan", "SoTien", "NoiDungThanhToan", "TrangThaiThanhToan")


def _present(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def parse_receipt(body: bytes | Mapping[str, Any]) -> Receipt:
    """A confirmation; a missing field raises TaxMessageError("<field> empty"), as OpenCPS answers [E]."""
    message = json_object(body)
    for name in RECEIPT_FIELDS:
        if not _present(message.get(name)):
            raise TaxMessageError(f"{name} empty")
    payment = message["ThongTinThanhToan"]
    if not isinstance(payment, Mapping):
        raise TaxMessageError("ThongTinThanhToan is not an object")
    for name in PAYMENT_FIELDS:
        if not _present(payment.get(name)):
            raise TaxMessageError(f"{name} empty")
    paid_at = parse_time(payment["ThoiGianThanhToan"])
    if paid_at is None:
        raise TaxMessageError("ThoiGianThanhToan is not yyyyMMddHHmmss")
    status = payment["TrangThaiThanhToan"]
    if isinstance(status, bool) or not (isinstance(status, int) or (isinstance(status, str) and status.isdigit())):
        raise TaxMessageError("TrangThaiThanhToan is not a number")
    return Receipt(
        dossier_code=str(message["MaHoSo"]).strip()[:60], payer_name=str(message["HoTenNguoiNopTien"])[:200],
        tax_code=str(message["MaSoThue"])[:20], file_url=str(message["UrlFileChungTu"])[:500],
        notice_number=str(payment["MaThongBaoThue"]).strip()[:60], paid_at=paid_at,
        amount=_whole(str(payment["SoTien"]), "SoTien"), content=str(payment["NoiDungThanhToan"])[:500],
        status=int(status), document_number=str(payment.get("SoChungTu") or "").strip()[:60])


def parse_receipt_poll(body: bytes | Mapping[str, Any]) -> list[Receipt]:
    answer = parse_answer(body)
    if not answer.ok:
        raise TaxMessageError(f"the treasury refused: {answer.message}")
    items = answer.result or []
    if not isinstance(items, list):
        raise TaxMessageError("result is not a list")
    return [parse_receipt(item) if isinstance(item, Mapping) else _refuse_receipt() for item in items]


def _refuse_receipt() -> Receipt:
    raise TaxMessageError("a result item is not an object")


# --- Times ---------------------------------------------------------------------------------------------------------

def format_time(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("a time needs a time zone")
    return moment.astimezone(TIME_ZONE).strftime(TIME_FORMAT)


_STAMP = re.compile(r"^\d{14}$")


def parse_time(text: object) -> dt.datetime | None:
    if not isinstance(text, str) or not _STAMP.match(text):
        return None
    try:
        return dt.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=TIME_ZONE)
    except ValueError:
        return None


# --- What a simulated tax office computes (the simulator only; real offices apply the price tables) -------------

@dataclass(frozen=True)
class Rates:
    personal_income_tax: float = 0.02  # 2 % of the transfer price (Luật Thuế TNCN)
    registration_fee: float = 0.005  # 0.5 % (Nghị định 10/2022/NĐ-CP)
    minimum_price_per_m2: int = 5_000_000  # when the contract gives no price: a stand-in price table

    def lines_for(self, transfer: ReceivedTransfer) -> tuple[Obligation, ...]:
        base = transfer.contract_value or int(transfer.area_m2 * self.minimum_price_per_m2) or 1_000_000_000
        return (Obligation("1003", OBLIGATIONS["1003"], int(base * self.personal_income_tax)),
                Obligation("2801", OBLIGATIONS["2801"], int(base * self.registration_fee)))


def lines_text(lines: Sequence[Obligation]) -> str:
    return "; ".join(f"{line.name}: {line.amount:,}".replace(",", ".") + " đồng" for line in lines)
