"""The staff web: counter intake, work queues, the dossier page with its actions, downloads.

Each view parses the request, checks who asks (a working role, and the dossier among those they see —
anything else is 404), calls at most one action (a workflow verb by its name, `workflow.take`; the counter's
`backoffice.actions.receive_at_counter`; …), and renders.
"""

from __future__ import annotations

import importlib
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.backoffice import registry, selectors
from motcua.backoffice.actions import counter_key, receive_at_counter
from motcua.backoffice.forms import (
    ACTION_FORMS,
    WARNING_ACTIONS,
    ActionForm,
    Intake,
    blank_intake_values,
    parse_intake,
)
from motcua.backoffice.selectors import Deadlines, StaffScope
from motcua.catalog.eforms import address_action, build_fields
from motcua.catalog.models import Procedure
from motcua.core.errors import show_error
from motcua.core.i18n import in_language, localized
from motcua.core.ordering import by_sort_key
from motcua.directory.models import Role
from motcua.dossiers.actions import IntakeError, Upload
from motcua.dossiers.deadlines import remaining_working_time
from motcua.dossiers.models import CLOCK_STOPPED_STATUSES, Dossier, Notice, Status
from motcua.dossiers.workflow import ACTION_LABELS, ActionInput, WorkflowError, take
from motcua.identity.actions import RepresentationError, decide_representation
from motcua.identity.models import Representation, User
from motcua.integrations import business_register
from motcua.land.intake import intake_form_data
from motcua.privacy.access import record_dossier_read
from motcua.privacy.consents import consent_in, field_name
from motcua.privacy.models import AccessKind, ConsentPurpose, DataAccess
from motcua.privacy.staff import readable_dossier, staff_view, visible_or_404

logger = logging.getLogger(__name__)
P = ParamSpec("P")
PAGE_SIZE = 50
IDEMPOTENCY_KEY = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class ErrorItem:
    """One line of the error summary, in the page's language only (`other` is kept for callers that set it)."""

    text: str
    other: str = ""
    other_lang: str = ""
    anchor: str = ""

    @classmethod
    def pair(cls, vi: str, en: str, anchor: str = "") -> ErrorItem:
        return cls(in_language(vi, en), anchor=anchor)


def _page(request: HttpRequest, dossiers: QuerySet[Dossier], deadlines: Deadlines) -> tuple[Any, list[Any]]:
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, selectors.with_states(page.object_list, deadlines)


# --- home, queues ----------------------------------------------------------------------------------

