"""The population database in the back office: the clerk's look-up at counter intake, the registry panel of the
dossier page (the registry's data, its differences with what was typed, the evidence), and a new look-up from the
dossier page (docs/population.md).

`lookup_for_intake` is the one function a counter look-up goes through: it asks for the applicant's consent first
(Decree 13/2023/NĐ-CP, Art. 11: the clerk confirms the applicant was shown the notice and agreed, the box of
`{% consent_notice "population_lookup" by_clerk=True %}`), records it (`record_consent`, channel counter) and only
then asks the registry."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.backoffice.selectors import StaffScope
from motcua.core.errors import show_error, user_message
from motcua.core.i18n import in_language
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import complete_automatic_step
from motcua.integrations import population
from motcua.integrations.models import RegistryAnswer
from motcua.portal.models import RegistryDataReport
from motcua.portal.prefill import FIELD_LABELS
from motcua.privacy.access import record_access
from motcua.privacy.consents import consent_in, counter_window, record_consent
from motcua.privacy.models import AccessKind, Consent, ConsentPurpose

INTAKE_PURPOSE = "Tiếp nhận hồ sơ tại bộ phận một cửa"


@dataclass
class IntakeLookup:
    """What a counter look-up gave the intake form: the values to fill, the fields filled, a message."""

    result: population.RegistryResult | None = None
    values: dict[str, str] = field(default_factory=dict)
    message: str = ""
    error: str = ""  # a number that cannot be one: shown at the ID field
    consent_error: str = ""  # the applicant's consent was not confirmed: shown at the consent notice, nothing asked
    consent: Consent | None = None  # the consent recorded before the look-up

    @property
    def filled(self) -> set[str]:
        return set(self.values)


CONSENT_MISSING = (
    "Chưa tra cứu: hãy cho người nộp hồ sơ đọc thông báo về việc tra cứu CSDL quốc gia về dân cư và đánh dấu ô "
    "xác nhận họ đồng ý. Nếu họ không đồng ý, hãy nhập thông tin theo giấy tờ của họ.",
    "Not looked up: show the applicant the notice about the look-up in the national population database and tick "
    "the box confirming that they agree. If they do not agree, type their details from their papers.")


def lookup_for_intake(request: HttpRequest, actor: Any, national_id: str, *, agency_code: str = "") -> IntakeLookup:
    """Look NATIONAL_ID up for the intake form of ACTOR (a clerk), once the applicant's consent is confirmed in the
    form (the box `consent_population_lookup`) and recorded. Never raises for the registry: a number that cannot be
    one comes back as `error`, a missing consent as `consent_error` (nothing is asked or recorded), a registry that
    does not answer as a message saying intake goes on by hand."""
    try:
        national_id = population.validate_national_id(national_id)
    except population.InvalidNationalId as exc:
        return IntakeLookup(error=user_message(exc))
    if not consent_in(request.POST, ConsentPurpose.POPULATION_LOOKUP):
        return IntakeLookup(consent_error=in_language(*CONSENT_MISSING))
    consent = record_consent(purpose=ConsentPurpose.POPULATION_LOOKUP, subject_national_id=national_id,
                             recorded_by=actor)
    result = population.lookup_person(national_id, actor=actor, purpose=INTAKE_PURPOSE, agency_code=agency_code)
    if result.found:
        return IntakeLookup(result=result, values=result.intake_values(), consent=consent, message=_(
            "Filled from the national population database. Check the details with the applicant."))
    if result.status == population.Status.NOT_FOUND:
        return IntakeLookup(result=result, consent=consent, message=_(
            "This personal ID number is not in the national population database. Check it with the applicant's "
            "ID card; you can continue by hand."))
    return IntakeLookup(result=result, consent=consent, message=_(
        "The national population database did not answer. Continue by hand: the dossier will be marked "
        "“unverified” and the specialist will check the details."))


def answer_for_intake(raw: str) -> int | None:
    """The registry answer id an intake form carries (a hidden field), if it is one."""
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def keep_intake_answer(dossier: Dossier, answer_id: int | None, actor: Any) -> None:
    """Attach the clerk's look-up to the dossier just received (ignored if it is not theirs or not about the
    applicant: the dossier then stays unverified, as if no look-up had been made)."""
    if answer_id is None:
        return
    with contextlib.suppress(population.AttachError, RegistryAnswer.DoesNotExist):
        answer = population.attach_to_dossier(dossier, answer_id, actor=actor)
        # The applicant's consent that allowed the look-up is kept with the dossier too.
        Consent.objects.filter(purpose=ConsentPurpose.POPULATION_LOOKUP, subject_national_id=answer.national_id,
                               recorded_by=actor, channel=Consent.Channel.COUNTER, dossier__isnull=True,
                               withdrawn_at__isnull=True,
                               given_at__gte=answer.answered_at - counter_window()).update(dossier=dossier)


SEX_LABELS = population.SEX_LABELS


CONSENT_MISSING_FOR_DOSSIER = (
    "Chưa tra cứu: người nộp hồ sơ chưa đồng ý cho tra cứu CSDL quốc gia về dân cư. Hãy cho họ biết nội dung thông "
    "báo (tại quầy, bằng văn bản hoặc qua điện thoại) và đánh dấu ô xác nhận họ đồng ý; nếu không, hãy kiểm tra "
    "thông tin theo giấy tờ.",
    "Not looked up: the applicant has not agreed to the look-up in the national population database. Tell them "
    "what the notice says (at the counter, in writing or by phone) and tick the box confirming that they agree; "
    "otherwise check the details from their papers.")


def consent_on_record(dossier: Dossier) -> bool:
    """Whether the applicant's consent to be looked up for this dossier is on record: the one confirmed at the
    counter when it was received (kept with the dossier; it covers this dossier, so a later look-up for it too)."""
    return Consent.objects.filter(dossier=dossier, purpose=ConsentPurpose.POPULATION_LOOKUP,
                                  withdrawn_at__isnull=True).exists()


def registry_panel(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    """The dossier page's registry panel. Showing the registry's data to a member of staff is a read of the
    applicant's data: it is logged (`record_access`)."""
    state = population.verification(dossier)
    answer = population.verifying_answer(dossier) or population.latest_answer(dossier)
    result = population.RegistryResult.from_answer(answer) if answer is not None else None
    person = result.person if result is not None else None
    if person is not None:
        record_access(actor=request.user, kind=AccessKind.REGISTRY_EVIDENCE_VIEW, dossier=dossier,
                      purpose=f"Xem hồ sơ {dossier.code}", subject_national_id=person.national_id,
                      detail=f"registry answer {result.request_id if result else ''}")
    return {
        "state": state,
        "answer": answer,
        "person": person,
        "sex": str(SEX_LABELS.get(person.sex, "")) if person else "",
        "differences": population.differences(population.typed_on_dossier(dossier), person) if person else [],
        "can_look_up": len(dossier.applicant_id_number.strip()) == 12 and not dossier.is_terminal,
        "consent_needed": state != population.VERIFIED and not consent_on_record(dossier),
        "reports": open_reports(request, dossier),
    }


