"""Privacy pages: the reason a member of staff gives before reading another agency's dossier; the citizen's
"My account" (who read their data, their consents, their data export); the province administrator's access log
(CSV too) and data-subject export by personal ID number."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.spreadsheet import safe_row
from motcua.directory.selectors import StaffScope, is_province_admin
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import Dossier
from motcua.identity.models import User
from motcua.privacy.access import grant_reason, reason_window, record_access
from motcua.privacy.consents import withdraw_consent
from motcua.privacy.export import build_export
from motcua.privacy.models import AccessKind, DataAccess, Purpose
from motcua.privacy.selectors import accesses_of, citizen_line, consents_of, reader_label
from motcua.privacy.staff import REASON_MIN_LENGTH, any_dossier, staff_view

PAGE_SIZE = 50
NATIONAL_ID = re.compile(r"^\d{12}$")


# --- the reason page (staff) -------------------------------------------------------------------------

def _next_url(request: HttpRequest, dossier: Dossier, wanted: str) -> str:
    """WANTED when it is a page of this dossier in the back office, else the dossier's page."""
    page = reverse("backoffice:dossier", args=[dossier.code])
    if wanted.startswith(page) and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return page


def reason_page(request: HttpRequest, dossier: Dossier, *, reason: str = "", error: str = "",
                next_url: str = "", status: int = 403) -> HttpResponse:
    """The form asking why a member of staff opens DOSSIER, which is not their agency's (403 where the dossier
    was asked for, until answered). It shows the dossier's code only, nothing of its content."""
    context = {"dossier_code": dossier.code, "reason": reason, "error": error,
               "next": next_url or request.get_full_path(), "minutes": int(reason_window().total_seconds() // 60),
               "min_length": REASON_MIN_LENGTH}
    return render(request, "privacy/reason.html", context, status=400 if error else status)


@staff_view
def reason(request: HttpRequest, scope: StaffScope, code: str) -> HttpResponseBase:
    dossier = any_dossier(code)
    if dossier is None:
        raise Http404
    if dossier_selectors.visible_dossier(scope, code) is not None:
        return redirect("backoffice:dossier", code=code)  # their own agency's: no reason needed
    wanted = request.POST.get("next", "") if request.method == "POST" else request.GET.get("next", "")
    next_url = _next_url(request, dossier, wanted)
    if request.method != "POST":
        return reason_page(request, dossier, next_url=next_url, status=200)
    typed = " ".join(request.POST.get("reason", "").split())[:300]
    if len(typed) < REASON_MIN_LENGTH:
        return reason_page(request, dossier, reason=typed, next_url=next_url,
                           error=_("Write why you need to open this dossier (at least %(n)d characters).")
                           % {"n": REASON_MIN_LENGTH})
    grant_reason(actor=scope.user, dossier=dossier, reason=typed)
    return redirect(next_url)


# --- my account (citizen) ----------------------------------------------------------------------------

@login_required(login_url="portal:login")
def my_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = Paginator(accesses_of(user), PAGE_SIZE).get_page(request.GET.get("page"))
    lines = [citizen_line(row, user) for row in page.object_list]
    consents = list(consents_of(user)[:100])
    return render(request, "privacy/my_account.html", {"page": page, "lines": lines, "consents": consents})


@require_POST
@login_required(login_url="portal:login")
def my_export(request: HttpRequest) -> FileResponse:
    """The signed-in person's own data as a ZIP (nothing is logged as a staff read: it is their own)."""
    archive = build_export(request.user)
    response = FileResponse(archive, as_attachment=True, content_type="application/zip",
                            filename=f"du-lieu-ca-nhan-{timezone.localdate():%Y%m%d}.zip")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required(login_url="portal:login")
def my_consent_withdraw(request: HttpRequest) -> HttpResponse:
    consent_id = request.POST.get("consent", "")
    consent = consents_of(request.user).filter(pk=int(consent_id)).first() if consent_id.isdigit() else None
    if consent is None or not consent.is_active:
        messages.error(request, _("This consent cannot be withdrawn (it is not yours, or already withdrawn)."))
    else:
        withdraw_consent(consent)
        messages.success(request, _("Consent withdrawn: %(purpose)s.") % {"purpose": consent.get_purpose_display()})
    return redirect("privacy:my_account")


# --- province administrator ------------------------------------------------------------------------

def _province_admin(request: HttpRequest) -> User:
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if not is_province_admin(user):
        raise PermissionDenied
    return user


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _filtered_log(params: Any) -> tuple[QuerySet[DataAccess], dict[str, str]]:
    values = {key: str(params.get(key, "")).strip()[:60] for key in ("national_id", "reader", "dossier", "kind",
                                                                     "from", "to", "out_of_scope")}
    rows = DataAccess.objects.select_related("actor", "actor_agency", "dossier").order_by("-at", "-pk")
    if values["national_id"]:
        rows = rows.filter(subject_national_id=values["national_id"])
    if values["reader"]:
        rows = rows.filter(actor__username__icontains=values["reader"])
    if values["dossier"]:
        rows = rows.filter(dossier__code=values["dossier"])
    if values["kind"] in AccessKind.values:
        rows = rows.filter(kind=values["kind"])
    if values["out_of_scope"] == "1":
        rows = rows.filter(out_of_scope=True)
    start, end = _date(values["from"]), _date(values["to"])
    tz = timezone.get_current_timezone()
    if start:
        rows = rows.filter(at__gte=dt.datetime.combine(start, dt.time(0), tzinfo=tz))
    if end:
        rows = rows.filter(at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz))
    return rows, values