@staff_view
def home(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    deadlines = Deadlines.at(timezone.now())
    queues = [(queue, selectors.count_by_urgency(selectors.queue_dossiers(queue, scope.user), deadlines))
              for queue in selectors.queues_of(scope.user)]
    query = request.GET.get("q", "").strip()[:100]
    is_clerk = bool(scope.agencies_for(Role.CLERK))
    is_leader = bool(scope.agencies_for(Role.LEADER))
    context = {
        "queues": queues,
        "is_clerk": is_clerk,
        "is_leader": is_leader,
        "awaiting_count": selectors.awaiting_receipt(scope).count() if is_clerk else 0,
        "representation_count": (selectors.representation_requests(scope)
                                 .filter(status=Representation.Status.PENDING).count() if is_clerk else 0),
        "approval_counts": (selectors.count_by_urgency(selectors.approval_queue(scope), deadlines)
                            if is_leader else None),
        "query": query,
        "results": selectors.with_states(selectors.search_dossiers(scope, query), deadlines) if query else None,
    }
    return render(request, "backoffice/home.html", context)


@staff_view
def queue(request: HttpRequest, scope: StaffScope, agency_id: int, role: str) -> HttpResponse:
    found = selectors.find_queue(scope.user, agency_id, role)
    if found is None:
        raise Http404
    page, rows = _page(request, selectors.queue_dossiers(found, scope.user), Deadlines.at(timezone.now()))
    return render(request, "backoffice/queue.html", {"queue": found, "page": page, "rows": rows})


@staff_view
def awaiting_receipt(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    if not scope.agencies_for(Role.CLERK):
        raise PermissionDenied
    page, rows = _page(request, selectors.awaiting_receipt(scope), Deadlines.at(timezone.now()))
    return render(request, "backoffice/awaiting.html", {"page": page, "rows": rows})


@staff_view
def approvals(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    if not scope.agencies_for(Role.LEADER):
        raise PermissionDenied
    page, rows = _page(request, selectors.approval_queue(scope), Deadlines.at(timezone.now()))
    return render(request, "backoffice/approvals.html", {"page": page, "rows": rows})


# --- counter intake --------------------------------------------------------------------------------

@staff_view
def intake_choose(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    if not scope.agencies_for(Role.CLERK):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:200]
    procedures = Procedure.objects.published().select_related("field")
    procedures = procedures.search(query) if query else procedures.order_by(by_sort_key(), "pk")
    page = Paginator(procedures, 20).get_page(request.GET.get("page"))
    return render(request, "backoffice/intake_choose.html", {"page": page, "query": query})


CONSENT_FIELD = field_name(ConsentPurpose.POPULATION_LOOKUP)


def _intake_error_items(errors: dict[str, tuple[str, str]]) -> list[ErrorItem]:
    def anchor(key: str) -> str:
        if key.startswith("documents/"):
            return "#paper-" + key.removeprefix("documents/")
        if key.startswith("form_data/"):
            return "#f-" + key.removeprefix("form_data/").replace("/", "__")
        return {"form_data": "#eform", "applicant_name": "#name", "applicant": "#name",
                CONSENT_FIELD: "#consent-population_lookup"}.get(
            key, f"#{key}" if key in ("competent_agency", "receiving_agency", "postal_tracking") else "")

    return [ErrorItem.pair(vi, en, anchor(key)) for key, (vi, en) in errors.items()]


@staff_view
def intake(request: HttpRequest, scope: StaffScope, national_code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure.objects.published().select_related("current_version"),
                                  national_code=national_code)
    version = procedure.current_version
    if version is None:  # published() guarantees one
        raise Http404
    receiving = list(selectors.clerk_agencies(scope))
    if not receiving:
        raise PermissionDenied
    competent = list(procedure.competent_agencies.active().order_by("name"))
    posted: Intake | None = None
    earlier: Dossier | None = None
    errors: dict[str, tuple[str, str]] = {}
    business: business_register.IntakeLookup | None = None
    key = request.POST.get("idempotency_key", "")
    if not IDEMPOTENCY_KEY.match(key):
        key = uuid.uuid4().hex
    lookup: registry.IntakeLookup | None = None
    registry_answer = registry.answer_for_intake(request.POST.get("registry_answer", ""))
    if request.method == "POST":
        posted = parse_intake(request.POST, request.FILES, version, competent, receiving)
        errors = dict(posted.errors)
        if request.POST.get("lookup") == "business_register":  # fill the organisation from the register, no dossier
            business = business_register.intake_lookup(posted.values, actor=scope.user)
        elif "lookup_population" in request.POST:  # "Tra cứu CSDL dân cư": fill the form, receive nothing yet
            lookup = registry.lookup_for_intake(request, scope.user, posted.values["id_number"])
            posted.values.update(lookup.values)
            registry_answer = lookup.result.answer_id if lookup.result else None
            errors = {CONSENT_FIELD: registry.CONSENT_MISSING} if lookup.consent_error else {}
        elif address_action(request.POST):  # an address button: the form shown again, nothing received
            errors = {}
        elif not errors and posted.competent_agency is not None:
            try:
                dossier = receive_at_counter(
                    procedure=procedure, intake=posted, competent_agency=posted.competent_agency, actor=scope.user,
                    form_key=key, business_answer=request.POST.get("business_answer", ""),
                    registry_answer=registry_answer,
                )
            except IntakeError as exc:
                errors = exc.errors
                if "idempotency_key" in errors:
                    # This form already made a dossier (with other content): show it, and give a new key in
                    # case the clerk really means a second dossier.
                    earlier = selectors.visible_dossiers(scope).filter(
                        idempotency_key=counter_key(scope.user, key)).first()
                    key = uuid.uuid4().hex
            else:
                messages.success(request, _("Dossier %(code)s received. Print the receipt for the applicant.")
                                 % {"code": dossier.code})
                return redirect("backoffice:dossier", code=dossier.code)
    values = posted.values if posted else blank_intake_values(competent, receiving)
    field_errors = {k.removeprefix("form_data/"): localized(pair) for k, pair in errors.items()
                    if k.startswith("form_data/")}
    document_errors = {k.removeprefix("documents/"): localized(pair) for k, pair in errors.items()
                       if k.startswith("documents/")}
    documents = [
        {"code": str(d.get("code")), "name": d.get("name", ""), "mandatory": d.get("mandatory", True),
         "form": d.get("form", ""), "quantity": d.get("quantity", 1),
         "checked": posted is not None and str(d.get("code")) in posted.paper,
         "error": document_errors.get(str(d.get("code")), "")}
        for d in version.required_documents
    ]
    items = _intake_error_items(errors)
    context = {
        "procedure": procedure, "version": version, "competent": competent, "receiving": receiving,
        "values": values, "documents": documents, "idempotency_key": key,
        "fields": build_fields(version.eform_schema,
                               posted.form_data if posted else intake_form_data(request, procedure), field_errors,
                               post=request.POST if posted else None),
        "errors": items, "inline": {key: item.text for key, item in zip(errors, items, strict=True)},
        "had_uploads": bool(posted and posted.uploads), "earlier": earlier,
        "business": business, "business_register_on": business_register.is_configured(),
        "business_answer": request.POST.get("business_answer", "")[:12],
        "lookup": lookup, "registry_answer": registry_answer or "",
        "consent_checked": consent_in(request.POST, ConsentPurpose.POPULATION_LOOKUP),
    }
    return render(request, "backoffice/intake.html", context, status=400 if errors else 200)


# --- one dossier -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ActionPanel:
    action: str
    label: str
    form: ActionForm
    warning: bool
    open: bool


def _render_detail(request: HttpRequest, scope: StaffScope, dossier: Dossier, *, failed: ActionForm | None = None,
                   errors: list[ErrorItem] | None = None, status: int = 200,
                   read_reason: DataAccess | None = None) -> HttpResponse:
    now = timezone.now()
    version = dossier.procedure_version
    panels = []
    for action in selectors.available_actions(scope, dossier):
        form = failed if failed is not None and failed.action == action else ACTION_FORMS[action](dossier=dossier)
        panels.append(ActionPanel(action, _action_label(dossier, action), form, action in WARNING_ACTIONS,
                                  open=form is failed))
    clock_running = not dossier.is_terminal and dossier.status not in CLOCK_STOPPED_STATUSES
    remaining = remaining_working_time(dossier, now) if clock_running else None
    document_names = {str(d.get("code")): d.get("name", "") for d in version.required_documents}
    context = {
        "dossier": dossier,
        "version": version,
        "deadline_state": Deadlines.at(now).state(dossier),
        "remaining": _working_time(remaining),
        "clock_running": clock_running,
        "form_fields": build_fields(version.eform_schema, dossier.form_data),
        "documents": [(d, document_names.get(d.slot, ""))
                      for d in dossier.documents.select_related("blob").order_by("created_at", "pk")],
        "notices": dossier.notices.select_related("issued_agency").order_by("issued_at", "pk"),
        "history": [
            (event, str(ACTION_LABELS.get(event.action, event.action)),
             str(Status(event.from_status).label) if event.from_status in Status.values else "")
            for event in dossier.events.select_related("actor", "actor_agency", "to_agency").order_by("seq")
        ],
        "role_label": str(Role(dossier.current_role).label) if dossier.current_role in Role.values else "",
        "step_number": dossier.step_index + 1,
        "next_step": selectors.next_step(dossier),
        "panels": panels,
        "errors": errors or [],
        "receipt": dossier.notices.filter(kind=Notice.Kind.RECEIPT).order_by("-issued_at", "-pk").first(),
        "read_reason": read_reason,
        "registry": registry.registry_panel(request, dossier),
    }
    return render(request, "backoffice/dossier.html", context, status=status)


def _action_label(dossier: Dossier, action: str) -> str:
    """The button's words; a forward that the step calls a hand-off to another agency says so."""
    step_actions = set(dossier.current_step.get("actions", []))
    if action == "forward" and "hand_off" in step_actions and "forward" not in step_actions:
        return str(ACTION_LABELS["hand_off"])
    return str(ACTION_LABELS[action])


def _working_time(remaining: Any) -> dict[str, Any] | None:
    """Remaining working time as whole working days (8 h) and hours, with its sign."""
    if remaining is None:
        return None
    seconds = int(remaining.total_seconds())
    hours_total = abs(seconds) // 3600
    return {"late": seconds < 0, "days": hours_total // 8, "hours": hours_total % 8,
            "minutes": (abs(seconds) % 3600) // 60}


@staff_view
def dossier_detail(request: HttpRequest, scope: StaffScope, code: str) -> HttpResponse:
    dossier, reason = readable_dossier(scope, code)
    record_dossier_read(actor=scope.user, dossier=dossier, reason=reason)
    return _render_detail(request, scope, dossier, read_reason=reason)


@require_POST
@staff_view
def dossier_registry_lookup(request: HttpRequest, scope: StaffScope, code: str) -> HttpResponse:
    return registry.registry_lookup(request, scope, visible_or_404(scope, code))


@require_POST
@staff_view
def dossier_registry_report_handled(request: HttpRequest, scope: StaffScope, code: str) -> HttpResponse:
    return registry.mark_report_handled(request, scope, visible_or_404(scope, code))


def _form_errors(form: ActionForm) -> list[ErrorItem]:
    items: list[ErrorItem] = []
    for name, errors in form.errors.items():
        anchor = f"#{form[name].auto_id}" if name in form.fields else f"#action-{form.action}"
        items.extend(ErrorItem(text=str(error), anchor=anchor) for error in errors)
    return items


def _action_input(user: User, data: dict[str, Any]) -> ActionInput:
    """What the action's form gave, for its verb (`workflow.VERBS`): a supplement's scans become its uploads."""
    return ActionInput(
        actor=user, expected_version=data["expected_version"], note=data.get("note", ""),
        assignee=data.get("assignee"), items=data.get("items", []), amount=data.get("amount"),
        reference=data.get("reference", ""), new_due_at=data.get("new_due_at"),
        uploads=[Upload(slot="", name=f.name or "bo-sung.pdf", content=f.read(), digitised=True)
                 for f in data.get("scans", [])],
    )


STALE = ("Hồ sơ vừa được người khác xử lý; vui lòng xem lại trước khi thao tác.",
         "Someone else has just acted on this dossier; please check it again before acting.")
FORBIDDEN = ("Bạn không thể thực hiện thao tác này trên hồ sơ lúc này.",
             "You may not take this action on this dossier now.")


@require_POST
@staff_view
def dossier_action(request: HttpRequest, scope: StaffScope, code: str, action: str) -> HttpResponse:
    dossier = visible_or_404(scope, code)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES, dossier=dossier)
    if not form.is_valid():
        return _render_detail(request, scope, dossier, failed=form, errors=_form_errors(form), status=400)

    def again(current: Dossier) -> ActionForm:
        """The form as typed, now carrying the version just shown (the officer has seen the new state)."""
        data = request.POST.copy()
        data[form.add_prefix("expected_version")] = str(current.version)
        return form_class(data, request.FILES, dossier=current)

    if form.cleaned_data["expected_version"] != dossier.version:
        return _render_detail(request, scope, dossier, failed=again(dossier), errors=[ErrorItem.pair(*STALE)],
                              status=409)
    if action not in selectors.available_actions(scope, dossier):
        return _render_detail(request, scope, dossier, errors=[ErrorItem.pair(*FORBIDDEN)], status=403)
    try:
        take(action, dossier, _action_input(scope.user, form.cleaned_data))
    except WorkflowError as exc:
        fresh = visible_or_404(scope, code)
        return _render_detail(request, scope, fresh, failed=again(fresh),
                              errors=[ErrorItem.pair(exc.message_vi, exc.message_en, f"#action-{action}")],
                              status=409 if exc.code == "stale" else 400)
    messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect("backoffice:dossier", code=dossier.code)


# --- files -----------------------------------------------------------------------------------------

@staff_view
def document_download(request: HttpRequest, scope: StaffScope, code: str, document_id: int) -> HttpResponseBase:
    """A file of a dossier this officer sees; not while it is being scanned, nor if the scan rejected it."""
    from motcua.documents.downloads import file_response

    dossier, reason = readable_dossier(scope, code)
    document = get_object_or_404(dossier.documents.select_related("blob"), pk=document_id)
    if not document.file:
        raise Http404
    record_dossier_read(actor=scope.user, dossier=dossier, kind=AccessKind.DOCUMENT_VIEW, reason=reason,
                        detail=f"#{document.pk} {document.name}")
    return file_response(document)


def _pdf_renderer(name: str) -> Callable[[Any], bytes] | None:
    """A renderer of `motcua.dossiers.forms_pdf`, imported when asked for (None while it is unavailable)."""
    try:
        module = importlib.import_module("motcua.dossiers.forms_pdf")
    except ImportError:
        logger.exception("The PDF forms module cannot be imported")
        return None
    renderer: Callable[[Any], bytes] | None = getattr(module, name, None)
    return renderer


def _pdf_response(request: HttpRequest, renderer: Callable[[Any], bytes] | None, subject: Any,
                  filename: str) -> HttpResponse:
    if renderer is None:
        return render(request, "backoffice/pdf_unavailable.html", status=503)
    response = HttpResponse(renderer(subject), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view
def notice_pdf(request: HttpRequest, scope: StaffScope, code: str, notice_id: int) -> HttpResponse:
    dossier, reason = readable_dossier(scope, code)
    notice = get_object_or_404(dossier.notices.select_related("dossier", "issued_agency"), pk=notice_id)
    record_dossier_read(actor=scope.user, dossier=dossier, kind=AccessKind.DOCUMENT_VIEW, reason=reason,
                        detail=f"{notice.kind} #{notice.pk}")
    return _pdf_response(request, _pdf_renderer("render_notice_pdf"), notice, f"{dossier.code}-{notice.kind}.pdf")


@staff_view
def control_sheet_pdf(request: HttpRequest, scope: StaffScope, code: str) -> HttpResponse:
    dossier, reason = readable_dossier(scope, code)
    record_dossier_read(actor=scope.user, dossier=dossier, kind=AccessKind.DOCUMENT_VIEW, reason=reason,
                        detail="control_sheet")
    return _pdf_response(request, _pdf_renderer("render_control_sheet_pdf"), dossier,
                         f"{dossier.code}-phieu-kiem-soat.pdf")


# --- business representation requests --------------------------------------------------------------

@staff_view
def representations(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """Citizens' claims to be a business's legal representative, for the clerks of the reviewing agency."""
    if not scope.agencies_for(Role.CLERK):
        raise PermissionDenied
    page = Paginator(selectors.representation_requests(scope), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "backoffice/representations.html", {"page": page})


@require_POST
@staff_view
def representation_decision(request: HttpRequest, scope: StaffScope, representation_id: int) -> HttpResponse:
    representation = selectors.representation_requests(scope).filter(pk=representation_id).first()
    if representation is None:
        raise Http404
    decision = request.POST.get("decision", "")
    if decision not in ("confirm", "reject"):
        messages.error(request, _("Choose to confirm or to reject the request."))
        return redirect("backoffice:representations")
    try:
        decide_representation(representation, actor=scope.user, confirm=decision == "confirm",
                              note=request.POST.get("reason", "")[:1000])
    except RepresentationError as exc:
        show_error(request, exc)
    else:
        done = (_("Confirmed: %(user)s represents %(organisation)s.") if decision == "confirm"
                else _("Rejected: %(user)s does not represent %(organisation)s."))
        messages.success(request, done % {"user": representation.user,
                                          "organisation": representation.organisation})
    return redirect("backoffice:representations")
