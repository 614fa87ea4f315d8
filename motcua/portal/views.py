"""Online submission by a signed-in citizen: the procedure's e-form and its required documents on one page."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.eforms import FormField, build_fields, read_values
from motcua.catalog.models import Procedure
from motcua.core.errors import show_error
from motcua.core.i18n import localized
from motcua.documents.downloads import file_response
from motcua.documents.models import StoredDocument
from motcua.documents.selectors import reusable_documents
from motcua.documents.uploads import accept_attribute, too_large
from motcua.dossiers.actions import (
    Applicant,
    IntakeError,
    Upload,
    answer_survey,
    supplement_dossier,
    validate_form,
    withdraw_dossier,
)
from motcua.dossiers.models import SURVEY, Dossier, Status, SurveyResponse
from motcua.dossiers.selectors import citizen_dossier, citizen_dossiers, last_form_data, lookup_path
from motcua.dossiers.workflow import WorkflowError, legal_actions
from motcua.identity.actions import SignInError
from motcua.identity.assurance import level_of_request
from motcua.identity.http import AuthenticatedHttpRequest
from motcua.identity.oidc import enabled_providers
from motcua.identity.selectors import representations_of
from motcua.identity.views import ThrottledLoginView
from motcua.payments.selectors import outstanding_by_dossier
from motcua.portal import prefill as registry_prefill
from motcua.portal.actions import submit_online
from motcua.portal.models import FormDraft
from motcua.portal.selectors import most_used_procedures
from motcua.portal.wizard import error_anchor
from motcua.portal.wizard_views import below_required_level, mark_locked


class SignInView(ThrottledLoginView):
    """Sign-in page: VNeID / national portal buttons first, then user name and password (demo, staff)."""

    template_name = "portal/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["identity_providers"] = enabled_providers()
        return context


def home(request: HttpRequest) -> HttpResponse:
    """The portal's front page: search the procedures, the most used ones, look a dossier up, sign in."""
    return render(request, "portal/home.html", {
        "popular": most_used_procedures(), "identity_providers": enabled_providers(),
    })


@login_required(login_url="portal:login")
def submit(request: AuthenticatedHttpRequest, national_code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure.objects.published().select_related("current_version"),
                                  national_code=national_code)
    version = procedure.current_version
    if version is None:  # published() guarantees one; this keeps the type checker informed
        raise Http404
    refusal = below_required_level(request, procedure, version)
    if refusal is not None:
        return refusal
    agencies = list(procedure.competent_agencies.active().order_by("name"))
    user = request.user
    # After a VNeID sign-in (and the citizen's consent): the registry's data, locked as on the step-by-step form.
    prefill = registry_prefill.prefill_for(request, version.eform_schema)
    errors: dict[str, tuple[str, str]] = {}
    form_data: dict[str, Any] = {}
    values = {"name": user.full_name, "id_number": user.national_id or "",
              "phone": user.phone, "email": user.email, "address": "",
              "agency": str(agencies[0].pk) if len(agencies) == 1 else ""}
    codes = [str(d.get("code")) for d in version.required_documents]
    stored = list(reusable_documents(user, codes, timezone.localdate()))
    reuse: list[int] = []
    if request.method == "GET":
        # Prefill from the citizen's last dossier of this procedure (names, numbers they typed before).
        form_data = last_form_data(user, procedure)
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        form_data = read_values(version.eform_schema, request.POST)
    registry_prefill.enforce(prefill, values, form_data)  # what a request posts for them is ignored
    if request.method == "POST":
        agency = next((a for a in agencies if str(a.pk) == values["agency"]), None)
        uploads = []
        for document in version.required_documents:
            upload = request.FILES.get(f"doc__{document.get('code')}")
            chosen = request.POST.get(f"reuse__{document.get('code')}", "")
            if upload is None and chosen.isdigit():
                reuse.append(int(chosen))
            if upload is None:
                continue
            error = too_large(upload.name or "tep", upload.size or 0)
            if error is not None:  # refused before reading it into memory; the rest of the form is kept
                errors[f"documents/{document.get('code')}"] = error.pair
                continue
            uploads.append(Upload(slot=str(document.get("code")), name=upload.name or "tep", content=upload.read()))
        if agency is None:
            errors["competent_agency"] = ("Vui lòng chọn nơi giải quyết.", "Please choose the agency.")
        if errors:  # submission is not tried: the e-form's own errors are listed now too, not after a resubmit
            errors.update(validate_form(procedure, form_data))
        if not errors and agency is not None:
            try:
                dossier = submit_online(
                    user=user, procedure=procedure, agency=agency,
                    applicant=Applicant(name=values["name"], id_number=values["id_number"], phone=values["phone"],
                                        email=values["email"], address=values["address"]),
                    form_data=form_data, uploads=uploads, reuse=reuse,
                    idempotency_key=request.POST.get("idempotency_key", "")[:60],
                    assurance_level=level_of_request(request), prefill=prefill,
                )
            except IntakeError as exc:
                errors = exc.errors
            else:
                return redirect("portal:submitted", code=dossier.code)
    field_errors = {key.removeprefix("form_data/"): localized(pair) for key, pair in errors.items()}
    fields = build_fields(version.eform_schema, form_data, field_errors)
    if prefill is not None:
        mark_locked(fields, prefill)
    context = {
        "prefill": prefill, "locked": dict.fromkeys(prefill.applicant, True) if prefill is not None else {},
        "registry_unavailable": prefill is None and registry_prefill.unavailable_notice(request),
        "consent_needed": prefill is None and registry_prefill.needs_consent(request),
        "procedure": procedure, "version": version, "agencies": agencies, "values": values,
        "fields": fields, "errors": _error_links(errors, fields),
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        "stored": {code: [d for d in stored if d.kind == code] for code in codes}, "reuse": reuse,
        "accept": accept_attribute(),
    }
    return render(request, "portal/submit.html", context, status=400 if errors else 200)


