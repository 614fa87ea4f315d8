"""Messages of the national payment platform (Nền tảng thanh toán trực tuyến of the national public-service portal,
Cổng DVCQG): builders, parsers and checksums of its init, confirmation (callback), reply and get-bill messages.

Pure functions over plain data: no HTTP, no Django, no database. The province's provider
(``motcua.payments.paygov``) and the simulator (``simulators/payment_platform.py``) both speak through this module.

Source: /work/shared/reference/national-integrations.md §1.8(a) (OpenCPS v2, ``pay-gate-integration``:
``PayGateIntegrationActionImpl``, ``PayGateUtil``, ``PayGateTerm``). Every shape is tagged in ``EVIDENCE``; the ones
no public source shows are tagged ``GUESSED`` here and in docs/payments.md, and must be checked against the
platform's onboarding document before going live. They are all constants or small functions of this module, so
that confirming them changes one file.

Checksums (``MaXacThuc``) [E]: the lower-case hex SHA-256 of the listed fields joined by ``|`` in the listed order,
then ``|`` and the shared hash key (a plain hash with the key appended, not an HMAC). Received checksums are compared
in constant time and a mismatch is refused (OpenCPS computes the checksum but does not refuse; we do).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

# --- Evidence markers ----------------------------------------------------------------------------------------------

EVIDENCED: Final = "evidenced"
GUESSED: Final = "guessed"

EVIDENCE: Final[Mapping[str, str]] = {
    "init: JSON POST, fields LoaiBanTin … Ip, ThongTinBienLai, MaXacThuc": EVIDENCED,
    "init checksum over LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|SoTien|LoaiHinhThanhToan|MaKenhThanhToan|"
    "MaThietBi|NgonNgu|MaTienTe|MaNganHang|ThongTinGiaoDich|ThoiGianGD|Ip|key": EVIDENCED,
    "MaThamChieu at most 20 characters, unique per attempt": EVIDENCED,
    "init answer MaLoi '00' = success": EVIDENCED,
    "init answer: the payment page URL in field UrlThanhToan": GUESSED,
    "values of LoaiBanTin (init / confirm / get bill) and PhienBan": GUESSED,
    "values of LoaiHinhThanhToan, MaKenhThanhToan, MaThietBi, MaTienTe, NgonNgu": GUESSED,
    "ThongTinBienLai fields (MaDichVu 2 = public-service fees, PhiLePhi[] with LoaiPhiLePhi 1/2)": EVIDENCED,
    "confirmation callback fields and checksum LoaiBanTin|MaLoi|MaDoiTac|MaThamChieu|SoTien|MaTienTe|MaGiaoDich|"
    "MaNganHang|ThoiGianGD|ThongTinGiaoDich|key": EVIDENCED,
    "reply {MaLoi '00'|'99', MoTaLoi, MaDoiTac, MaThamChieu, ThoiGianGD, MaXacThuc}": EVIDENCED,
    "reply MaXacThuc echoes the callback's (as OpenCPS does)": EVIDENCED,
    "callback MaLoi codes other than '00' (failed, cancelled)": GUESSED,
    "get-bill request checksum LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|ThoiGianGD|key": EVIDENCED,
    "get-bill ThoiGianGD = the init's ThoiGianGD": GUESSED,
    "get-bill answer: the confirmation's fields and checksum; MaLoi '00' paid, '04' no paid transaction": GUESSED,
    "browser return: the confirmation's fields as query parameters": GUESSED,
    "callback and return URLs registered with the platform at onboarding (not sent in init)": GUESSED,
}

# --- Constants -----------------------------------------------------------------------------------------------------

TIME_ZONE: Final = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT: Final = "%Y%m%d%H%M%S"
REFERENCE_MAX_LENGTH: Final = 20  # MaThamChieu [E]

CODE_SUCCESS: Final = "00"  # [E]
CODE_OTHER_ERROR: Final = "99"  # [E] "Các lỗi khác", in the reply to a confirmation
CODE_FAILED: Final = "01"  # GUESSED: the payer's bank refused / payment failed
CODE_CANCELLED: Final = "02"  # GUESSED: the payer cancelled on the platform's page
CODE_BAD_CHECKSUM: Final = "03"  # GUESSED: the platform's answer to a request with a wrong MaXacThuc
CODE_NOT_FOUND: Final = "04"  # GUESSED: get bill for a MaThamChieu with no paid transaction

# GUESSED: OpenCPS reads these from each province's configuration (LoaiBanTinInit, LoaiBanTinConfirm,
# LoaiBanTinGetBill, PhienBan); their values are given at onboarding. Overridable by settings.
MESSAGE_TYPE_INIT: Final = "KhoiTaoGiaoDich"
MESSAGE_TYPE_CONFIRM: Final = "XacNhanGiaoDich"
MESSAGE_TYPE_GET_BILL: Final = "LayBienLai"
VERSION: Final = "1.0.0"
# GUESSED: channel values, configured per province in OpenCPS.
PAYMENT_TYPE: Final = "PAY"  # LoaiHinhThanhToan
CHANNEL_WEB: Final = "WEB"  # MaKenhThanhToan
DEVICE_DESKTOP: Final = "DESKTOP"  # MaThietBi
CURRENCY_VND: Final = "VND"  # MaTienTe
SERVICE_PUBLIC_FEES: Final = "2"  # ThongTinBienLai.MaDichVu: 2 = public-service fees and charges [E], 1 = fines
FEE_KIND_FEE: Final = "1"  # LoaiPhiLePhi: phí [E]
FEE_KIND_CHARGE: Final = "2"  # LoaiPhiLePhi: lệ phí [E]
INIT_ANSWER_URL_FIELD: Final = "UrlThanhToan"  # GUESSED

INIT_CHECKSUM_FIELDS: Final = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "LoaiHinhThanhToan",
                               "MaKenhThanhToan", "MaThietBi", "NgonNgu", "MaTienTe", "MaNganHang",
                               "ThongTinGiaoDich", "ThoiGianGD", "Ip")
CONFIRM_CHECKSUM_FIELDS: Final = ("LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe",
                                  "MaGiaoDich", "MaNganHang", "ThoiGianGD", "ThongTinGiaoDich")
BILL_REQUEST_CHECKSUM_FIELDS: Final = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")
BILL_ANSWER_CHECKSUM_FIELDS: Final = CONFIRM_CHECKSUM_FIELDS  # GUESSED
BILL_ANSWER_EXTRA_FIELDS: Final = ("MoTaLoi",)  # GUESSED

_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


class PaymentPlatformMessageError(ValueError):
    """A body that is not a well-formed payment-platform message (not JSON, wrong shape, missing field)."""


class BadChecksum(PaymentPlatformMessageError):
    """MaXacThuc missing or not the one the shared key gives."""


# --- Checksums -----------------------------------------------------------------------------------------------------


def field_text(value: object) -> str:
    """A field as the checksum reads it: strings as they are, whole numbers in decimal, null as empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise PaymentPlatformMessageError(f"not a string or whole number: {value!r}")


