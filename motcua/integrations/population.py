"""Look-ups in the national population database (CSDL quốc gia về dân cư), for counter intake, online pre-filling
and the workflow's automatic check (docs/population.md). The interface other modules call:

- ``lookup_person(national_id, *, dossier=None, actor=None, purpose=..., household=False) -> RegistryResult``:
  raises ``InvalidNationalId`` for a number that cannot be one; otherwise always returns, with ``status`` "found",
  "not_found" or "unavailable" (the registry down, slow, refusing, answering nonsense, or not configured). Every
  call goes through ``IntegrationClient("dancu")`` (a ``CallRecord`` per attempt) and leaves a ``RegistryAnswer``
  (time, source, SHA-256 of the raw answer, normalised data); an answered look-up is logged as a read of the
  person's data (``motcua.privacy.access.record_access``).
- ``differences(typed, registry) -> list[Difference]``: what the applicant or clerk typed against the registry.
- ``attach_to_dossier(dossier, result)``: keep the answer on the dossier as its evidence.
- ``is_verified(dossier)`` / ``verification(dossier)``: whether the registry confirmed the applicant.

The message shapes are in ``adapters/population.py`` (all GUESSED but the ID number's structure)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

from motcua.adapters import population as adapter
from motcua.core.errors import UserError
from motcua.integrations.client import IntegrationClient, IntegrationError
from motcua.integrations.models import RegistryAnswer

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier

logger = logging.getLogger("motcua.integrations.population")

SYSTEM = "dancu"  # the system's name in MOTCUA_INTEGRATION_SYSTEMS_JSON and its LGSP route
REGISTRY = "population"
DEFAULT_PURPOSE = "Giải quyết thủ tục hành chính"
# How long a clerk's look-up made before the dossier exists may still be attached to it at intake.
ATTACH_WINDOW = dt.timedelta(hours=2)

Status = RegistryAnswer.Status
Person = adapter.Person
Residence = adapter.Residence


class InvalidNationalId(UserError, ValueError):
    """The number cannot be a personal ID number (12 digits, a birth-province code, a past year of birth): said
    for the person who typed it."""


def validate_national_id(value: str) -> str:
    """The number, stripped; InvalidNationalId when it cannot be one."""
    try:
        adapter.check_national_id(value)
    except adapter.NationalIdError as exc:
        raise InvalidNationalId(exc.code, exc.message_vi, exc.message_en) from None
    return value.strip()


@dataclass(frozen=True)
class RegistryResult:
    """What one look-up gave. `person` is set only when found; `answer_id` is the kept evidence."""

    status: str
    national_id: str
    person: Person | None
    source: str
    answered_at: dt.datetime
    digest: str  # SHA-256 of the raw answer ("" when there was none)
    request_id: str
    answer_id: int
    error: str = ""

    @property
    def found(self) -> bool:
        return self.status == Status.FOUND

    @property
    def unavailable(self) -> bool:
        return self.status == Status.UNAVAILABLE

    @classmethod
    def from_answer(cls, answer: RegistryAnswer) -> RegistryResult:
        person = Person.from_json(answer.data) if answer.status == Status.FOUND and answer.data else None
        return cls(status=answer.status, national_id=answer.national_id, person=person, source=answer.source,
                   answered_at=answer.answered_at, digest=answer.response_sha256, request_id=answer.request_id,
                   answer_id=answer.pk, error=answer.error)

    def intake_values(self) -> dict[str, str]:
        """The counter intake form's applicant fields this answer fills (empty when not found)."""
        if self.person is None:
            return {}
        p = self.person
        return {"name": p.full_name, "id_number": p.national_id,
                "address": p.current_residence.full_text or p.permanent_residence.full_text}


def configured() -> bool:
    return SYSTEM in dict(settings.MOTCUA_INTEGRATION_SYSTEMS)


def lookup_person(national_id: str, *, dossier: Dossier | None = None, actor: Any = None,
                  purpose: str = DEFAULT_PURPOSE, household: bool = False, agency_code: str = "",
                  transport: httpx.BaseTransport | None = None) -> RegistryResult:
    """Ask the population database about NATIONAL_ID (see the module docstring). ACTOR is the staff member or
    citizen asking (None: the system), PURPOSE why (sent to the registry and logged), HOUSEHOLD whether to ask for
    the household relation. Never raises for a registry problem."""
    national_id = validate_national_id(national_id)
    request_id = uuid.uuid4().hex
    official = str(getattr(actor, "username", "") or "") if getattr(actor, "is_authenticated", False) else ""
    message = adapter.build_lookup_request(adapter.LookupRequest(
        national_id=national_id, request_id=request_id, official=official, purpose=purpose[:300],
        agency_code=agency_code, household=household))
    raw = b""
    status, person, error = Status.UNAVAILABLE, None, ""
    if not configured():
        error = f"{SYSTEM} is not configured (MOTCUA_INTEGRATION_SYSTEMS_JSON)"
    else:
        try:
            with IntegrationClient(SYSTEM, transport=transport) as client:
                result = client.call(
                    adapter.SERVICE_LOOKUP, "POST", "/", json=message, idempotency_key=request_id,
                    dossier_id=dossier.pk if dossier is not None else None,
                    parse=lambda r: adapter.parse_lookup_answer(r.content, expected_national_id=national_id))
            raw = result.response.content
            status = Status.FOUND if result.value.found else Status.NOT_FOUND
            person = result.value.person
        except (IntegrationError, ImproperlyConfigured) as exc:
            error = str(exc)[:500]
            logger.warning("population look-up unavailable: %s", error)
    answer = RegistryAnswer.objects.create(
        registry=REGISTRY, source=SYSTEM, dossier=dossier, national_id=national_id, request_id=request_id,
        status=status, answered_at=timezone.now(), response_sha256=hashlib.sha256(raw).hexdigest() if raw else "",
        response_size=len(raw), data=person.to_json() if person else {}, error=error,
        actor=actor if getattr(actor, "is_authenticated", False) else None, purpose=purpose[:300])
    if status != Status.UNAVAILABLE:
        from motcua.privacy.access import record_access
        from motcua.privacy.models import AccessKind

        record_access(actor=actor, kind=AccessKind.POPULATION_LOOKUP, purpose=purpose, dossier=dossier,
                      subject_national_id=national_id, detail=f"{status}; {SYSTEM} {request_id}")
    return RegistryResult.from_answer(answer)


