"""Messages of the national population database (CSDL quốc gia về dân cư, Ministry of Public Security / C06),
reached through the province's LGSP or the national NDXP: the look-up of one citizen by personal ID number
(số định danh cá nhân), and the public check of that number's shape.

Pure functions over plain data: no HTTP, no Django, no database. The province's service
(``motcua.integrations.population``) and the simulator (``simulators/population.py``) both speak through this
module, so that confirming the real shape at onboarding changes this file only.

Source: /work/shared/reference/national-integrations.md §3. **No public specification or client code of this
service exists**; every message shape here is GUESSED from the reference's best-evidenced outline (request
``SoDinhDanh`` with ``HoVaTen``/``NgaySinh`` for matching, the calling official and purpose, a request ID for the
audit log; answer: a match flag plus selected attributes) and written in the §0 conventions of the national JSON
services (``service`` selector, ``error_code``/``message`` envelope, ``yyyyMMdd`` dates, ``"True"``/``"False"``).
The one evidenced rule is the ID number's structure (Thông tư 07/2016/TT-BCA, amended by Thông tư 59/2021/TT-BCA):
3 digits of the province of birth registration, 1 digit of century and sex, 2 digits of the year of birth,
6 random digits. The ``EVIDENCE`` table lists what is what (docs/population.md repeats it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Final
from zoneinfo import ZoneInfo

EVIDENCED: Final = "evidenced"
GUESSED: Final = "guessed"

EVIDENCE: Final[Mapping[str, str]] = {
    "personal ID number: 12 digits = province code (3) + century/sex (1) + year of birth (2) + 6 digits": EVIDENCED,
    "service reached through LGSP/NDXP after an agreement with the Ministry of Public Security": EVIDENCED,
    "JSON POST to one endpoint, operation named in the body field `service`": GUESSED,
    "operation name TraCuuThongTinCongDan": GUESSED,
    "request fields SoDinhDanh, HoVaTen, NgaySinh, MaYeuCau, MaCanBo, MucDich, MaDonVi, LayThongTinHoGiaDinh": GUESSED,
    "answer envelope {error_code, message, MaYeuCau, KetQua{TimThay, CongDan}}": GUESSED,
    "citizen fields SoDinhDanh, HoVaTen, NgaySinh (yyyyMMdd), GioiTinh (1 nam, 2 nữ), DanToc, QuocTich": GUESSED,
    "residence objects ThuongTru / NoiOHienTai {MaTinh, MaXa (2025 codes), ChiTiet, DiaChiDayDu}": GUESSED,
    "household object HoGiaDinh {MaHo, ChuHo{SoDinhDanh, HoVaTen}, QuanHeVoiChuHo, ThanhVien[]}": GUESSED,
    "error_code values: 0 answered, 1 malformed request, 2 not authorised, 99 service error": GUESSED,
}

SERVICE_LOOKUP: Final = "TraCuuThongTinCongDan"
DATE_FORMAT: Final = "%Y%m%d"
TIME_ZONE: Final = ZoneInfo("Asia/Ho_Chi_Minh")
_DATE_DIGITS = re.compile(r"^[0-9]{8}$")


def parse_date(text: str) -> dt.date | None:
    """A ``yyyyMMdd`` date ("" is unknown: None); PopulationMessageError for anything else."""
    if not text:
        return None
    try:
        if not _DATE_DIGITS.match(text):
            raise ValueError(text)
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as exc:
        raise PopulationMessageError(f"not a yyyyMMdd date: {text!r}") from exc
CODE_OK: Final = 0
CODE_BAD_REQUEST: Final = 1
CODE_NOT_AUTHORISED: Final = 2
CODE_SERVICE_ERROR: Final = 99

SEX_MALE: Final = "male"
SEX_FEMALE: Final = "female"
_SEX_CODES: Final = {"1": SEX_MALE, "2": SEX_FEMALE}

# The 63 province codes of the old map, as birth registration places in ID numbers (Thông tư 07/2016/TT-BCA);
# the numbers were issued under the old map, so IDs keep these codes after the 2025 merger.
PROVINCE_CODES: Final = frozenset({
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024",
    "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045",
    "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070",
    "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
    "094", "095", "096",
})
# The 4th digit: century of birth and sex (even: male, odd: female): 0/1 1900s, 2/3 2000s, 4/5 2100s,
# 6/7 2200s, 8/9 2300s.
_CENTURIES: Final = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 2300, 9: 2300}
_TWELVE_DIGITS = re.compile(r"^[0-9]{12}$")


class PopulationMessageError(ValueError):
    """A body that is not a well-formed message of the population service."""


class NationalIdError(ValueError):
    """A personal ID number that cannot be one: `code` says why, `message_vi`/`message_en` say it to a person."""

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


@dataclass(frozen=True)
class NationalIdFacts:
    """What the number itself says: where the birth was registered, the century of birth, the sex, the year."""

    province_code: str
    sex: str
    birth_year: int


def check_national_id(value: str, *, today: dt.date | None = None) -> NationalIdFacts:
    """The facts a 12-digit personal ID number carries; NationalIdError for one that cannot be a real number
    (not 12 digits, unknown province code, a birth year in the future)."""
    text = (value or "").strip()
    if not _TWELVE_DIGITS.match(text):
        raise NationalIdError("format", "Số định danh cá nhân phải gồm đúng 12 chữ số.",
                              "A personal ID number has exactly 12 digits.")
    if text[:3] not in PROVINCE_CODES:
        raise NationalIdError("province", f"Ba chữ số đầu «{text[:3]}» không phải mã tỉnh nơi đăng ký khai sinh.",
                              f"The first three digits “{text[:3]}” are not a province code.")
    digit = int(text[3])
    year = _CENTURIES[digit] + int(text[4:6])
    if year > (today or dt.datetime.now(TIME_ZONE).date()).year:
        raise NationalIdError("century", "Chữ số thứ tư (thế kỷ, giới tính) và năm sinh của số định danh không hợp lệ.",
                              "The fourth digit (century and sex) and the year of birth do not make a past year.")
    return NationalIdFacts(province_code=text[:3], sex=SEX_MALE if digit % 2 == 0 else SEX_FEMALE, birth_year=year)


# --- data --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Residence:
    province_code: str = ""
    commune_code: str = ""
    detail: str = ""  # street, house number, hamlet (ChiTiet)
    full_text: str = ""  # the whole address as one line (DiaChiDayDu)


@dataclass(frozen=True)
class HouseholdMember:
    national_id: str
    full_name: str
    relation: str


@dataclass(frozen=True)
class Household:
    code: str = ""
    head_national_id: str = ""
    head_name: str = ""
    relation_to_head: str = ""  # "Chủ hộ", "Vợ", "Con"… as the registry words it
    members: tuple[HouseholdMember, ...] = ()


@dataclass(frozen=True)
class Person:
    national_id: str
    full_name: str
    date_of_birth: dt.date | None
    sex: str  # SEX_MALE / SEX_FEMALE / ""
    permanent_residence: Residence = field(default_factory=Residence)
    current_residence: Residence = field(default_factory=Residence)
    ethnicity: str = ""
    nationality: str = ""
    household: Household | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (dates as ISO text), as the evidence keeps it."""
        data = asdict(self)
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else ""
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Person:
        household = data.get("household")
        born = str(data.get("date_of_birth") or "")
        return cls(
            national_id=str(data["national_id"]), full_name=str(data.get("full_name", "")),
            date_of_birth=dt.date.fromisoformat(born) if born else None, sex=str(data.get("sex", "")),
            permanent_residence=Residence(**dict(data.get("permanent_residence") or {})),
            current_residence=Residence(**dict(data.get("current_residence") or {})),
            ethnicity=str(data.get("ethnicity", "")), nationality=str(data.get("nationality", "")),
            household=None if not household else Household(
                **{**household, "members": tuple(HouseholdMember(**m) for m in household.get("members", ()))}),
        )