def checksum(values: Sequence[str], key: str) -> str:
    """``sha256("v1|v2|…|vn|key")`` in lower-case hex [E]."""
    return hashlib.sha256("|".join([*values, key]).encode("utf-8")).hexdigest()


def checksum_of(message: Mapping[str, Any], fields: Sequence[str], key: str) -> str:
    return checksum([field_text(message.get(name)) for name in fields], key)


def checksum_matches(expected: str, received: object) -> bool:
    """Constant-time comparison; the received value must be 64 hex digits (any case)."""
    if not isinstance(received, str) or not _HEX64.match(received):
        return False
    return hmac.compare_digest(expected.lower().encode("ascii"), received.lower().encode("ascii"))


def verify(message: Mapping[str, Any], fields: Sequence[str], key: str) -> None:
    """Raise BadChecksum unless MESSAGE's MaXacThuc is the checksum of FIELDS with KEY."""
    if not key:
        raise BadChecksum("no hash key configured")
    try:
        expected = checksum_of(message, fields, key)
    except PaymentPlatformMessageError as exc:  # a field that is neither text nor a whole number: not signable
        raise BadChecksum(f"unreadable field: {exc}") from exc
    if not checksum_matches(expected, message.get("MaXacThuc")):
        raise BadChecksum("MaXacThuc missing or wrong")


# --- Dates ---------------------------------------------------------------------------------------------------------


