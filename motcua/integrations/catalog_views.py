"""The "Đồng bộ thủ tục từ CSDL quốc gia" page (province administrators, who alone may edit the catalog): pull one
procedure by its national code or all of the province's, see the field-by-field differences, apply one."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.models import NationalProcedure
from motcua.integrations import catalog_sync
from motcua.integrations.views import _province_admin

CODE = re.compile(r"^[0-9]\.[0-9]{6}(\.[0-9A-Z.]+)?$")
LIST_LIMIT = 200


def _page(code: str = "") -> str:
    url = reverse("integrations:catalog_sync")
    return f"{url}?{urlencode({'code': code})}" if code else url


@login_required(login_url="backoffice:login")
def catalog_sync_page(request: HttpRequest) -> HttpResponse:
    _province_admin(request)
    code = request.GET.get("code", "").strip()[:60]
    snapshot = NationalProcedure.objects.filter(national_code=code).first() if code else None
    rows = catalog_sync.diff(snapshot) if snapshot is not None else []
    differing = (NationalProcedure.objects.exclude(differences=[]).filter(compared_version__isnull=False)
                 .order_by("national_code")[:LIST_LIMIT]
                 if snapshot is None else [])
    new = (NationalProcedure.objects.filter(compared_version__isnull=True).order_by("national_code")[:LIST_LIMIT]
           if snapshot is None else [])
    context = {"code": code, "snapshot": snapshot, "rows": rows, "differing": differing, "new": new,
               "changed": [r for r in rows if r.changed and r.applied],
               "is_new": snapshot is not None and snapshot.compared_version_id is None,
               "errors": []}
    return render(request, "integrations/catalog_sync.html", context)


@require_POST
@login_required(login_url="backoffice:login")
def catalog_pull(request: HttpRequest) -> HttpResponse:
    _province_admin(request)
    scope = request.POST.get("scope", "one")
    code = request.POST.get("code", "").strip()
    if scope != "all" and not CODE.match(code):
        messages.error(request, _("Enter a national procedure code such as 1.013831."))
        return redirect(_page())
    try:
        if scope == "all":
            report = catalog_sync.pull_all(actor=request.user)
        else:
            report = catalog_sync.pull([code], actor=request.user)
    except catalog_sync.CatalogSyncError as exc:
        messages.error(request, exc.message)
        return redirect(_page())
    for failed in report.errors.values():
        messages.error(request, failed.message)
    if scope == "all":
        messages.success(request, _("Pulled %(pulled)d procedures: %(differing)d differ from the local catalog.") % {
            "pulled": len(report.snapshots), "differing": len(report.differing)})
        return redirect(_page())
    return redirect(_page(code) if report.snapshots else _page())


@require_POST
@login_required(login_url="backoffice:login")
def catalog_apply(request: HttpRequest) -> HttpResponse:
    _province_admin(request)
    code = request.POST.get("code", "").strip()[:60]
    try:
        result = catalog_sync.apply(code, request.POST.get("digest", ""), actor=request.user)
    except catalog_sync.CatalogSyncError as exc:
        messages.error(request, exc.message)
        for problem in exc.errors[:20]:
            messages.error(request, str(problem))
        return redirect(_page(code))
    if result.outcome == "created":
        messages.success(request, _("Procedure %(code)s was created, not yet offered: complete its process and "
                                    "agencies in the catalog admin, then offer it.") % {"code": code})
    elif result.outcome == "new_version":
        messages.success(request, _("Procedure %(code)s now has version %(number)s; its process steps and agencies "
                                    "were kept.") % {"code": code, "number": result.version_number})
    else:
        messages.info(request, _("Procedure %(code)s already matches the national record: no new version.") % {
            "code": code})
    return redirect(_page(code))
