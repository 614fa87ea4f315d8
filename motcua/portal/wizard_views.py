"""The online application as pages: start/resume, one page at a time, check your answers, submit."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.eforms import address_action, answer_sections, build_fields, read_values
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.errors import user_message
from motcua.core.i18n import localized
from motcua.documents.actions import store_document
from motcua.documents.models import StoredDocument
from motcua.documents.selectors import reusable_documents
from motcua.documents.uploads import UploadError, accept_attribute, too_large
from motcua.dossiers.actions import IntakeError
from motcua.identity.assurance import level_of_request, shortfall_message
from motcua.identity.http import AuthenticatedHttpRequest
from motcua.identity.models import User
from motcua.identity.oidc import enabled_providers
from motcua.identity.selectors import organisations_of
from motcua.portal import prefill as registry_prefill
from motcua.portal.actions import submit_draft
from motcua.portal.models import FormDraft
from motcua.portal.selectors import draft_agency, draft_organisation
from motcua.portal.wizard import Page, error_anchor, page_errors, pages_for

APPLICANT_FIELDS = ("name", "id_number", "phone", "email", "address", "agency", "organisation")


def below_required_level(request: HttpRequest, procedure: Procedure, version: ProcedureVersion) -> HttpResponse | None:
    """The page telling the citizen their sign-in's electronic identification level is below what the procedure
    requires to apply online, and how to raise it; None when it is enough."""
    message = shortfall_message(version.min_assurance_level, level_of_request(request))
    if message is None:
        return None
    return render(request, "portal/assurance_required.html", {
        "procedure": procedure, "message": message, "identity_providers": enabled_providers()}, status=403)


def _published(national_code: str) -> tuple[Procedure, ProcedureVersion]:
    procedure = get_object_or_404(Procedure.objects.published().select_related("current_version"),
                                  national_code=national_code)
    version = procedure.current_version
    if version is None:
        raise Http404
    return procedure, version


def _context(request: AuthenticatedHttpRequest, national_code: str
             ) -> tuple[Procedure, ProcedureVersion, User, FormDraft]:
    procedure, version = _published(national_code)
    user = request.user
    draft, created = FormDraft.objects.get_or_create(
        user=user, procedure=procedure, defaults={"idempotency_key": uuid.uuid4().hex})
    draft.procedure = procedure  # the one just read, with its current version
    if created:
        agencies = list(procedure.competent_agencies.active())
        draft.applicant = {"name": user.full_name, "id_number": user.national_id or "", "phone": user.phone,
                           "email": user.email, "address": "",
                           "agency": str(agencies[0].pk) if len(agencies) == 1 else ""}
        draft.save()
    return procedure, version, user, draft


@login_required(login_url="portal:login")
def start(request: AuthenticatedHttpRequest, national_code: str) -> HttpResponse:
    refusal = below_required_level(request, *_published(national_code))
    if refusal is not None:
        return refusal
    _procedure, version, _user, draft = _context(request, national_code)
    _apply_prefill(draft, registry_prefill.prefill_for(request, version.eform_schema, retry=True))
    return redirect("portal:apply_page", national_code=national_code, index=0)


def _apply_prefill(draft: FormDraft, prefill: registry_prefill.Prefill | None) -> None:
    """Put the registry's answers into DRAFT (over anything posted or saved before) and keep it when they change."""
    if prefill is None:
        return
    applicant, form_data = dict(draft.applicant), {k: (dict(v) if isinstance(v, dict) else v)
                                                   for k, v in draft.form_data.items()}
    registry_prefill.enforce(prefill, applicant, form_data)
    if applicant != draft.applicant or form_data != draft.form_data:
        draft.applicant, draft.form_data = applicant, form_data
        draft.save()


