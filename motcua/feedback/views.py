"""Citizen pages (submit, look up by code and secret, rate, published answers) and the staff's pages (list,
counter entry, detail with the actions). Each view parses, authorises, calls one action and renders."""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from motcua.core.errors import user_message
from motcua.core.i18n import in_language
from motcua.directory.models import Agency, Role, StaffAssignment
from motcua.directory.selectors import StaffScope
from motcua.dossiers import lookup as dossier_lookup
from motcua.dossiers.actions import IntakeError
from motcua.dossiers.workflow import WorkflowError
from motcua.feedback import actions, selectors, workflow
from motcua.feedback.masking import mask_personal_data
from motcua.feedback.models import Channel, Classification, Feedback, FeedbackKind, Status, Subject
from motcua.identity.models import User
from motcua.privacy.staff import staff_view

IDEMPOTENCY_KEY = re.compile(r"^[0-9a-f]{32}$")
PAGE_SIZE = 50


def _choices() -> dict[str, Any]:
    return {
        "kinds": FeedbackKind.objects.filter(is_active=True).order_by("name"),
        "subjects": Subject.choices,
        "agencies": Agency.objects.active().order_by("name"),
    }


def _posted(request: HttpRequest) -> dict[str, str]:
    names = ("kind", "subject", "procedure_code", "dossier_code", "agency", "title", "content", "name", "phone",
             "email", "address")
    return {name: request.POST.get(name, "")[:6000] for name in names}


def _submit(request: HttpRequest, values: dict[str, str], *, channel: str, actor: User | None,
            receiving: Agency | None, key: str) -> Feedback:
    kind = FeedbackKind.objects.filter(is_active=True, pk=values["kind"]).first() if values["kind"].isdigit() else None
    agency = Agency.objects.active().filter(pk=values["agency"]).first() if values["agency"].isdigit() else None
    return actions.submit_feedback(
        kind=kind, subject=values["subject"], title=values["title"], content=values["content"], agency=agency,
        petitioner=actions.Petitioner(values["name"], values["phone"], values["email"], values["address"]),
        channel=channel, actor=actor, procedure_code=values["procedure_code"], dossier_code=values["dossier_code"],
        consent_to_publish=request.POST.get("consent") == "yes", receiving_agency=receiving,
        idempotency_key=f"{channel}:{actor.pk if actor else 'anon'}:{key}",
    )


def _error_items(exc: IntakeError) -> list[dict[str, str]]:
    return [{"text": in_language(vi, en), "anchor": f"#f-{name}"} for name, (vi, en) in exc.errors.items()]


# --- citizens ---------------------------------------------------------------------------------------------------

def submit(request: HttpRequest) -> HttpResponse:
    """The petition form, for anyone (signed in or not): name and contact filled from the account."""
    user = request.user if request.user.is_authenticated else None
    values = {"name": getattr(user, "full_name", "") or "", "phone": getattr(user, "phone", "") or "",
              "email": getattr(user, "email", "") or ""}
    errors: list[dict[str, str]] = []
    key = secrets.token_hex(16)
    status = 200
    if request.method == "POST":
        values = _posted(request)
        key = request.POST.get("idempotency_key", "")
        if not IDEMPOTENCY_KEY.match(key):
            key = secrets.token_hex(16)
            errors = [{"text": in_language("Biểu mẫu đã hết hạn; vui lòng gửi lại.",
                                           "The form has expired; please send it again."), "anchor": ""}]
        else:
            try:
                feedback = _submit(request, values, channel=Channel.ONLINE, actor=user, receiving=None, key=key)
            except IntakeError as exc:
                errors = _error_items(exc)
            else:
                return redirect(selectors.lookup_path(feedback) + "&" + urlencode({"moi": "1"}))
        status = 400
    return render(request, "feedback/submit.html", {**_choices(), "values": values, "errors": errors,
                                                    "idempotency_key": key, "consent": request.POST.get("consent")},
                  status=status)


def lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("ma", "").strip()
    secret = request.GET.get("s", "").strip()
    if code and secret:
        try:
            path = reverse("feedback:lookup_detail", args=[code.upper()])
        except NoReverseMatch:
            return render(request, "feedback/lookup.html", {"code": code, "not_found": True}, status=404)
        return redirect(f"{path}?{urlencode({'s': secret})}")
    return render(request, "feedback/lookup.html", {"code": code, "missing": bool(code or secret)})


