"""Messages of the national portal's petitions system (PAKN, phản ánh kiến nghị): pull the petitions assigned to the
province's agencies, acknowledge them, push the answer back.

**Every shape here is GUESSED** (reference note §7: the PAKN module has no public API spec; only the DVCQG Q&A field
names `HOIDAPID`, `MADONVI`, `TENDONVI`, `NOIDUNG`, `HOVATEN`, `THUDIENTU`, `DIACHI`, `SODIENTHOAI`, `NOIDUNGTRALOI`,
`NGUOITRALOI`, `NGAYTRALOI` are evidenced, from the Q&A feed). They are all constants or small functions of this module
so that confirming them against the operator's onboarding document changes one file. docs/integrations.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

EVIDENCED: Final = "evidenced"
GUESSED: Final = "guessed"

EVIDENCE: Final[Mapping[str, str]] = {
    "field names HOVATEN, THUDIENTU, DIACHI, SODIENTHOAI, NOIDUNG, MADONVI, TENDONVI, NOIDUNGTRALOI, NGUOITRALOI "
    "(the DVCQG Q&A feed)": EVIDENCED,
    "transport: HTTPS POST, JSON, UTF-8, the operation in the body field `service` (§0 convention)": GUESSED,
    "services LayDanhSachPAKN (pull), XacNhanPAKN (acknowledge), DongBoKetQuaPAKN (answer)": GUESSED,
    "the national petition ID field MAPAKN (like HOIDAPID)": GUESSED,
    "pull answers {error_code, message, result[]} of petitions not yet acknowledged, at most `SoLuong`": GUESSED,
    "fields TIEUDE, NGAYGUI (dd/MM/yyyy HH:mm:ss), HANXULY (dd/MM/yyyy), DONGYCONGKHAI (0/1)": GUESSED,
    "answer fields MAPAKN, MADONVI, NOIDUNGTRALOI, NGUOITRALOI, NGAYTRALOI (dd/MM/yyyy), CONGKHAI (0/1)": GUESSED,
    "an acknowledged or answered ID sent again is success (the system is idempotent on MAPAKN)": GUESSED,
}

SERVICE_PULL: Final = "LayDanhSachPAKN"
SERVICE_ACK: Final = "XacNhanPAKN"
SERVICE_ANSWER: Final = "DongBoKetQuaPAKN"
PATH: Final = "/"
ERROR_CODE_SUCCESS: Final = 0
ERROR_CODE_INVALID: Final = -4
DATETIME_FORMAT: Final = "%d/%m/%Y %H:%M:%S"
DATE_FORMAT: Final = "%d/%m/%Y"
PAGE_SIZE: Final = 50

_ID = re.compile(r"^[A-Za-z0-9._-]{1,60}$")


class PetitionMessageError(ValueError):
    """A body that is not a well-formed PAKN message."""


class PetitionsRefused(PetitionMessageError):
    def __init__(self, error_code: str, message: str) -> None:
        super().__init__(f"error_code {error_code}: {message}")
        self.error_code = error_code
        self.message = message


@dataclass(frozen=True)
class NationalPetition:
    national_id: str
    agency_code: str  # MADONVI
    agency_name: str
    title: str
    content: str
    name: str
    phone: str
    email: str
    address: str
    sent_at: dt.datetime | None
    consent_to_publish: bool


@dataclass(frozen=True)
class PulledItem:
    """One item of a pull: PETITION when it could be read, else ERROR (and NATIONAL_ID when it had one)."""

    national_id: str
    raw: Any
    petition: NationalPetition | None = None
    error: str = ""


def encode(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def build_pull_request(province_code: str, limit: int = PAGE_SIZE) -> dict[str, Any]:
    return {"service": SERVICE_PULL, "MaTinh": province_code, "SoLuong": limit}


def build_ack_request(national_id: str, agency_code: str) -> dict[str, Any]:
    return {"service": SERVICE_ACK, "MAPAKN": national_id, "MADONVI": agency_code}


def build_answer_request(national_id: str, agency_code: str, reply: str, answered_by: str, answered_on: dt.date,
                         publish: bool) -> dict[str, Any]:
    return {"service": SERVICE_ANSWER, "MAPAKN": national_id, "MADONVI": agency_code, "NOIDUNGTRALOI": reply,
            "NGUOITRALOI": answered_by, "NGAYTRALOI": answered_on.strftime(DATE_FORMAT),
            "CONGKHAI": 1 if publish else 0}


def build_result(error_code: int, message: str = "", result: Sequence[Any] = ()) -> dict[str, Any]:
    return {"error_code": error_code, "message": message, "result": list(result)}


def petition_to_wire(p: NationalPetition) -> dict[str, Any]:
    return {"MAPAKN": p.national_id, "MADONVI": p.agency_code, "TENDONVI": p.agency_name, "TIEUDE": p.title,
            "NOIDUNG": p.content, "HOVATEN": p.name, "SODIENTHOAI": p.phone, "THUDIENTU": p.email,
            "DIACHI": p.address, "NGAYGUI": p.sent_at.strftime(DATETIME_FORMAT) if p.sent_at else "",
            "DONGYCONGKHAI": 1 if p.consent_to_publish else 0}


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PetitionMessageError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise PetitionMessageError("not a JSON object")
    return data


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise PetitionMessageError(f"not text: {value!r}")


def national_id_of(item: Any) -> str:
    """The item's MAPAKN when it is a usable ID, else ''."""
    if not isinstance(item, dict):
        return ""
    value = item.get("MAPAKN")
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return text if _ID.match(text) else ""


