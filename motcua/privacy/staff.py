"""Staff reads of a dossier outside their agency's: allowed only after a typed reason, which is logged.

A member of staff sees the dossiers of their agencies (`dossiers.selectors.visible_dossiers`). Another dossier
of the province is shown only after they type why (at least `REASON_MIN_LENGTH` characters) on the reason page;
the reason is logged (`AccessKind.OUT_OF_SCOPE`) and lets them read — never act on — that dossier for
`MOTCUA_PRIVACY_OUT_OF_SCOPE_MINUTES` (30 by default), every read logged with the reason as its purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from motcua.directory.selectors import StaffScope, staff_scope
from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier
from motcua.privacy.access import active_reason
from motcua.privacy.models import DataAccess

REASON_MIN_LENGTH = 10
P = ParamSpec("P")


class ReasonRequired(Exception):
    """The dossier exists but is not the reader's agency's, and no recent reason was given
    (`staff_view` answers with the reason page)."""

    def __init__(self, dossier: Dossier) -> None:
        super().__init__(dossier.code)
        self.dossier = dossier


def any_dossier(code: str) -> Dossier | None:
    return (Dossier.objects.select_related("procedure", "procedure_version", "receiving_agency", "competent_agency",
                                           "current_agency", "assignee", "applicant")
            .filter(code=code).first())


def readable_dossier(scope: StaffScope, code: str) -> tuple[Dossier, DataAccess | None]:
    """The dossier CODE for reading, and the reason it is read under when it is outside the reader's agencies
    (None inside). Raises Http404 when there is no such dossier, ReasonRequired when a reason is needed first."""
    dossier = selectors.visible_dossier(scope, code)
    if dossier is not None:
        return dossier, None
    dossier = any_dossier(code)
    if dossier is None:
        raise Http404
    reason = active_reason(scope.user, dossier)
    if reason is None:
        raise ReasonRequired(dossier)
    return dossier, reason


def staff_view(
    view: Callable[Concatenate[HttpRequest, StaffScope, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Signed in, and holding a working role (clerk, specialist, leader) somewhere; else the login page / 403.
    The view gets the member of staff's scope; a `ReasonRequired` it raises is answered with the reason page.
    Every staff page (back office, signing, land, tax exchange, petitions, addresses) is wrapped in it."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        scope = staff_scope(request.user)
        if not scope.has_working_role:
            raise PermissionDenied
        try:
            return view(request, scope, *args, **kwargs)
        except ReasonRequired as needed:  # another agency's dossier: the reason page first
            from motcua.privacy.views import reason_page

            return reason_page(request, needed.dossier)

    update_wrapper(wrapper, view)
    return login_required(wrapper)


def visible_or_404(scope: StaffScope, code: str) -> Dossier:
    """The dossier CODE of the staff member's agencies (to act on), else 404."""
    dossier = selectors.visible_dossier(scope, code)
    if dossier is None:
        raise Http404
    return dossier
