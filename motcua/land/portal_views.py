"""The citizen's side: fill the online application's parcel from the land database by the certificate serial."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.models import Procedure
from motcua.land import actions, rules
from motcua.portal.models import FormDraft


@require_POST
@login_required(login_url="portal:login")
def fill_from_land_database(request: HttpRequest, national_code: str, index: int) -> HttpResponseBase:
    if not rules.is_land_procedure(national_code):
        raise Http404
    procedure = get_object_or_404(Procedure.objects.published(), national_code=national_code)
    draft = get_object_or_404(FormDraft, user=request.user, procedure=procedure)
    outcome = actions.fill_draft(draft, request.POST.get("gcn", "")[:40])
    text = {
        "filled": _("The parcel's details were filled in from the land database. Check them before continuing."),
        "not_found": _("The land database has no certificate with this serial. Check it, or type the details in."),
        "unavailable": _("The land database cannot be reached now. Type the details in; the office will check them."),
        "bad_serial": _("Enter the serial printed on the certificate, e.g. DN 012345."),
    }[outcome]
    (messages.success if outcome == "filled" else messages.warning)(request, text)
    return redirect("portal:apply_page", national_code=national_code, index=index)