def format_time(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a payment-platform time needs a time zone")
    return moment.astimezone(TIME_ZONE).strftime(TIME_FORMAT)


def parse_time(text: object) -> datetime | None:
    """``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh; None when empty or unreadable."""
    if not isinstance(text, str) or len(text) != 14 or not text.isdigit():
        return None
    try:
        return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=TIME_ZONE)
    except ValueError:
        return None


def _amount(value: object, name: str = "SoTien") -> int:
    text = field_text(value)
    if not text.isdigit() or len(text) > 15:
        raise PaymentPlatformMessageError(f"{name} is not a whole number of đồng: {value!r}")
    return int(text)


def _object(body: bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise PaymentPlatformMessageError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise PaymentPlatformMessageError("not a JSON object")
    return data


def encode(message: Mapping[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- Init ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeLine:
    """One PhiLePhi item of ThongTinBienLai."""

    code: str
    name: str
    amount: int
    kind: str = FEE_KIND_FEE


@dataclass(frozen=True)
class BillInfo:
    """ThongTinBienLai: what the platform prints on the e-receipt (biên lai điện tử)."""

    agency_code: str  # MaDonVi
    agency_name: str  # TenDonVi
    dossier_code: str  # MaHoSo
    procedure_code: str  # MaTTHC
    procedure_name: str  # TenTTHC
    payer_name: str  # HoTenNguoiNop
    content: str  # NoiDungThanhToan
    lines: tuple[FeeLine, ...] = ()
    service_code: str = ""  # MaDVC
    service_name: str = ""  # TenDVC
    beneficiary_account: str = ""  # TKThuHuong
    beneficiary_bank: str = ""  # MaNHThuHuong
    beneficiary_name: str = ""  # TenTKThuHuong

    def as_message(self) -> dict[str, Any]:
        return {
            "MaDichVu": SERVICE_PUBLIC_FEES, "MaDonVi": self.agency_code, "TenDonVi": self.agency_name,
            "MaHoSo": self.dossier_code, "MaDVC": self.service_code, "TenDVC": self.service_name,
            "MaTTHC": self.procedure_code, "TenTTHC": self.procedure_name,
            "TKThuHuong": self.beneficiary_account, "MaNHThuHuong": self.beneficiary_bank,
            "TenTKThuHuong": self.beneficiary_name,
            "PhiLePhi": [{"LoaiPhiLePhi": line.kind, "MaPhiLePhi": line.code, "TenPhiLePhi": line.name,
                          "SoTien": str(line.amount)} for line in self.lines],
            "NoiDungThanhToan": self.content, "HoTenNguoiNop": self.payer_name,
        }


@dataclass(frozen=True)
class InitRequest:
    partner_code: str  # MaDoiTac
    reference: str  # MaThamChieu
    amount: int  # SoTien, whole đồng
    transaction_info: str  # ThongTinGiaoDich
    transaction_time: str  # ThoiGianGD, yyyyMMddHHmmss GMT+7
    ip: str
    bill: BillInfo | None = None
    language: str = "vi"  # NgonNgu (GUESSED values vi/en)
    bank_code: str = ""  # MaNganHang: empty lets the payer choose on the platform
    message_type: str = MESSAGE_TYPE_INIT
    version: str = VERSION
    payment_type: str = PAYMENT_TYPE
    channel: str = CHANNEL_WEB
    device: str = DEVICE_DESKTOP
    currency: str = CURRENCY_VND


def build_init_request(request: InitRequest, key: str) -> dict[str, Any]:
    if not request.reference or len(request.reference) > REFERENCE_MAX_LENGTH:
        raise ValueError(f"MaThamChieu must have 1 to {REFERENCE_MAX_LENGTH} characters: {request.reference!r}")
    if request.amount <= 0:
        raise ValueError("SoTien must be a positive whole number of đồng")
    if parse_time(request.transaction_time) is None:
        raise ValueError(f"ThoiGianGD is not yyyyMMddHHmmss: {request.transaction_time!r}")
    body: dict[str, Any] = {
        "LoaiBanTin": request.message_type, "PhienBan": request.version, "MaDoiTac": request.partner_code,
        "MaThamChieu": request.reference, "SoTien": str(request.amount), "LoaiHinhThanhToan": request.payment_type,
        "MaKenhThanhToan": request.channel, "MaThietBi": request.device, "NgonNgu": request.language,
        "MaTienTe": request.currency, "MaNganHang": request.bank_code, "ThongTinGiaoDich": request.transaction_info,
        "ThoiGianGD": request.transaction_time, "Ip": request.ip,
    }
    if request.bill is not None:
        body["ThongTinBienLai"] = request.bill.as_message()
    body["MaXacThuc"] = checksum_of(body, INIT_CHECKSUM_FIELDS, key)
    return body


@dataclass(frozen=True)
class ReceivedInit:
    """An init request as the platform (the simulator) reads it, checksum verified."""

    partner_code: str
    reference: str
    amount: int
    transaction_info: str
    transaction_time: str
    currency: str
    bill: Mapping[str, Any] = field(default_factory=dict)


def parse_init_request(body: bytes | Mapping[str, Any], key: str) -> ReceivedInit:
    message = _object(body)
    verify(message, INIT_CHECKSUM_FIELDS, key)
    reference = field_text(message.get("MaThamChieu"))
    if not reference or len(reference) > REFERENCE_MAX_LENGTH:
        raise PaymentPlatformMessageError(f"MaThamChieu must have 1 to {REFERENCE_MAX_LENGTH} characters")
    amount = _amount(message.get("SoTien"))
    if amount <= 0:
        raise PaymentPlatformMessageError("SoTien must be positive")
    if parse_time(message.get("ThoiGianGD")) is None:
        raise PaymentPlatformMessageError("ThoiGianGD is not yyyyMMddHHmmss")
    bill = message.get("ThongTinBienLai") or {}
    if not isinstance(bill, Mapping):
        raise PaymentPlatformMessageError("ThongTinBienLai is not an object")
    return ReceivedInit(partner_code=field_text(message.get("MaDoiTac")), reference=reference, amount=amount,
                        transaction_info=field_text(message.get("ThongTinGiaoDich")),
                        transaction_time=field_text(message.get("ThoiGianGD")),
                        currency=field_text(message.get("MaTienTe")), bill=dict(bill))


@dataclass(frozen=True)
class InitAnswer:
    code: str
    message: str
    payment_url: str

    @property
    def ok(self) -> bool:
        return self.code == CODE_SUCCESS and bool(self.payment_url)


def build_init_answer(code: str, message: str, payment_url: str = "") -> dict[str, Any]:
    answer: dict[str, Any] = {"MaLoi": code, "MoTaLoi": message}
    if payment_url:
        answer[INIT_ANSWER_URL_FIELD] = payment_url
    return answer


def parse_init_answer(body: bytes | Mapping[str, Any]) -> InitAnswer:
    message = _object(body)
    if "MaLoi" not in message:
        raise PaymentPlatformMessageError("no MaLoi in the init answer")
    return InitAnswer(code=field_text(message.get("MaLoi")), message=field_text(message.get("MoTaLoi")),
                      payment_url=field_text(message.get(INIT_ANSWER_URL_FIELD)))


# --- Confirmation (callback), reply, browser return ----------------------------------------------------------------


@dataclass(frozen=True)
class Confirmation:
    """What the platform says about one transaction: the confirmation callback, the browser return or a bill."""

    message_type: str
    code: str  # MaLoi: "00" paid
    partner_code: str
    reference: str  # MaThamChieu
    amount: int  # SoTien, whole đồng
    currency: str
    transaction_no: str  # MaGiaoDich
    bank_code: str
    transaction_time: str  # ThoiGianGD
    transaction_info: str

    @property
    def paid(self) -> bool:
        return self.code == CODE_SUCCESS

    def as_message(self) -> dict[str, Any]:
        return {"LoaiBanTin": self.message_type, "MaLoi": self.code, "MaDoiTac": self.partner_code,
                "MaThamChieu": self.reference, "SoTien": str(self.amount), "MaTienTe": self.currency,
                "MaGiaoDich": self.transaction_no, "MaNganHang": self.bank_code, "ThoiGianGD": self.transaction_time,
                "ThongTinGiaoDich": self.transaction_info}


def build_confirmation(confirmation: Confirmation, key: str) -> dict[str, Any]:
    body = confirmation.as_message()
    body["MaXacThuc"] = checksum_of(body, CONFIRM_CHECKSUM_FIELDS, key)
    return body


def _read_confirmation(message: Mapping[str, Any]) -> Confirmation:
    reference = field_text(message.get("MaThamChieu"))
    if not reference:
        raise PaymentPlatformMessageError("MaThamChieu is missing")
    amount_text = field_text(message.get("SoTien"))
    return Confirmation(
        message_type=field_text(message.get("LoaiBanTin")), code=field_text(message.get("MaLoi")),
        partner_code=field_text(message.get("MaDoiTac")), reference=reference,
        amount=_amount(amount_text) if amount_text else 0, currency=field_text(message.get("MaTienTe")),
        transaction_no=field_text(message.get("MaGiaoDich")), bank_code=field_text(message.get("MaNganHang")),
        transaction_time=field_text(message.get("ThoiGianGD")),
        transaction_info=field_text(message.get("ThongTinGiaoDich")),
    )


def parse_confirmation(body: bytes | Mapping[str, Any], key: str) -> Confirmation:
    """A confirmation callback (JSON) or browser return (query parameters), checksum verified first."""
    message = _object(body)
    verify(message, CONFIRM_CHECKSUM_FIELDS, key)
    return _read_confirmation(message)


def build_confirm_reply(code: str, description: str, *, partner_code: str, received: Mapping[str, Any]
                        ) -> dict[str, Any]:
    """Our answer to a confirmation: MaLoi "00" (recorded) or "99" (refused / other error) [E]. MaThamChieu and
    ThoiGianGD are the callback's; MaXacThuc echoes the callback's as OpenCPS does [E] — we never compute a checksum
    with our key over fields a caller chose (that would make the endpoint a signing oracle)."""

    def echo(name: str, limit: int) -> str:
        value = received.get(name)
        return value[:limit] if isinstance(value, str) else ""

    return {"MaLoi": code, "MoTaLoi": description, "MaDoiTac": partner_code,
            "MaThamChieu": echo("MaThamChieu", 40), "ThoiGianGD": echo("ThoiGianGD", 14),
            "MaXacThuc": echo("MaXacThuc", 64)}


def parse_confirm_reply(body: bytes | Mapping[str, Any]) -> tuple[str, str]:
    message = _object(body)
    return field_text(message.get("MaLoi")), field_text(message.get("MoTaLoi"))


# --- Get bill ------------------------------------------------------------------------------------------------------


def build_bill_request(*, partner_code: str, reference: str, transaction_time: str, key: str,
                       message_type: str = MESSAGE_TYPE_GET_BILL, version: str = VERSION) -> dict[str, Any]:
    body: dict[str, Any] = {"LoaiBanTin": message_type, "PhienBan": version, "MaDoiTac": partner_code,
                            "MaThamChieu": reference, "ThoiGianGD": transaction_time}
    body["MaXacThuc"] = checksum_of(body, BILL_REQUEST_CHECKSUM_FIELDS, key)
    return body


@dataclass(frozen=True)
class ReceivedBillRequest:
    partner_code: str
    reference: str
    transaction_time: str


def parse_bill_request(body: bytes | Mapping[str, Any], key: str) -> ReceivedBillRequest:
    message = _object(body)
    verify(message, BILL_REQUEST_CHECKSUM_FIELDS, key)
    reference = field_text(message.get("MaThamChieu"))
    if not reference:
        raise PaymentPlatformMessageError("MaThamChieu is missing")
    return ReceivedBillRequest(partner_code=field_text(message.get("MaDoiTac")), reference=reference,
                               transaction_time=field_text(message.get("ThoiGianGD")))


def build_bill_answer(confirmation: Confirmation, key: str, description: str = "") -> dict[str, Any]:
    """GUESSED shape: the confirmation's fields, signed as a confirmation, plus MoTaLoi."""
    body = confirmation.as_message()
    body["MoTaLoi"] = description
    body["MaXacThuc"] = checksum_of(body, BILL_ANSWER_CHECKSUM_FIELDS, key)
    return body


@dataclass(frozen=True)
class Bill:
    found: bool  # a paid transaction exists for the reference
    confirmation: Confirmation
    description: str


def parse_bill_answer(body: bytes | Mapping[str, Any], key: str) -> Bill:
    """The get-bill answer, checksum verified (an unsigned answer is refused: reconciliation settles on it)."""
    message = _object(body)
    verify(message, BILL_ANSWER_CHECKSUM_FIELDS, key)
    confirmation = _read_confirmation(message)
    return Bill(found=confirmation.code == CODE_SUCCESS, confirmation=confirmation,
                description=field_text(message.get("MoTaLoi")))