@login_required(login_url="portal:login")
def page(request: AuthenticatedHttpRequest, national_code: str, index: int) -> HttpResponse:
    refusal = below_required_level(request, *_published(national_code))
    if refusal is not None:
        return refusal
    procedure, version, user, draft = _context(request, national_code)
    prefill = registry_prefill.prefill_for(request, version.eform_schema)
    pages = pages_for(version.eform_schema)
    if not 0 <= index < len(pages):
        raise Http404
    current = pages[index]
    agencies = list(procedure.competent_agencies.active().order_by("name"))
    codes = [str(d.get("code")) for d in version.required_documents]
    errors: dict[str, str] = {}
    if request.method == "POST":
        if current.key == "nguoi-nop":
            draft.applicant = {k: request.POST.get(k, "").strip() for k in APPLICANT_FIELDS}
            if not draft.applicant["name"]:
                errors["name"] = _("Enter the applicant’s full name")
            if not any(str(a.pk) == draft.applicant["agency"] for a in agencies):
                errors["agency"] = _("Select the agency that handles the dossier")
            if draft.applicant["organisation"] and not any(
                    str(o.pk) == draft.applicant["organisation"] for o in organisations_of(user)):
                errors["organisation"] = _("You are not a representative of this organisation")
        elif current.key == "giay-to":
            errors.update(_save_documents(request, user, draft, version, codes))
        else:
            answers = read_values(current.schema, request.POST)
            draft.form_data = {**{k: v for k, v in draft.form_data.items() if k not in current.schema["properties"]},
                               **answers}
            errors.update(page_errors(current, draft.form_data))
            if address_action(request.POST):  # an address button: show the page again, answers kept
                errors = {}
        registry_prefill.enforce(prefill, draft.applicant, draft.form_data)  # a forged POST changes nothing
        draft.save()
        if "save_and_leave" in request.POST:
            return redirect("portal:my_dossiers")
        if not errors and not address_action(request.POST):
            if index + 1 < len(pages):
                return redirect("portal:apply_page", national_code=national_code, index=index + 1)
            return redirect("portal:apply_check", national_code=national_code)
    else:
        _apply_prefill(draft, prefill)
    stored = list(reusable_documents(user, codes, timezone.localdate()))
    fields = build_fields(current.schema, draft.form_data, errors,
                          post=request.POST if request.method == "POST" else None) if current.schema else []
    if prefill is not None:
        mark_locked(fields, prefill)
    context = {
        "procedure": procedure, "version": version, "pages": pages, "page": current, "index": index,
        "agencies": agencies, "draft": draft, "errors": errors, "organisations": organisations_of(user),
        "error_links": [(error_anchor(key), message) for key, message in errors.items()],
        "fields": fields, "prefill": prefill,
        "locked": dict.fromkeys(prefill.applicant, True) if prefill is not None else {},
        "registry_unavailable": prefill is None and registry_prefill.unavailable_notice(request),
        "consent_needed": prefill is None and index == 0 and registry_prefill.needs_consent(request),
        "stored": {code: [d for d in stored if d.kind == code] for code in codes}, "accept": accept_attribute(),
    }
    return render(request, "portal/apply_page.html", context, status=400 if errors else 200)


def mark_locked(fields: list[Any], prefill: registry_prefill.Prefill) -> None:
    for f in fields:
        if f.kind == "group":
            mark_locked(f.children, prefill)
        elif f.path in prefill.form:
            f.locked = True