@login_required(login_url="backoffice:login")
def access_log(request: HttpRequest) -> HttpResponse:
    _province_admin(request)
    rows, values = _filtered_log(request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "privacy/access_log.html", {
        "page": page, "values": values, "kinds": AccessKind.choices, "query": query.urlencode()})


CSV_COLUMNS = ("time", "reader", "reader_name", "role", "agency", "kind", "personal_id", "dossier", "purpose",
               "detail", "out_of_scope")


@login_required(login_url="backoffice:login")
def access_log_csv(request: HttpRequest) -> HttpResponse:
    _province_admin(request)
    rows, _values = _filtered_log(request.GET)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 with Vietnamese text correctly
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    local = timezone.get_current_timezone()
    for row in rows.iterator(chunk_size=2000):
        writer.writerow(safe_row([
            row.at.astimezone(local).isoformat(timespec="seconds"),
            row.actor.get_username() if row.actor else "", str(row.actor) if row.actor else "",
            reader_label(row), row.actor_agency.name if row.actor_agency else "", row.kind, row.subject_national_id,
            row.dossier.code if row.dossier else "", row.purpose_label, row.detail, "1" if row.out_of_scope else ""]))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-truy-cap-{timezone.localdate():%Y%m%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required(login_url="backoffice:login")
def subject_export(request: HttpRequest) -> HttpResponseBase:
    """A person's data by personal ID number, for the province administrator answering their request (the
    reason is required and the export logged as a read of that person's data)."""
    admin = _province_admin(request)
    values = {"national_id": "", "reason": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {"national_id": request.POST.get("national_id", "").strip()[:20],
                  "reason": " ".join(request.POST.get("reason", "").split())[:300]}
        if not NATIONAL_ID.match(values["national_id"]):
            errors["national_id"] = _("Enter the 12-digit personal ID number.")
        if len(values["reason"]) < REASON_MIN_LENGTH:
            errors["reason"] = _("Write why the data is exported, e.g. the request's reference (at least %(n)d "
                                 "characters).") % {"n": REASON_MIN_LENGTH}
        if not errors:
            subject = User.objects.filter(national_id=values["national_id"]).first()
            record_access(actor=admin, kind=AccessKind.EXPORT, purpose=values["reason"], subject=subject,
                          subject_national_id=values["national_id"], detail=Purpose.SUBJECT_REQUEST,
                          coalesce=False)
            archive = build_export(subject, values["national_id"])
            response = FileResponse(archive, as_attachment=True, content_type="application/zip",
                                    filename=f"du-lieu-{values['national_id']}-{timezone.localdate():%Y%m%d}.zip")
            response["Cache-Control"] = "private, no-store"
            return response
    return render(request, "privacy/subject_export.html", {"values": values, "errors": errors},
                  status=400 if errors else 200)