# --- differences -----------------------------------------------------------------------------------------------

FIELD_LABELS = {
    "full_name": _("Full name"),
    "national_id": _("Personal ID number"),
    "date_of_birth": _("Date of birth"),
    "sex": _("Sex"),
    "address": _("Address"),
    "permanent_residence": _("Permanent residence"),
    "current_residence": _("Current residence"),
}
SEX_LABELS = {adapter.SEX_MALE: _("Male"), adapter.SEX_FEMALE: _("Female")}
_SEX_WORDS = {"nam": adapter.SEX_MALE, "male": adapter.SEX_MALE, "m": adapter.SEX_MALE, "1": adapter.SEX_MALE,
              "nu": adapter.SEX_FEMALE, "female": adapter.SEX_FEMALE, "f": adapter.SEX_FEMALE,
              "2": adapter.SEX_FEMALE}


@dataclass(frozen=True)
class Difference:
    field: str
    typed: str
    registry: str

    @property
    def label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))


def _name_key(text: str) -> str:
    """Names compared as written (diacritics matter: "Bình" is not "Bính"), ignoring case and spacing."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _address_key(text: str) -> str:
    """Addresses compared without diacritics, case, punctuation and the "số" of house numbers."""
    words = re.findall(r"[a-z0-9]+", unidecode(unicodedata.normalize("NFC", text)).lower())
    return " ".join(w for w in words if w not in ("so",))


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC).date()
        except ValueError:
            continue
    return None


def differences(typed: dict[str, Any], registry: RegistryResult | Person | None) -> list[Difference]:
    """Where TYPED (keys: full_name, national_id, date_of_birth, sex, address, permanent_residence,
    current_residence; a missing or empty value is not compared) disagrees with the registry's person. `address`
    agrees when it is either the permanent or the current residence. No person: no differences (nothing known)."""
    person = registry.person if isinstance(registry, RegistryResult) else registry
    if person is None:
        return []
    found: list[Difference] = []

    def given(key: str) -> str:
        value = typed.get(key)
        return "" if value is None else str(value).strip()

    if given("full_name") and _name_key(given("full_name")) != _name_key(person.full_name):
        found.append(Difference("full_name", given("full_name"), person.full_name))
    if given("national_id") and given("national_id") != person.national_id:
        found.append(Difference("national_id", given("national_id"), person.national_id))
    if given("date_of_birth") and person.date_of_birth is not None:
        typed_date = _date(typed["date_of_birth"])
        if typed_date != person.date_of_birth:
            found.append(Difference("date_of_birth", given("date_of_birth"),
                                    person.date_of_birth.strftime("%d/%m/%Y")))
    if given("sex") and person.sex:
        typed_sex = _SEX_WORDS.get(unidecode(given("sex")).lower())
        if typed_sex != person.sex:
            found.append(Difference("sex", given("sex"), str(SEX_LABELS.get(person.sex, person.sex))))
    for key, residence in (("permanent_residence", person.permanent_residence),
                           ("current_residence", person.current_residence)):
        if given(key) and _address_key(given(key)) != _address_key(residence.full_text):
            found.append(Difference(key, given(key), residence.full_text))
    if given("address"):
        keys = {_address_key(person.permanent_residence.full_text), _address_key(person.current_residence.full_text)}
        if _address_key(given("address")) not in keys:
            found.append(Difference("address", given("address"), person.current_residence.full_text
                                    or person.permanent_residence.full_text))
    return found


def typed_on_dossier(dossier: Dossier) -> dict[str, str]:
    """What was typed on DOSSIER about its applicant, in `differences`' keys."""
    return {"full_name": dossier.applicant_name, "national_id": dossier.applicant_id_number,
            "address": dossier.applicant_address}


# --- the dossier's evidence -------------------------------------------------------------------------------------

class AttachError(ValueError):
    """The answer cannot be this dossier's evidence (another person's, another clerk's, too old)."""