def petition_from_wire(item: Any) -> NationalPetition:
    if not isinstance(item, dict):
        raise PetitionMessageError("a petition must be an object")
    national_id = national_id_of(item)
    if not national_id:
        raise PetitionMessageError("MAPAKN is missing or malformed")
    agency_code = _text(item.get("MADONVI"))
    if not agency_code:
        raise PetitionMessageError("MADONVI is missing")
    content = _text(item.get("NOIDUNG"))
    if not content:
        raise PetitionMessageError("NOIDUNG is missing")
    name = _text(item.get("HOVATEN"))
    if not name:
        raise PetitionMessageError("HOVATEN is missing")
    sent = _text(item.get("NGAYGUI"))
    sent_at = None
    if sent:
        try:
            sent_at = dt.datetime.strptime(sent, DATETIME_FORMAT)  # noqa: DTZ007 - local (Vietnam) time, made aware by the caller
        except ValueError as exc:
            raise PetitionMessageError(f"NGAYGUI is not dd/MM/yyyy HH:mm:ss: {sent!r}") from exc
    consent = _text(item.get("DONGYCONGKHAI"))
    if consent not in ("", "0", "1"):
        raise PetitionMessageError(f"DONGYCONGKHAI must be 0 or 1: {consent!r}")
    return NationalPetition(national_id=national_id, agency_code=agency_code,
                            agency_name=_text(item.get("TENDONVI")), title=_text(item.get("TIEUDE")),
                            content=content, name=name, phone=_text(item.get("SODIENTHOAI")),
                            email=_text(item.get("THUDIENTU")), address=_text(item.get("DIACHI")),
                            sent_at=sent_at, consent_to_publish=consent == "1")


def _envelope(body: bytes) -> list[Any]:
    data = _json_object(body)
    if "error_code" not in data:
        raise PetitionMessageError("error_code is missing")
    error_code = str(data["error_code"]).strip()
    if error_code not in ("0", "00"):
        raise PetitionsRefused(error_code, str(data.get("message") or ""))
    result = data.get("result")
    if result is None:
        return []
    if not isinstance(result, list):
        raise PetitionMessageError("result must be a list")
    return result


def parse_pull_answer(body: bytes) -> list[PulledItem]:
    """The pulled petitions, each read on its own: one bad item does not lose the others. The same MAPAKN twice is
    one item (the first)."""
    items: list[PulledItem] = []
    seen: set[str] = set()
    for raw in _envelope(body):
        national_id = national_id_of(raw)
        if national_id and national_id in seen:
            continue
        seen.add(national_id) if national_id else None
        try:
            items.append(PulledItem(national_id=national_id, raw=raw, petition=petition_from_wire(raw)))
        except PetitionMessageError as exc:
            items.append(PulledItem(national_id=national_id, raw=raw, error=str(exc)[:300]))
    return items


def parse_ack_answer(body: bytes) -> None:
    _envelope(body)


parse_answer_answer = parse_ack_answer


# --- the simulator's side ------------------------------------------------------------------------------------------

def parse_request(body: bytes) -> dict[str, Any]:
    """A request to the petitions system: the service and its fields (refuses an unknown service or missing IDs)."""
    data = _json_object(body)
    service = data.get("service")
    if service == SERVICE_PULL:
        if not _text(data.get("MaTinh")):
            raise PetitionMessageError("MaTinh is required")
    elif service in (SERVICE_ACK, SERVICE_ANSWER):
        if not national_id_of(data) or not _text(data.get("MADONVI")):
            raise PetitionMessageError("MAPAKN and MADONVI are required")
        if service == SERVICE_ANSWER:
            if not _text(data.get("NOIDUNGTRALOI")):
                raise PetitionMessageError("NOIDUNGTRALOI is required")
            if data.get("CONGKHAI") not in (0, 1):
                raise PetitionMessageError("CONGKHAI must be 0 or 1")
    else:
        raise PetitionMessageError(f"unknown service: {service!r}")
    return data
