"""Online pre-filling from the national population database after a VNeID sign-in (docs/vneid.md).

A citizen who signed in through an OIDC provider (VNeID) with an electronic identification level gets their own
registry data — looked up once per sign-in through ``motcua.integrations.population.lookup_person``, which leaves the
evidence — in the applicant page (name, personal ID number, residence) and in the e-form's groups marked
``"x-prefill": "applicant"`` (their ``ho_ten``, ``so_dinh_danh``, ``ngay_sinh``, ``gioi_tinh``, ``dia_chi``,
``quan_he_chu_ho`` questions). Those answers are **locked**: shown read-only, marked "Từ CSDL quốc gia về dân cư",
and put back over whatever a request posts (``enforce``), so a forged POST cannot change them. A citizen who finds
them wrong reports it (``RegistryDataReport``) for staff; the registry stays the source.

When the registry does not answer or does not know the number, nothing is locked and the citizen types as before.

Consent first (Decree 13/2023/NĐ-CP, Art. 11): the registry is asked only once the citizen has read the notice
``vneid_prefill`` and agreed (``prefill_consent`` records it, ``motcua.privacy.consents``); until then, or after
they withdraw it under "My account", nothing is looked up, filled or locked, and the form shows the notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.identity.assurance import level_of_request
from motcua.identity.models import AssuranceLevel, User

SESSION_KEY = "registry_prefill_answer"  # the id of this sign-in's RegistryAnswer about the citizen
PREFILL_MARK = "x-prefill"
APPLICANT = "applicant"
PURPOSE = "Điền sẵn tờ khai trực tuyến cho chính công dân sau khi đăng nhập VNeID"
SOURCE_LABEL = _("From the national population database")

# The applicant page's fields ("applicant/<name>") and the e-form questions of a marked group, by key.
APPLICANT_FIELDS = {"name": "full_name", "id_number": "national_id", "address": "residence"}
GROUP_FIELDS = {"ho_ten": "full_name", "so_dinh_danh": "national_id", "ngay_sinh": "date_of_birth",
                "gioi_tinh": "sex", "dia_chi": "residence", "noi_cu_tru": "residence",
                "quan_he_chu_ho": "household_relation"}
FIELD_LABELS = {"full_name": _("Full name"), "national_id": _("Personal ID number"),
                "date_of_birth": _("Date of birth"), "sex": _("Sex"), "residence": _("Place of residence"),
                "household_relation": _("Relation to the head of household")}


@dataclass(frozen=True)
class Prefill:
    """The locked answers of one application: ``applicant`` (applicant page field -> value) and ``form`` (e-form
    path "group/question" -> value), with the registry answer they come from."""

    answer_id: int
    answered_at: Any
    digest: str
    source: str
    values: dict[str, str]  # what the registry says, by our field name (full_name, national_id, …)
    applicant: dict[str, str] = field(default_factory=dict)
    form: dict[str, Any] = field(default_factory=dict)

    @property
    def locked_paths(self) -> set[str]:
        return {f"applicant/{k}" for k in self.applicant} | set(self.form)

    def is_locked(self, path: str) -> bool:
        return path in self.locked_paths


def registry_values(person: Any) -> dict[str, str]:
    """Our field name -> the registry's value, for a ``population.Person``."""
    residence = person.current_residence.full_text or person.permanent_residence.full_text
    household = getattr(person, "household", None)
    return {
        "full_name": person.full_name,
        "national_id": person.national_id,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "sex": person.sex,
        "residence": residence,
        "household_relation": household.relation_to_head if household is not None else "",
    }


def _sex_choice(spec: dict[str, Any], sex: str) -> str:
    """The e-form's choice for the registry's sex ("male"/"female"), among the enum the schema offers."""
    wanted = {"male": ("nam", "male", "m", "1"), "female": ("nu", "nữ", "female", "f", "2")}.get(sex, ())
    return next((str(v) for v in spec.get("enum", []) if str(v).lower() in wanted), "")