def _save_documents(request: AuthenticatedHttpRequest, user: User, draft: FormDraft, version: ProcedureVersion,
                    codes: list[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    documents = dict(draft.documents)
    reused = set(draft.reused)
    for document in version.required_documents:
        code = str(document.get("code"))
        upload = request.FILES.get(f"doc__{code}")
        chosen = request.POST.get(f"reuse__{code}", "")
        if upload is not None:
            try:
                error = too_large(upload.name or "tep", upload.size or 0)
                if error is not None:
                    raise error
                stored = store_document(owner=user, kind=code, name=upload.name or "tep", content=upload.read(),
                                        source=StoredDocument.Source.SUBMITTED)
            except UploadError as exc:  # the other documents of the page are kept
                errors[code] = user_message(exc)
                continue
            documents[code] = stored.pk
            reused.discard(code)
        elif (chosen.isdigit() and documents.get(code) != int(chosen)
              and StoredDocument.objects.filter(pk=int(chosen), owner=user, kind=code).exists()):
            documents[code] = int(chosen)
            reused.add(code)
        if document.get("mandatory", True) and code not in documents:
            errors[code] = f"Vui lòng đính kèm: {document['name']}."
    draft.documents = documents
    draft.reused = sorted(reused)
    return errors


@login_required(login_url="portal:login")
def check(request: AuthenticatedHttpRequest, national_code: str) -> HttpResponse:
    refusal = below_required_level(request, *_published(national_code))
    if refusal is not None:
        return refusal
    procedure, version, user, draft = _context(request, national_code)
    prefill = registry_prefill.prefill_for(request, version.eform_schema)
    _apply_prefill(draft, prefill)
    pages = pages_for(version.eform_schema)
    intake_errors: dict[str, tuple[str, str]] = {}
    if request.method == "POST":
        try:
            dossier = submit_draft(draft, user=user, assurance_level=level_of_request(request), prefill=prefill)
        except IntakeError as exc:
            intake_errors = exc.errors
        else:
            return redirect("portal:submitted", code=dossier.code)
    summary = _summary(procedure, version, pages, draft, user)
    return render(request, "portal/apply_check.html", {
        "procedure": procedure, "version": version, "summary": summary, "draft": draft,
        "errors": [localized(pair) for pair in intake_errors.values()],
    }, status=400 if intake_errors else 200)


def _summary(procedure: Procedure, version: ProcedureVersion, pages: list[Page], draft: FormDraft,
             user: User) -> list[dict[str, Any]]:
    """Sections for "check your answers": one per group of questions, headed by its title, each row with the
    answer as a person reads it (choice labels, dd/mm/yyyy, "1.500.000 đ") and the page and field to change it."""
    applicant = draft.applicant
    agency, organisation = draft_agency(draft), draft_organisation(draft, user)
    rows = [("name", _("Full name"), applicant.get("name", "")),
            ("id_number", _("Personal ID number"), applicant.get("id_number", "")),
            ("phone", _("Phone"), applicant.get("phone", "")), ("email", _("Email"), applicant.get("email", "")),
            ("address", _("Address"), applicant.get("address", ""))]
    if organisation is not None:
        rows.insert(0, ("organisation", _("Who is this dossier for?"), organisation.name))
    rows.append(("agency", _("Agency that handles it"), agency.name if agency else ""))
    sections = [{"title": pages[0].title, "page": 0,
                 "rows": [{"label": label, "answer": answer, "anchor": error_anchor(key)}
                          for key, label, answer in rows]}]
    for index, page_def in enumerate(pages):
        if page_def.schema:
            sections.extend(
                {"title": section.title, "page": index,
                 "rows": [{"label": f.label, "answer": f.display, "anchor": f.id} for f in section.rows]}
                for section in answer_sections(build_fields(page_def.schema, draft.form_data), page_def.title))
    files = {d.pk: d.name for d in StoredDocument.objects.filter(owner=user, pk__in=list(draft.documents.values()))}
    sections.append({"title": pages[-1].title, "page": len(pages) - 1, "rows": [
        {"label": d["name"], "answer": files.get(draft.documents.get(str(d.get("code"))), ""),
         "anchor": error_anchor(str(d.get("code")))} for d in version.required_documents]})
    return sections


@login_required(login_url="portal:login")
def report_registry_data(request: AuthenticatedHttpRequest, national_code: str) -> HttpResponse:
    """"Báo thông tin sai": the citizen says a piece of their registry data filled into the form is wrong. The
    report is recorded for staff (idempotent: sending it again updates it); the form keeps the registry's value."""
    from django.contrib import messages
    from django.utils.http import url_has_allowed_host_and_scheme

    from motcua.portal.models import RegistryDataReport

    procedure, version = _published(national_code)
    prefill = registry_prefill.prefill_for(request, version.eform_schema)
    if prefill is None:
        raise Http404
    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    choices = [(key, registry_prefill.FIELD_LABELS[key], value) for key, value in prefill.values.items() if value]
    error = ""
    chosen = request.POST.get("field", "")
    comment = request.POST.get("comment", "").strip()
    if request.method == "POST":
        if chosen not in {key for key, _label, _value in choices}:
            error = _("Choose the information that is wrong")
        elif len(comment) > 1000:
            error = _("Write at most 1000 characters")
        else:
            RegistryDataReport.objects.update_or_create(
                user=user, field=chosen, registry_value=prefill.values[chosen][:300],
                status=RegistryDataReport.Status.OPEN,
                defaults={"national_id": user.national_id or "", "procedure": procedure, "comment": comment,
                          "registry_answer_id": prefill.answer_id})
            messages.success(request, _("Thank you: your report is recorded and will be reviewed by staff. To "
                                        "correct the national population database, go to the police of your "
                                        "commune or ward with your citizen identity card."))
            return redirect(next_url or reverse("portal:apply_page", args=[national_code, 0]))
    return render(request, "portal/report_registry_data.html", {
        "procedure": procedure, "version": version, "choices": choices, "chosen": chosen, "comment": comment,
        "error": error, "next": next_url}, status=400 if error else 200)


@login_required(login_url="portal:login")
def prefill_consent(request: AuthenticatedHttpRequest, national_code: str) -> HttpResponse:
    """The citizen's consent before their data is read from the national population database to fill their form
    (Decree 13/2023/NĐ-CP, Art. 11): the notice, a box to tick; agreeing records the consent (online, the citizen's
    own, until withdrawn under "My account"), asks the registry and goes back to the form, now filled. Not ticking
    asks nothing and says so; the citizen may also go back and type their details."""
    from django.utils.http import url_has_allowed_host_and_scheme

    from motcua.privacy.consents import consent_in, record_consent
    from motcua.privacy.models import ConsentPurpose

    procedure, version = _published(national_code)
    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    next_url = next_url or reverse("portal:apply_page", args=[national_code, 0])
    if not registry_prefill.eligible(request):  # no VNeID sign-in: nothing could be filled, no such page
        raise Http404
    error = ""
    if request.method == "POST":
        if consent_in(request.POST, ConsentPurpose.VNEID_PREFILL):
            record_consent(purpose=ConsentPurpose.VNEID_PREFILL, subject=user, recorded_by=user)
            registry_prefill.prefill_for(request, version.eform_schema, retry=True)  # asked now, after the consent
            return redirect(next_url)
        error = _("Tick the box to agree, or go back to the form and type your details yourself")
    return render(request, "portal/prefill_consent.html", {
        "procedure": procedure, "version": version, "error": error, "next": next_url},
        status=400 if error else 200)