REPORT_PURPOSE = "Xem phản ánh thông tin sai trong CSDL dân cư của người nộp hồ sơ {code}"


def open_reports(request: HttpRequest, dossier: Dossier) -> list[dict[str, Any]]:
    """The applicant's open reports that a piece of their registry data is wrong ("Báo thông tin sai", made online
    when the form was filled from the registry): the clerk sees them on the dossier, guides the citizen to the
    police of their commune, who correct the registry, and marks them handled. Each one shown is a logged read."""
    national_id = dossier.applicant_id_number.strip()
    if len(national_id) != 12:
        return []
    reports = list(RegistryDataReport.objects.filter(national_id=national_id, status=RegistryDataReport.Status.OPEN)
                   .select_related("procedure")[:20])
    for report in reports:
        record_access(actor=request.user, kind=AccessKind.REGISTRY_REPORT_VIEW, dossier=dossier,
                      purpose=REPORT_PURPOSE.format(code=dossier.code), subject=report.user,
                      subject_national_id=national_id, detail=f"report #{report.pk} {report.field}")
    return [{"report": report, "label": FIELD_LABELS.get(report.field, report.field)} for report in reports]


REPORT_UNKNOWN = ("Không tìm thấy phản ánh này của người nộp hồ sơ.", "This report of the applicant was not found.")