def lookup_detail(request: HttpRequest, feedback_code: str) -> HttpResponse:
    """The petition for whoever holds its code and look-up secret; the rating form once it is answered."""
    if dossier_lookup.throttled(request):
        return render(request, "feedback/lookup.html", {"code": feedback_code, "throttled": True}, status=429)
    secret = request.POST.get("s", "") if request.method == "POST" else request.GET.get("s", "")
    feedback = selectors.find(feedback_code, secret)
    if feedback is None:
        return render(request, "feedback/lookup.html", {"code": feedback_code, "not_found": True}, status=404)
    error = ""
    if request.method == "POST":
        rating = request.POST.get("rating", "")
        try:
            actions.rate_feedback(feedback, rating=int(rating) if rating.isdigit() else 0,
                                  comment=request.POST.get("comment", ""), holds_secret=True)
        except WorkflowError as exc:
            error = user_message(exc)
        else:
            messages.success(request, in_language("Cảm ơn Ông/Bà đã đánh giá.", "Thank you for your rating."))
            return redirect(selectors.lookup_path(feedback))
    context = {"feedback": feedback, "events": selectors.public_events(feedback), "secret": feedback.lookup_secret,
               "new": request.GET.get("moi") == "1", "may_rate": "rate" in workflow.legal_actions(feedback),
               "error": error, "petitioner": dossier_lookup.masked_name(feedback.petitioner_name)}
    response = render(request, "feedback/lookup_detail.html", context, status=400 if error else 200)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"  # the secret is in the URL
    return response


def published(request: HttpRequest) -> HttpResponse:
    """Answers published with the petitioners' agreement: masked texts only."""
    page = Paginator(selectors.published(), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/published.html", {"page": page})


# --- staff ------------------------------------------------------------------------------------------------------

def _visible(scope: StaffScope, code: str) -> Feedback:
    feedback = (Feedback.objects.select_related("agency", "kind", "received_by_agency", "assignee", "merged_into")
                .filter(code=code.upper()).first())
    if feedback is None or (feedback.agency_id not in scope.agency_ids
                            and feedback.received_by_agency_id not in scope.agency_ids):
        raise Http404
    return feedback


@staff_view
def office_list(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    status = request.GET.get("trang-thai", "")
    if status not in Status.values:
        status = ""
    rows = selectors.for_staff(scope.agency_ids, status=status, query=request.GET.get("q", "")[:60])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/office_list.html", {
        "page": page, "statuses": Status.choices, "status": status, "q": request.GET.get("q", "")[:60],
        "may_enter": bool(scope.agencies_for(Role.CLERK)),
    })


@staff_view
def office_intake(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """A clerk types a petition brought to the counter (on paper, or told in person)."""
    clerk_agencies = Agency.objects.filter(pk__in=scope.agencies_for(Role.CLERK)).order_by("name")
    if not clerk_agencies:
        raise Http404
    values: dict[str, str] = {}
    errors: list[dict[str, str]] = []
    key = secrets.token_hex(16)
    status = 200
    if request.method == "POST":
        values = _posted(request)
        key = request.POST.get("idempotency_key", "")
        chosen = request.POST.get("receiving", "")
        receiving = clerk_agencies.filter(pk=int(chosen)).first() if chosen.isdigit() else clerk_agencies.first()
        if not IDEMPOTENCY_KEY.match(key):
            key = secrets.token_hex(16)
            errors = [{"text": in_language("Biểu mẫu đã hết hạn; vui lòng gửi lại.",
                                           "The form has expired; please send it again."), "anchor": ""}]
        else:
            try:
                feedback = _submit(request, values, channel=Channel.COUNTER, actor=scope.user, receiving=receiving,
                                   key=key)
            except IntakeError as exc:
                errors = _error_items(exc)
            else:
                messages.success(request, in_language(
                    f"Đã tiếp nhận phản ánh {feedback.code}. Mã tra cứu: {feedback.lookup_secret}.",
                    f"Petition {feedback.code} received. Look-up code: {feedback.lookup_secret}."))
                return redirect("feedback_office:detail", feedback_code=feedback.code)
        status = 400
    return render(request, "feedback/office_intake.html", {
        **_choices(), "values": values, "errors": errors, "idempotency_key": key, "clerk_agencies": clerk_agencies,
        "consent": request.POST.get("consent")}, status=status)


def _assignees(feedback: Feedback) -> list[User]:
    ids = StaffAssignment.objects.filter(agency=feedback.agency, is_active=True,
                                         role__in=[Role.SPECIALIST, Role.LEADER]).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("full_name"))


