"""Staff pages of the land procedures: the parcel look-up (also on the counter intake page, which it fills), and the
dossier page's land panel acts (look up again, flags seen, change entered by hand). Each view parses, authorises,
calls one action of `motcua.land.actions`, and renders or redirects."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.models import Procedure
from motcua.core.errors import show_error
from motcua.directory.models import Role
from motcua.directory.selectors import StaffScope
from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier
from motcua.land import actions, rules
from motcua.land.intake import intake_lookup
from motcua.land.models import LandWriteBack
from motcua.privacy.staff import staff_view


@staff_view
def lookup(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """Look a parcel up in the land database (any working role): holders, area, purpose, term, restrictions."""
    procedures = list(Procedure.objects.published().filter(national_code__in=rules.land_procedures())
                      .order_by("national_code"))
    code = request.GET.get("thu_tuc", "")
    procedure = next((p for p in procedures if p.national_code == code), procedures[0] if procedures else None)
    asked = intake_lookup(request, procedure) if procedure is not None else None
    found = asked["lookup"] if asked else None
    english = not (get_language() or "vi").startswith("vi")
    flags = [{**f.as_dict(), "text": f.en if english else f.vi} for f in found.flags] if found else []
    return render(request, "land/lookup.html", {"procedures": procedures, "procedure": procedure, "asked": asked,
                                                "flags": flags},
                  status=400 if asked and asked["problems"] else 200)


def _dossier(scope: StaffScope, code: str) -> Dossier:
    dossier = selectors.visible_dossier(scope, code)
    if dossier is None or not rules.is_land_procedure(dossier.procedure.national_code):
        raise Http404
    return dossier


def _back(dossier: Dossier) -> HttpResponseBase:
    response = redirect("backoffice:dossier", code=dossier.code)
    response["Location"] += "#land"
    return response


@require_POST
@staff_view
def check_again(request: HttpRequest, scope: StaffScope, code: str) -> HttpResponseBase:
    dossier = _dossier(scope, code)
    check = actions.check_dossier_parcel(dossier.pk)
    if check is not None and check.state == check.State.UNAVAILABLE:
        messages.warning(request, _("The land database did not answer: check the parcel by hand."))
    else:
        messages.success(request, _("The parcel was looked up again in the land database."))
    return _back(dossier)


@require_POST
@staff_view
def acknowledge(request: HttpRequest, scope: StaffScope, code: str) -> HttpResponseBase:
    dossier = _dossier(scope, code)
    if not scope.has(dossier.receiving_agency_id, Role.CLERK) and not scope.has(dossier.competent_agency_id,
                                                                               Role.SPECIALIST):
        raise Http404
    check = actions.latest_check(dossier)
    if check is not None:
        actions.acknowledge_check(check, actor=scope.user)
        messages.success(request, _("Noted: you have seen the land database's flags."))
    return _back(dossier)


@require_POST
@staff_view
def manual_write_back(request: HttpRequest, scope: StaffScope, code: str) -> HttpResponseBase:
    dossier = _dossier(scope, code)
    land_office = dossier.competent_agency_id
    if not (scope.has(land_office, Role.SPECIALIST) or scope.has(land_office, Role.LEADER)):
        raise Http404
    row = LandWriteBack.objects.filter(dossier=dossier).first()
    if row is None:
        raise Http404
    try:
        actions.record_manual_write_back(row, actor=scope.user, reference=request.POST.get("reference", ""),
                                         note=request.POST.get("note", ""))
    except actions.LandError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The change entered by hand in the land database is recorded."))
    return _back(dossier)