def mark_report_handled(request: HttpRequest, scope: StaffScope, dossier: Dossier) -> HttpResponse:
    """The clerk has dealt with one of the applicant's reports of wrong registry data (guided the citizen to the
    police of their commune, or accepted proof): it leaves the open list. Marking it again changes nothing."""
    back = redirect(reverse("backoffice:dossier", args=[dossier.code]) + "#registry")
    raw = request.POST.get("report", "")
    report = (RegistryDataReport.objects.filter(pk=int(raw), national_id=dossier.applicant_id_number.strip()).first()
              if raw.isdigit() and len(raw) < 19 else None)
    if report is None:
        messages.error(request, in_language(*REPORT_UNKNOWN))
        return back
    if report.status == RegistryDataReport.Status.OPEN:
        report.status = RegistryDataReport.Status.HANDLED
        report.save(update_fields=["status", "updated_at"])
        record_access(actor=scope.user, kind=AccessKind.REGISTRY_REPORT_VIEW, dossier=dossier,
                      purpose=REPORT_PURPOSE.format(code=dossier.code), subject=report.user,
                      subject_national_id=report.national_id, detail=f"report #{report.pk} handled")
    messages.success(request, _("The report is marked as handled."))
    return back


def registry_lookup(request: HttpRequest, scope: StaffScope, dossier: Dossier) -> HttpResponse:
    """A new look-up of the dossier's applicant from the dossier page (the registry was down at intake, or the
    specialist checks again); the answer is kept on the dossier. Without the applicant's consent on record for the
    dossier, the clerk confirms it first (the box of the notice), and it is recorded with the dossier."""
    if not consent_on_record(dossier):
        if not consent_in(request.POST, ConsentPurpose.POPULATION_LOOKUP):
            messages.error(request, in_language(*CONSENT_MISSING_FOR_DOSSIER))
            return redirect(reverse("backoffice:dossier", args=[dossier.code]) + "#registry")
        consent = record_consent(purpose=ConsentPurpose.POPULATION_LOOKUP,
                                 subject_national_id=dossier.applicant_id_number.strip(), recorded_by=scope.user,
                                 dossier=dossier)
        if consent.dossier_id != dossier.pk:  # the same visit's consent, kept with another dossier: this one too
            Consent.objects.create(
                subject=consent.subject, subject_national_id=consent.subject_national_id, purpose=consent.purpose,
                channel=consent.channel, recorded_by=scope.user, dossier=dossier,
                notice_version=consent.notice_version, notice_sha256=consent.notice_sha256,
                language=consent.language)
    try:
        result = population.lookup_person(dossier.applicant_id_number, dossier=dossier, actor=scope.user,
                                          purpose=f"Đối chiếu thông tin hồ sơ {dossier.code}")
    except population.InvalidNationalId as exc:
        show_error(request, exc)
    else:
        if result.found:
            messages.success(request, _("The national population database answered: see the comparison below."))
            if complete_automatic_step(dossier) is not None:  # the check step was waiting for this answer
                messages.success(request, _("The check against the population database is done: the dossier "
                                            "moved on to the next step."))
        elif result.status == population.Status.NOT_FOUND:
            messages.warning(request, _("This personal ID number is not in the national population database."))
        else:
            messages.error(request, _("The national population database did not answer. Try again later, or check "
                                      "the details by hand."))
    return redirect(reverse("backoffice:dossier", args=[dossier.code]) + "#registry")