def _render_detail(request: HttpRequest, scope: StaffScope, feedback: Feedback, error: str = "",
                   status: int = 200) -> HttpResponse:
    actions_now = [a for a in workflow.legal_actions(feedback)
                   if a in workflow.STAFF_ACTIONS and workflow.may_take(feedback, a, scope.user)]
    offered = [(a, workflow.action_label(a)) for a in actions_now]
    return render(request, "feedback/office_detail.html", {
        "feedback": feedback, "events": feedback.events.select_related("actor", "to_agency").order_by("seq"),
        "offered": offered, "error": error,
        "classifications": [c for c in Classification.choices if c[0]], "kinds": FeedbackKind.objects.filter(
            is_active=True), "assignees": _assignees(feedback) if "assign" in actions_now else [],
        "agencies": Agency.objects.active().exclude(pk=feedback.agency_id).order_by("name")
        if "transfer" in actions_now else [],
        "preview": _preview(feedback) if "publish" in actions_now else None,
    }, status=status)


def _preview(feedback: Feedback) -> dict[str, str]:
    """What publishing would show: the same masking the action applies."""
    names = actions.known_names(feedback)
    return {"title": mask_personal_data(feedback.title, names), "content": mask_personal_data(feedback.content, names),
            "reply": mask_personal_data(feedback.reply, names)}


@staff_view
def office_detail(request: HttpRequest, scope: StaffScope, feedback_code: str) -> HttpResponse:
    return _render_detail(request, scope, _visible(scope, feedback_code))


def _take(action: str, feedback: Feedback, user: User, post: Any, version: int | None) -> Feedback:
    note = post.get("note", "")[:2000]
    common: dict[str, Any] = {"actor": user, "expected_version": version}
    if action == "assign":
        kind = FeedbackKind.objects.filter(pk=post.get("kind", "0")).first() if post.get("kind", "").isdigit() \
            else None
        assignee = User.objects.filter(pk=post.get("assignee")).first() if post.get("assignee", "").isdigit() \
            else None
        return actions.assign_feedback(feedback, classification=post.get("classification", ""), kind=kind,
                                       assignee=assignee, note=note, **common)
    if action == "start":
        return actions.start_feedback(feedback, **common)
    if action == "draft_reply":
        return actions.draft_reply(feedback, reply=post.get("reply", ""), **common)
    if action == "send_back":
        return actions.send_back_reply(feedback, note=note, **common)
    if action == "approve_reply":
        return actions.approve_reply(feedback, **common)
    if action == "answer":
        return actions.answer_feedback(feedback, **common)
    if action == "publish":
        return actions.publish_feedback(feedback, **common)
    if action == "close":
        return actions.close_feedback(feedback, note=note, **common)
    if action == "transfer":
        to = Agency.objects.filter(pk=post.get("to_agency")).first() if post.get("to_agency", "").isdigit() \
            else None
        return actions.transfer_feedback(feedback, to_agency=to, note=note, **common)
    if action == "merge":
        return actions.merge_feedback(feedback, into_code=post.get("into", ""), note=note, **common)
    raise Http404


@require_POST
@staff_view
def office_action(request: HttpRequest, scope: StaffScope, feedback_code: str, action: str) -> HttpResponse:
    feedback = _visible(scope, feedback_code)
    if action not in workflow.STAFF_ACTIONS:
        raise Http404
    version = request.POST.get("version", "")
    try:
        _take(action, feedback, scope.user, request.POST, int(version) if version.isdigit() else None)
    except WorkflowError as exc:
        return _render_detail(request, scope, feedback, error=user_message(exc),
                              status=403 if exc.code == "forbidden" else 409 if exc.code in ("stale", "illegal")
                              else 400)
    messages.success(request, in_language("Đã thực hiện.", "Done."))
    feedback.refresh_from_db()
    if feedback.agency_id not in scope.agency_ids and feedback.received_by_agency_id not in scope.agency_ids:
        return redirect("feedback_office:list")  # transferred out of the caller's agencies
    return redirect("feedback_office:detail", feedback_code=feedback.code)