@dataclass(frozen=True)
class LookupRequest:
    national_id: str
    request_id: str  # MaYeuCau, kept in the evidence
    official: str = ""  # MaCanBo: the staff account that asks ("" for the system / the citizen themself)
    purpose: str = ""  # MucDich
    agency_code: str = ""  # MaDonVi: the asking agency's e-ID code
    full_name: str = ""  # optional, for matching
    date_of_birth: dt.date | None = None
    household: bool = False


@dataclass(frozen=True)
class LookupAnswer:
    """The service's answer: found with the person, or not found (an answer too: the number is not registered)."""

    request_id: str
    found: bool
    person: Person | None = None
    message: str = ""


# --- building and parsing ------------------------------------------------------------------------------------------


def encode(message: Mapping[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def build_lookup_request(request: LookupRequest) -> dict[str, Any]:
    return {
        "service": SERVICE_LOOKUP,
        "MaYeuCau": request.request_id,
        "SoDinhDanh": request.national_id,
        "HoVaTen": request.full_name,
        "NgaySinh": request.date_of_birth.strftime(DATE_FORMAT) if request.date_of_birth else "",
        "MaCanBo": request.official,
        "MucDich": request.purpose,
        "MaDonVi": request.agency_code,
        "LayThongTinHoGiaDinh": "True" if request.household else "False",
    }


def _object(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise PopulationMessageError(f"{what} is not a JSON object")
    return data


def _text(data: Mapping[str, Any], name: str, *, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise PopulationMessageError(f"{name} is not text")
    if required and not str(value).strip():
        raise PopulationMessageError(f"{name} is missing")
    return str(value).strip()


def parse_lookup_request(body: bytes) -> LookupRequest:
    """The simulator's reading of a request (PopulationMessageError for a body it cannot use)."""
    try:
        data = _object(json.loads(body or b"null"), "the request")
    except json.JSONDecodeError as exc:
        raise PopulationMessageError(f"not JSON: {exc.msg}") from exc
    if data.get("service") != SERVICE_LOOKUP:
        raise PopulationMessageError(f"unknown service {data.get('service')!r}")
    date_of_birth = parse_date(_text(data, "NgaySinh"))
    household = _text(data, "LayThongTinHoGiaDinh") or "False"
    if household not in ("True", "False"):
        raise PopulationMessageError("LayThongTinHoGiaDinh must be \"True\" or \"False\"")
    return LookupRequest(
        national_id=_text(data, "SoDinhDanh", required=True), request_id=_text(data, "MaYeuCau", required=True),
        official=_text(data, "MaCanBo"), purpose=_text(data, "MucDich"), agency_code=_text(data, "MaDonVi"),
        full_name=_text(data, "HoVaTen"), date_of_birth=date_of_birth, household=household == "True",
    )


def _residence_message(residence: Residence) -> dict[str, str]:
    return {"MaTinh": residence.province_code, "MaXa": residence.commune_code, "ChiTiet": residence.detail,
            "DiaChiDayDu": residence.full_text}


def build_person(person: Person, *, household: bool) -> dict[str, Any]:
    message: dict[str, Any] = {
        "SoDinhDanh": person.national_id, "HoVaTen": person.full_name,
        "NgaySinh": person.date_of_birth.strftime(DATE_FORMAT) if person.date_of_birth else "",
        "GioiTinh": {SEX_MALE: "1", SEX_FEMALE: "2"}.get(person.sex, ""),
        "DanToc": person.ethnicity, "QuocTich": person.nationality,
        "ThuongTru": _residence_message(person.permanent_residence),
        "NoiOHienTai": _residence_message(person.current_residence),
    }
    if household and person.household is not None:
        h = person.household
        message["HoGiaDinh"] = {
            "MaHo": h.code, "ChuHo": {"SoDinhDanh": h.head_national_id, "HoVaTen": h.head_name},
            "QuanHeVoiChuHo": h.relation_to_head,
            "ThanhVien": [{"SoDinhDanh": m.national_id, "HoVaTen": m.full_name, "QuanHeVoiChuHo": m.relation}
                          for m in h.members],
        }
    return message


def build_lookup_answer(request_id: str, person: Person | None, *, household: bool = False,
                        code: int = CODE_OK, message: str = "") -> dict[str, Any]:
    """The service's answer (the simulator's): found / not found, or an error code with its message."""
    answer: dict[str, Any] = {"error_code": code, "message": message, "MaYeuCau": request_id}
    if code == CODE_OK:
        answer["KetQua"] = {"TimThay": "True" if person else "False",
                            "CongDan": build_person(person, household=household) if person else None}
    return answer


def _residence(data: Any, what: str) -> Residence:
    if data in (None, ""):
        return Residence()
    data = _object(data, what)
    return Residence(province_code=_text(data, "MaTinh"), commune_code=_text(data, "MaXa"),
                     detail=_text(data, "ChiTiet"), full_text=_text(data, "DiaChiDayDu"))


def _household(data: Any) -> Household | None:
    if data in (None, ""):
        return None
    data = _object(data, "HoGiaDinh")
    head = _object(data.get("ChuHo") or {}, "ChuHo")
    members = data.get("ThanhVien") or []
    if not isinstance(members, list):
        raise PopulationMessageError("ThanhVien is not a list")
    return Household(
        code=_text(data, "MaHo"), head_national_id=_text(head, "SoDinhDanh"), head_name=_text(head, "HoVaTen"),
        relation_to_head=_text(data, "QuanHeVoiChuHo"),
        members=tuple(HouseholdMember(national_id=_text(m, "SoDinhDanh"), full_name=_text(m, "HoVaTen"),
                                      relation=_text(m, "QuanHeVoiChuHo"))
                      for m in (_object(x, "ThanhVien[]") for x in members)),
    )


class ServiceError(Exception):
    """The service answered with an error code (not a malformed body): `code` and its `message`."""

    def __init__(self, code: Any, message: str) -> None:
        super().__init__(f"error_code {code}: {message}")
        self.code = code
        self.message = message


def _error_code(value: Any) -> int:
    # As the other national services, accept 0, "0" and "00" for success (reference §0).
    if isinstance(value, bool):
        raise PopulationMessageError("error_code is not a number")
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise PopulationMessageError("error_code is not a number") from exc


def parse_lookup_answer(body: bytes, *, expected_national_id: str) -> LookupAnswer:
    """The answer to a look-up of EXPECTED_NATIONAL_ID. PopulationMessageError for a body that is not such an
    answer (including a person with another number); ServiceError when the service says it failed."""
    try:
        data = _object(json.loads(body or b"null"), "the answer")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PopulationMessageError(f"not JSON: {exc}") from exc
    if "error_code" not in data:
        raise PopulationMessageError("error_code is missing")
    code = _error_code(data["error_code"])
    message = _text(data, "message")
    request_id = _text(data, "MaYeuCau")
    if code != CODE_OK:
        raise ServiceError(code, message)
    result = _object(data.get("KetQua"), "KetQua")
    found = _text(result, "TimThay")
    if found not in ("True", "False"):
        raise PopulationMessageError("TimThay must be \"True\" or \"False\"")
    if found == "False":
        return LookupAnswer(request_id=request_id, found=False, message=message)
    citizen = _object(result.get("CongDan"), "CongDan")
    national_id = _text(citizen, "SoDinhDanh", required=True)
    if national_id != expected_national_id:
        raise PopulationMessageError("the answer is about another personal ID number")
    date_of_birth = parse_date(_text(citizen, "NgaySinh"))
    sex_code = _text(citizen, "GioiTinh")
    if sex_code and sex_code not in _SEX_CODES:
        raise PopulationMessageError(f"unknown GioiTinh {sex_code!r}")
    person = Person(
        national_id=national_id, full_name=_text(citizen, "HoVaTen", required=True), date_of_birth=date_of_birth,
        sex=_SEX_CODES.get(sex_code, ""), ethnicity=_text(citizen, "DanToc"), nationality=_text(citizen, "QuocTich"),
        permanent_residence=_residence(citizen.get("ThuongTru"), "ThuongTru"),
        current_residence=_residence(citizen.get("NoiOHienTai"), "NoiOHienTai"),
        household=_household(citizen.get("HoGiaDinh")),
    )
    return LookupAnswer(request_id=request_id, found=True, person=person, message=message)
