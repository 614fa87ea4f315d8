"""Staff reads of a dossier outside their agency's: allowed only after a typed reason, which is logged.

A member of staff sees the dossiers of their agencies (`backoffice.selectors.visible_dossiers`). Another dossier
of the province is shown only after they type why (at least `REASON_MIN_LENGTH` characters) on the reason page;
the reason is logged (`AccessKind.OUT_OF_SCOPE`) and lets them read — never act on — that dossier for
`MOTCUA_PRIVACY_OUT_OF_SCOPE_MINUTES` (30 by default), every read logged with the reason as its purpose.
"""

from __future__ import annotations

from django.http import Http404

from motcua.backoffice import selectors
from motcua.backoffice.selectors import StaffScope
from motcua.dossiers.models import Dossier
from motcua.privacy.access import active_reason
from motcua.privacy.models import DataAccess

REASON_MIN_LENGTH = 10


class ReasonRequired(Exception):
    """The dossier exists but is not the reader's agency's, and no recent reason was given
    (`backoffice.views.staff_view` answers with the reason page)."""

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