def locked_answers(eform: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The e-form answers the registry VALUES fill: path "group/question" -> value, for the groups marked
    ``"x-prefill": "applicant"`` and the questions of them that the registry knows (a value it lacks stays open)."""
    result: dict[str, Any] = {}
    for group, spec in (eform.get("properties") or {}).items():
        if not isinstance(spec, dict) or spec.get("type") != "object" or spec.get(PREFILL_MARK) != APPLICANT:
            continue
        for question, question_spec in (spec.get("properties") or {}).items():
            ours = GROUP_FIELDS.get(question)
            value = values.get(ours, "") if ours else ""
            if ours == "sex":
                value = _sex_choice(question_spec, value)
            if value:
                result[f"{group}/{question}"] = value
    return result


def eligible(request: HttpRequest) -> bool:
    """Whether this sign-in may have its registry data filled in: a citizen signed in through an identity
    provider that vouched for a level (not a password or a Zalo sign-in), with a personal ID number."""
    user = request.user
    return (isinstance(user, User) and bool(user.national_id) and bool(request.session.get("oidc_provider"))
            and level_of_request(request) >= AssuranceLevel.LEVEL_1)


def consented(request: HttpRequest) -> bool:
    """Whether the signed-in citizen agreed (and did not withdraw) that their registry data fill their forms."""
    from motcua.privacy.consents import consent_given
    from motcua.privacy.models import ConsentPurpose

    return consent_given(purpose=ConsentPurpose.VNEID_PREFILL, subject=request.user)


def needs_consent(request: HttpRequest) -> bool:
    """Whether to show the consent notice: the sign-in could fill the form, but the citizen has not agreed yet."""
    return eligible(request) and not consented(request)


def registry_answer(request: HttpRequest, *, retry: bool = False) -> Any | None:
    """The registry's answer about the signed-in citizen (a ``population.RegistryResult``), looked up once per
    sign-in (RETRY: again when the registry did not answer last time); None when not eligible or when the citizen
    has not agreed (``consented``): then nothing is asked."""
    if not eligible(request) or not consented(request):
        return None
    from motcua.integrations import population
    from motcua.integrations.models import RegistryAnswer

    user = request.user
    assert isinstance(user, User)  # noqa: S101 - eligible() checked it
    answer_id = request.session.get(SESSION_KEY)
    if answer_id:
        answer = RegistryAnswer.objects.filter(pk=answer_id, national_id=user.national_id).first()
        if answer is not None and not (retry and answer.status == RegistryAnswer.Status.UNAVAILABLE):
            return population.RegistryResult.from_answer(answer)
    try:
        result = population.lookup_person(str(user.national_id), actor=user, purpose=PURPOSE)
    except population.InvalidNationalId:
        return None
    request.session[SESSION_KEY] = result.answer_id
    return result


def prefill_for(request: HttpRequest, eform: dict[str, Any], *, retry: bool = False) -> Prefill | None:
    """The locked answers of an application to the procedure of EFORM by the signed-in citizen; None when there
    are none (not signed in with VNeID, or the registry did not find the citizen or did not answer)."""
    result = registry_answer(request, retry=retry)
    if result is None or not result.found or result.person is None:
        return None
    values = registry_values(result.person)
    applicant = {ours: values[theirs] for ours, theirs in APPLICANT_FIELDS.items() if values.get(theirs)}
    return Prefill(answer_id=result.answer_id, answered_at=result.answered_at, digest=result.digest,
                   source=result.source, values=values, applicant=applicant, form=locked_answers(eform, values))


def enforce(prefill: Prefill | None, applicant: dict[str, Any], form_data: dict[str, Any]) -> None:
    """Put the locked answers back over APPLICANT and FORM_DATA (in place): what a request posts for them is
    ignored, whatever the HTML said."""
    if prefill is None:
        return
    applicant.update(prefill.applicant)
    for path, value in prefill.form.items():
        group, _sep, question = path.partition("/")
        answers = form_data.get(group)
        if not isinstance(answers, dict):
            answers = form_data[group] = {}
        answers[question] = value


def unavailable_notice(request: HttpRequest) -> bool:
    """Whether to tell the citizen the registry did not answer this sign-in (so they type their data)."""
    result = registry_answer(request) if eligible(request) else None
    return result is not None and result.unavailable
