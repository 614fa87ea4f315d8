"""Staff pages of the document exchange: send a dossier's result to an agency outside motcua. Parse, authorise, call
one action, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.i18n import in_language
from motcua.directory.models import Agency
from motcua.directory.selectors import StaffScope
from motcua.docexchange import actions
from motcua.dossiers import selectors as dossier_selectors
from motcua.privacy.staff import staff_view


@require_POST
@staff_view
def send_result(request: HttpRequest, scope: StaffScope, code: str) -> HttpResponse:
    dossier = dossier_selectors.visible_dossier(scope, code)
    if dossier is None:
        raise Http404
    if not actions.may_send_result(dossier, scope.user):
        messages.error(request, _("Only the handling agency's officers may send the result, once it is ready."))
        return redirect("backoffice:dossier", code=dossier.code)
    agency = Agency.objects.filter(is_external=True, is_active=True, eid_code=request.POST.get("to_agency", "")).first()
    if agency is None:
        messages.error(request, _("Choose the outside agency to send the result to."))
        return redirect("backoffice:dossier", code=dossier.code)
    try:
        document = actions.send_result(dossier, to_agency=agency, actor=scope.user)
    except actions.ExchangeError as exc:
        messages.error(request, in_language(exc.message_vi, exc.message_en))
    else:
        messages.success(request, _("The result was sent as document %(code)s: %(state)s.") % {
            "code": document.code, "state": document.get_state_display()})
    return redirect("backoffice:dossier", code=dossier.code)