# The control of the one-page form each intake error belongs to (the e-form's questions carry their own ids).
_ERROR_CONTROLS = {"applicant_name": "name", "competent_agency": "agency"}


def _error_links(errors: dict[str, tuple[str, str]], fields: list[FormField]) -> list[tuple[str, str]]:
    """The error summary: each message in the user's language with the id of its control ("" when none), so that
    the summary links to the field (GOV.UK error summary)."""
    ids = {field.id for field in _all_fields(fields)}
    links = []
    for key, pair in errors.items():
        if key.startswith("form_data/"):
            anchor = error_anchor(key.removeprefix("form_data/"))
        elif key.startswith("documents/"):
            anchor = "doc-" + key.removeprefix("documents/")
        else:
            anchor = _ERROR_CONTROLS.get(key, key)
        known = anchor in ids or anchor in {"name", "id_number", "phone", "email", "address", "agency"} \
            or anchor.startswith("doc-")
        links.append((anchor if known else "", localized(pair)))
    return links


def _all_fields(fields: list[FormField]) -> list[FormField]:
    found = []
    for field in fields:
        found.append(field)
        found.extend(_all_fields(field.children))
    return found


@login_required(login_url="portal:login")
def submitted(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    dossier = _own_dossier(request, code, related=())
    return render(request, "portal/submitted.html", {"dossier": dossier, "lookup": lookup_path(dossier)})


def _own_dossier(request: AuthenticatedHttpRequest, code: str,
                 related: tuple[str, ...] = ("procedure_version", "current_agency")) -> Dossier:
    """A dossier of the signed-in citizen; anyone else's is a 404, never a 403 (codes are not confirmed)."""
    dossier = citizen_dossier(request.user, code, related=related)
    if dossier is None:
        raise Http404
    return dossier


@login_required(login_url="portal:login")
def my_dossiers(request: AuthenticatedHttpRequest) -> HttpResponse:
    dossiers = list(citizen_dossiers(request.user).select_related("procedure_version").order_by("-submitted_at")[:200])
    drafts = FormDraft.objects.filter(user=request.user).select_related("procedure").order_by("-updated_at")
    owed = outstanding_by_dossier(dossier.pk for dossier in dossiers)
    return render(request, "portal/my_dossiers.html", {"dossiers": dossiers, "drafts": drafts, "owed": owed})


@login_required(login_url="portal:login")
def my_dossier(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    dossier = _own_dossier(request, code)
    events = dossier.events.filter(is_public=True).select_related("to_agency").order_by("seq")
    supplement = dossier.notices.filter(kind="supplement").order_by("-issued_at").first()
    context = {"dossier": dossier, "events": events, "supplement": supplement,
               "survey_open": dossier.status == Status.RETURNED and not SurveyResponse.objects.filter(
                   dossier=dossier).exists(),
               "questions": SURVEY,
               "can_withdraw": "withdraw" in legal_actions(dossier),
               "can_supplement": dossier.status == Status.AWAITING_SUPPLEMENT,
               "slots": dossier.procedure_version.required_documents,
               "documents": dossier.documents.exclude(file="").select_related("blob").order_by("created_at", "pk"),
               "accept": accept_attribute()}
    return render(request, "portal/my_dossier.html", context)


@login_required(login_url="portal:login")
def supplement(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    dossier = _own_dossier(request, code)
    if request.method != "POST":
        return redirect("portal:my_dossier", code=code)
    uploads = []
    for document in dossier.procedure_version.required_documents:
        upload = request.FILES.get(f"doc__{document.get('code')}")
        if upload is None:
            continue
        error = too_large(upload.name or "tep", upload.size or 0)
        if error is not None:
            messages.error(request, localized(error))
            return redirect("portal:my_dossier", code=code)
        uploads.append(Upload(slot=str(document.get("code")), name=upload.name or "tep", content=upload.read()))
    if not uploads:
        messages.error(request, _("Please attach the missing documents."))
        return redirect("portal:my_dossier", code=code)
    try:
        supplement_dossier(dossier, actor=request.user, uploads=uploads,
                           note=request.POST.get("note", "")[:500])
    except WorkflowError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The supplement has been sent."))
    return redirect("portal:my_dossier", code=code)


@login_required(login_url="portal:login")
def withdraw(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    dossier = _own_dossier(request, code)
    if request.method == "POST":
        try:
            withdraw_dossier(dossier, actor=request.user,
                             reason=request.POST.get("reason", "").strip()[:500] or "Công dân rút hồ sơ trực tuyến")
        except WorkflowError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("The dossier has been withdrawn."))
    return redirect("portal:my_dossier", code=code)


@login_required(login_url="portal:login")
def survey(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    dossier = _own_dossier(request, code)
    if request.method == "POST":
        answers = {question.key: int(v) for question in SURVEY
                   if (v := request.POST.get(question.key, "")).isdigit()}
        try:
            answer_survey(dossier, respondent=request.user, answers=answers,
                          comment=request.POST.get("comment", ""))
        except WorkflowError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Thank you for your feedback."))
    return redirect("portal:my_dossier", code=code)


CLAIM_MESSAGES = {  # what `claim_representation` did, by its reason (translated when shown)
    "named": gettext_lazy("The national business register names you as the legal representative of %(name)s: "
                          "you can act for it now."),
    "not_named": gettext_lazy(
        "The national business register does not name you as a legal representative of %(name)s. Your request was "
        "sent: you can act for the business once a clerk has checked your papers (for example an authorisation) "
        "and confirmed it."),
    "not_verified": gettext_lazy(
        "Your request for %(name)s was sent: a clerk will check it. To be recognised at once from the national "
        "business register, sign in with VNeID (your personal ID number is then verified)."),
    "unavailable": gettext_lazy(
        "The national business register did not answer, so your request for %(name)s could not be checked "
        "automatically. It was kept: a clerk will check the register and confirm it."),
    "not_configured": gettext_lazy("Your request was sent. You can act for the business once a clerk has checked "
                                   "the business register and confirmed it."),
}


@login_required(login_url="portal:login")
def organisations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisations this citizen represents or asked to (a request waits for a clerk to confirm it), and
    asking to be one's legal representative."""
    error = ""
    if request.method == "POST":
        from motcua.integrations.business_register import BusinessRegisterError, claim_representation

        try:
            claim = claim_representation(user=request.user, tax_code=request.POST.get("tax_code", ""),
                                         name=request.POST.get("name", ""), address=request.POST.get("address", ""))
        except (SignInError, BusinessRegisterError) as exc:
            error = localized(exc)
        else:
            done = CLAIM_MESSAGES[claim.reason] if claim.reason == "named" or not claim.granted else gettext_lazy(
                "You already represent %(name)s.")
            messages.success(request, str(done) % {"name": claim.representation.organisation.name})
            return redirect("portal:organisations")
    return render(request, "portal/organisations.html", {
        "representations": representations_of(request.user), "error": error,
        "values": request.POST}, status=400 if error else 200)


@login_required(login_url="portal:login")
def notice_pdf(request: AuthenticatedHttpRequest, code: str, notice_id: int) -> HttpResponse:
    """A form issued on one of my dossiers (receipt, supplement request, apology letter…), as PDF."""
    from motcua.dossiers.forms_pdf import render_notice_pdf

    dossier = _own_dossier(request, code)
    notice = get_object_or_404(dossier.notices, pk=notice_id)
    response = HttpResponse(render_notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{notice.kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required(login_url="portal:login")
def my_document(request: AuthenticatedHttpRequest, code: str, document_id: int) -> HttpResponseBase:
    """A file of one of my dossiers (anyone else's dossier is a 404)."""
    dossier = _own_dossier(request, code)
    return file_response(get_object_or_404(dossier.documents.select_related("blob"), pk=document_id))


@login_required(login_url="portal:login")
def stored_document(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponseBase:
    """A file of my personal data store (anyone else's is a 404)."""
    return file_response(get_object_or_404(StoredDocument.objects.select_related("blob"), pk=document_id,
                                           owner_id=request.user.pk))