def attach_to_dossier(dossier: Dossier, result: RegistryResult | int, *, actor: Any = None) -> RegistryAnswer:
    """Keep the look-up's answer on DOSSIER. An answer made without a dossier is attached to it; one already on
    another dossier is copied (the same evidence, a new row). The answer must be about the dossier's applicant
    and, when ACTOR is given, made by ACTOR within ATTACH_WINDOW (a form cannot attach someone else's look-up)."""
    answer_id = result if isinstance(result, int) else result.answer_id
    answer = RegistryAnswer.objects.get(pk=answer_id)
    if answer.national_id != dossier.applicant_id_number.strip():
        raise AttachError("the answer is about another personal ID number")
    if actor is not None and (answer.actor_id != getattr(actor, "pk", None)
                              or timezone.now() - answer.answered_at > ATTACH_WINDOW):
        raise AttachError("the answer was not made by this user just now")
    if answer.dossier_id == dossier.pk:
        return answer
    if answer.dossier_id is None:
        RegistryAnswer.objects.filter(pk=answer.pk, dossier__isnull=True).update(dossier=dossier)
        answer.refresh_from_db()
        if answer.dossier_id == dossier.pk:
            return answer
    answer.pk = None
    answer.dossier = dossier
    answer.save(force_insert=True)
    return answer


def latest_answer(dossier: Dossier) -> RegistryAnswer | None:
    return (RegistryAnswer.objects.filter(dossier=dossier, registry=REGISTRY)
            .order_by("-answered_at", "-pk").first())


def verifying_answer(dossier: Dossier) -> RegistryAnswer | None:
    """The latest answer that found the dossier's applicant in the registry, if any."""
    return (RegistryAnswer.objects.filter(dossier=dossier, registry=REGISTRY, status=Status.FOUND,
                                          national_id=dossier.applicant_id_number.strip())
            .order_by("-answered_at", "-pk").first())


def is_verified(dossier: Dossier) -> bool:
    """Whether the registry found the dossier's applicant (by personal ID number) in a look-up kept on it."""
    return verifying_answer(dossier) is not None


def confirming_answer(user: Any) -> RegistryAnswer | None:
    """A population database answer that confirms USER's personal ID number: the registry found that number, under
    USER's name (compared as `differences` does: diacritics matter, case and spacing do not), in a look-up made
    *for USER* — their own (the online pre-fill after a VNeID sign-in) or one kept on a dossier they applied with.
    A look-up of the same number by someone else (e.g. a clerk's, for another applicant) does not count: it says
    the number exists, not that this account is its holder. None when no answer confirms it."""
    from django.db.models import Q

    national_id = str(getattr(user, "national_id", "") or "")
    name = _name_key(str(getattr(user, "full_name", "") or ""))
    if len(national_id) != 12 or not national_id.isdigit() or not name or not getattr(user, "pk", None):
        return None
    answers = (RegistryAnswer.objects.filter(registry=REGISTRY, status=Status.FOUND, national_id=national_id)
               .filter(Q(actor=user) | Q(dossier__applicant=user)).order_by("-answered_at", "-pk"))
    for answer in answers[:20]:
        data = answer.data or {}
        if str(data.get("national_id", "")) == national_id and _name_key(str(data.get("full_name", ""))) == name:
            return answer
    return None


VERIFIED, NOT_FOUND, UNVERIFIED = "verified", "not_found", "unverified"


def verification(dossier: Dossier) -> str:
    """`verified` (the registry found the applicant), `not_found` (it answered that the number is unknown) or
    `unverified` (no answer: not looked up, or the registry did not answer)."""
    if is_verified(dossier):
        return VERIFIED
    latest = latest_answer(dossier)
    if latest is not None and latest.status == Status.NOT_FOUND:
        return NOT_FOUND
    return UNVERIFIED


# Differences that keep the automatic check step for its officer (an address typed otherwise is common and is
# shown on the dossier, but is no reason to doubt who the applicant is).
BLOCKING_DIFFERENCES = frozenset({"full_name", "national_id", "date_of_birth", "sex"})


def step_evidence(dossier: Dossier) -> dict[str, Any] | None:
    """The workflow's `population_check` (an automatic catalog step): the evidence to record when the registry
    found the applicant and what was typed about who they are agrees with it; None keeps the step for the
    specialist (not looked up, the registry did not answer, not found, or a name that differs)."""
    answer = verifying_answer(dossier)
    if answer is None:
        return None
    person = RegistryResult.from_answer(answer).person
    if person is None or any(d.field in BLOCKING_DIFFERENCES
                             for d in differences(typed_on_dossier(dossier), person)):
        return None
    answered = timezone.localtime(answer.answered_at)
    return {
        "registry_answer": answer.pk, "registry_source": answer.source, "registry_sha256": answer.response_sha256,
        "registry_answered_at": answer.answered_at.isoformat(),
        "note": (f"Đã đối chiếu tự động với CSDL quốc gia về dân cư lúc {answered:%H:%M:%S %d/%m/%Y} "
                 f"(SHA-256 {answer.response_sha256[:16]}…)"),
    }
