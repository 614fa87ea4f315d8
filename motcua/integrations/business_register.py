"""The national business register (CSDL quốc gia về đăng ký doanh nghiệp): look up an enterprise by its enterprise
code / tax code, and make a citizen an organisation's representative when the register names them.

Every look-up goes through the integration layer (`IntegrationClient`, system ``dkkd``: timeouts, retries, breaker,
one CallRecord per attempt), is kept as a `BusinessRegisterAnswer` (time, who, why, digest, what the register said)
and, when a member of staff asks, logged as a read of each legal representative's personal data
(`motcua.privacy.access.record_access`). The message shapes are in `adapters/business_register.py` (all GUESSED);
docs/integrations-business-register.md describes the whole.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from stdnum.vn import mst as stdnum_mst

from motcua.adapters import business_register as adapter
from motcua.core.errors import UserError
from motcua.integrations.client import IntegrationClient, IntegrationError
from motcua.integrations.models import BusinessRegisterAnswer

SYSTEM = "dkkd"  # the system's name in MOTCUA_INTEGRATION_SYSTEMS_JSON and on the LGSP (đăng ký kinh doanh)
OPERATION = adapter.SERVICE_LOOKUP


class BusinessRegisterError(UserError):
    """A look-up that gave no usable answer, or a representation the register forbids; in both languages."""

    INVALID = "invalid"  # the code is not a valid enterprise code / tax code
    NOT_CONFIGURED = "not_configured"  # this installation has no connection to the register
    UNAVAILABLE = "unavailable"  # the register (or the gateway) did not answer usably
    NOT_FOUND = "not_found"  # the register knows no enterprise with that code
    ENDED = "ended"  # dissolved, bankrupt or merged away: nobody acts for it

    @property
    def kind(self) -> str:
        """One of the kinds above (the error's `code`)."""
        return self.code


def normalise_code(text: str) -> str:
    """The enterprise code (= tax code) in compact form, 10 or 13 digits, checked with its check digit."""
    code = stdnum_mst.compact(text or "")
    if not text.strip() or not stdnum_mst.is_valid(code):
        raise BusinessRegisterError(
            BusinessRegisterError.INVALID,
            "Mã số thuế không hợp lệ: mã số doanh nghiệp (mã số thuế) có 10 chữ số, hoặc 13 chữ số với chi nhánh "
            "(dạng 0123456789-001), và chữ số kiểm tra phải đúng.",
            "The tax code is not valid: an enterprise code (tax code) has 10 digits, or 13 for a branch "
            "(as 0123456789-001), and its check digit must be right.")
    return code


def is_configured() -> bool:
    return SYSTEM in dict(settings.MOTCUA_INTEGRATION_SYSTEMS)


def _unavailable(detail: str = "") -> BusinessRegisterError:
    error = BusinessRegisterError(
        BusinessRegisterError.UNAVAILABLE,
        "Chưa tra cứu được CSDL quốc gia về đăng ký doanh nghiệp (hệ thống không trả lời). Vui lòng thử lại sau "
        "hoặc nhập thông tin theo giấy tờ.",
        "The national business register could not be consulted (it did not answer). Please try again later or "
        "type the details from the papers.")
    error.__notes__ = [detail] if detail else []
    return error


@dataclass(frozen=True)
class Lookup:
    answer: BusinessRegisterAnswer
    record: adapter.BusinessRecord | None


def _parse(response: httpx.Response, code: str) -> adapter.LookupAnswer | adapter.RegisterRefused:
    try:
        return adapter.parse_lookup_answer(response.content, code)
    except adapter.RegisterRefused as refused:  # a well-formed refusal: not a malformed body
        return refused


def look_up(code: str, *, actor: Any, purpose: str, dossier: Any = None,
            transport: httpx.BaseTransport | None = None) -> Lookup:
    """Ask the register about the enterprise with CODE (validated first) for PURPOSE, on behalf of ACTOR (a user or
    None), possibly for DOSSIER. Returns the answer kept as evidence and the record (None: not found). Raises
    BusinessRegisterError (INVALID, NOT_CONFIGURED, UNAVAILABLE)."""
    code = normalise_code(code)
    if not is_configured():
        raise BusinessRegisterError(
            BusinessRegisterError.NOT_CONFIGURED,
            "Hệ thống chưa được kết nối với CSDL quốc gia về đăng ký doanh nghiệp.",
            "This system is not connected to the national business register.")
    request_id = uuid.uuid4().hex
    body = adapter.build_lookup_request(code, request_id, purpose)
    try:
        with IntegrationClient(SYSTEM, transport=transport) as client:
            result = client.call(OPERATION, "POST", adapter.LOOKUP_PATH, json=body,
                                 parse=lambda response: _parse(response, code),
                                 # a read: safe to send again, so retried like an idempotent method
                                 idempotency_key=request_id, dossier_id=getattr(dossier, "pk", None))
    except IntegrationError as exc:
        raise _unavailable(str(exc)) from exc
    if isinstance(result.value, adapter.RegisterRefused):
        raise _unavailable(str(result.value))
    record = result.value.record
    user = actor if getattr(actor, "is_authenticated", False) else None
    answer = BusinessRegisterAnswer.objects.create(
        code=code, found=record is not None, status=record.status if record else "",
        status_text=record.status_text[:200] if record else "", name=record.name[:255] if record else "",
        address=record.address[:300] if record else "", record=record.to_json() if record else {},
        request_id=request_id, response_sha256=hashlib.sha256(result.response.content).hexdigest(),
        asked_by=user, purpose=purpose[:300], asked_at=timezone.now(), dossier=dossier)
    if record is not None and user is not None and user.is_staff:
        from motcua.privacy.access import record_access
        from motcua.privacy.models import AccessKind

        for person in record.representatives:
            record_access(actor=user, kind=AccessKind.BUSINESS_LOOKUP, purpose=purpose, dossier=dossier,
                          subject_national_id=person.national_id,
                          detail=f"{adapter.wire_code(code)} {person.name}"[:300])
    return Lookup(answer=answer, record=record)


def refuse_if_ended(record: adapter.BusinessRecord) -> None:
    if record.ended:
        raise BusinessRegisterError(
            BusinessRegisterError.ENDED,
            f"Theo CSDL quốc gia về đăng ký doanh nghiệp, {record.name} (mã số {adapter.wire_code(record.code)}) có "
            f"tình trạng “{record.status_text}”: doanh nghiệp không còn tồn tại nên không ai có thể đại diện cho "
            "doanh nghiệp này.",
            f"According to the national business register, {record.name} ({adapter.wire_code(record.code)}) is "
            f"“{record.status_text}”: the enterprise no longer exists, so nobody can represent it.")


# --- representation --------------------------------------------------------------------------------------------


def verified_national_id(user: Any) -> str:
    """The personal ID number of USER that an outside authority vouched for, or "" (`identity_proof`)."""
    return identity_proof(user)[0]


VNEID_PROOF, POPULATION_PROOF = "vneid", "population"


def identity_proof(user: Any) -> tuple[str, str]:
    """USER's personal ID number an outside authority vouched for, and which one: ("…", "vneid"), ("…",
    "population") or ("", "").

    Counts, in this order: the ID a national identity provider (VNeID) gave at a sign-in of electronic
    identification level 1 or more (the account is linked by that ID, and its `assurance_level` is the level of
    that sign-in); else an answer of the national population database that found that ID under the account's name
    in a look-up made for this citizen (`population.confirming_answer`). An ID merely typed, or set by an
    administrator on an account that never signed in through VNeID nor was looked up for, does not count."""
    from motcua.identity.models import AssuranceLevel
    from motcua.integrations import population

    national_id = str(getattr(user, "national_id", "") or "")
    if len(national_id) != 12 or not national_id.isdigit():
        return "", ""
    if int(getattr(user, "assurance_level", 0) or 0) >= AssuranceLevel.LEVEL_1:
        return national_id, VNEID_PROOF
    if population.confirming_answer(user) is not None:
        return national_id, POPULATION_PROOF
    return "", ""


@dataclass(frozen=True)
class Claim:
    """The outcome of `claim_representation`: the representation, whether the register granted it, and why not."""

    representation: Any
    granted: bool
    reason: str  # "named" | "not_named" | "not_verified" | "unavailable" | "not_configured"


def claim_representation(*, user: Any, tax_code: str, name: str = "", address: str = "",
                         transport: httpx.BaseTransport | None = None) -> Claim:
    """USER asks to be the legal representative of the enterprise with TAX_CODE.

    The register is asked first. A dissolved / bankrupt / merged enterprise, or a code it does not know, is refused
    (BusinessRegisterError). When it names USER (matched by USER's verified personal ID: VNeID or the population
    database, `identity_proof`), the representation is
    confirmed at once with the register's answer as its evidence. Otherwise (not named, ID not verified, register
    down or not connected) the claim waits for a clerk as before (`register_organisation`), which may refuse it
    (SignInError) while someone else is the confirmed legal representative. Idempotent: asking again upgrades a
    pending claim once the register names USER, and leaves a confirmed one as it is."""
    from motcua.identity.actions import register_organisation, representation_agency
    from motcua.identity.models import Organisation, Representation

    code = normalise_code(tax_code)
    lookup: Lookup | None = None
    reason = ""
    try:
        lookup = look_up(code, actor=user, purpose="Xác định người đại diện theo pháp luật của doanh nghiệp "
                                                    "theo đề nghị của chính người đó", transport=transport)
    except BusinessRegisterError as exc:
        if exc.kind not in (BusinessRegisterError.UNAVAILABLE, BusinessRegisterError.NOT_CONFIGURED):
            raise
        reason = exc.kind
    record = lookup.record if lookup else None
    if lookup is not None and record is None:
        raise BusinessRegisterError(
            BusinessRegisterError.NOT_FOUND,
            f"CSDL quốc gia về đăng ký doanh nghiệp không có doanh nghiệp nào mang mã số {adapter.wire_code(code)}. "
            "Vui lòng kiểm tra lại mã số trên Giấy chứng nhận đăng ký doanh nghiệp.",
            f"The national business register has no enterprise with code {adapter.wire_code(code)}. Please check "
            "the code on the enterprise registration certificate.")
    if record is not None:
        refuse_if_ended(record)
    national_id, proof = identity_proof(user)
    named = record.names(national_id) if record is not None else None
    if record is not None and named is None:
        reason = "not_named" if national_id else "not_verified"
    if named is None or lookup is None or record is None:
        organisation = register_organisation(
            representative=user, tax_code=code, name=record.name if record else name,
            address=record.address if record else address)
        if record is not None and (organisation.name, organisation.address) != (record.name, record.address):
            organisation.name, organisation.address = record.name[:255], record.address[:300]
            organisation.save(update_fields=["name", "address"])
        representation = Representation.objects.get(user=user, organisation=organisation)
        if lookup is not None:
            BusinessRegisterAnswer.objects.filter(pk=lookup.answer.pk).update(representation=representation)
        return Claim(representation=representation, granted=representation.status == Representation.Status.CONFIRMED,
                     reason=reason)
    with transaction.atomic():
        organisation, _created = Organisation.objects.select_for_update().get_or_create(
            tax_code=code, defaults={"name": record.name[:255], "address": record.address[:300]})
        if (organisation.name, organisation.address) != (record.name[:255], record.address[:300]):
            organisation.name, organisation.address = record.name[:255], record.address[:300]
            organisation.save(update_fields=["name", "address"])
        representation, _created = Representation.objects.select_for_update().get_or_create(
            user=user, organisation=organisation,
            defaults={"kind": Representation.Kind.LEGAL, "reviewing_agency": representation_agency()})
        if not (representation.status == Representation.Status.CONFIRMED
                and representation.kind == Representation.Kind.LEGAL
                and representation.source == Representation.Source.BUSINESS_REGISTER):
            representation.kind = Representation.Kind.LEGAL
            representation.status = Representation.Status.CONFIRMED
            representation.source = Representation.Source.BUSINESS_REGISTER
            representation.decided_by, representation.decided_at = None, timezone.now()
            representation.valid_until = None
            representation.decision_note = (
                f"CSDL quốc gia về đăng ký doanh nghiệp ghi nhận là người đại diện theo pháp luật ({named.title})"
                if named.title else "CSDL quốc gia về đăng ký doanh nghiệp ghi nhận là người đại diện theo pháp luật")
            if proof == POPULATION_PROOF:
                representation.decision_note += "; số định danh cá nhân được xác nhận qua CSDL quốc gia về dân cư"
            representation.save()
        BusinessRegisterAnswer.objects.filter(pk=lookup.answer.pk).update(representation=representation)
    return Claim(representation=representation, granted=True, reason="named")


# --- counter intake --------------------------------------------------------------------------------------------


def attach_to_dossier(answer_id: str, *, dossier: Any, actor: Any) -> bool:
    """Keep the look-up the clerk made while filling the intake form (ANSWER_ID, from the form) as evidence on the
    new DOSSIER: only ACTOR's own, not yet attached, for the code the dossier carries. True when attached."""
    if not str(answer_id).isdigit():
        return False
    try:
        code = normalise_code(dossier.applicant_id_number)
    except BusinessRegisterError:
        return False
    return bool(BusinessRegisterAnswer.objects.filter(
        pk=int(answer_id), asked_by=actor, dossier__isnull=True, code=code, found=True).update(dossier=dossier))


@dataclass(frozen=True)
class IntakeLookup:
    """What the clerk's look-up gave the intake form: the register's answer (kept, attached to the dossier once it
    is received), or the error to show; the form keeps everything typed either way."""

    answer: BusinessRegisterAnswer | None = None
    record: adapter.BusinessRecord | None = None
    error: BusinessRegisterError | None = None

    @property
    def ended(self) -> bool:
        return self.record is not None and self.record.ended

    @property
    def wire_code(self) -> str:
        return adapter.wire_code(self.record.code) if self.record else ""


def intake_lookup(values: dict[str, str], *, actor: Any,
                  transport: httpx.BaseTransport | None = None) -> IntakeLookup:
    """The counter's "Tra cứu CSDL đăng ký doanh nghiệp": look the tax code typed as the applicant's ID up and, when
    the register knows the enterprise, fill VALUES (the intake form's) with its name, head-office address and code.
    Nothing typed is lost: a failed look-up changes no value."""
    try:
        lookup = look_up(values.get("id_number", ""), actor=actor, transport=transport,
                         purpose="Tiếp nhận hồ sơ tại Bộ phận Một cửa: điền thông tin tổ chức nộp hồ sơ")
    except BusinessRegisterError as exc:
        return IntakeLookup(error=exc)
    record = lookup.record
    if record is None:
        code = adapter.wire_code(lookup.answer.code)
        return IntakeLookup(answer=lookup.answer, error=BusinessRegisterError(
            BusinessRegisterError.NOT_FOUND,
            f"CSDL quốc gia về đăng ký doanh nghiệp không có doanh nghiệp nào mang mã số {code}: kiểm tra lại mã số "
            "hoặc nhập thông tin theo giấy tờ.",
            f"The national business register has no enterprise with code {code}: check the code or type the details "
            "from the papers."))
    values.update(name=record.name[:200], address=record.address[:300], id_number=record.code)
    return IntakeLookup(answer=lookup.answer, record=record)
