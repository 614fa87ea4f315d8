"""Reads of the signing app."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import citizen_dossiers
from motcua.identity.models import User
from motcua.signing import pdf
from motcua.signing.models import ResultDocument

PROBLEM_LABELS = {
    pdf.NOT_PDF: _("The file is not a PDF we can read."),
    pdf.NO_SIGNATURE: _("The file carries no digital signature."),
    pdf.NOT_INTACT: _("The content was changed after it was signed."),
    pdf.BAD_SIGNATURE: _("The signature itself is not valid."),
    pdf.UNTRUSTED: _("The signing certificate is not from a trusted authority, or it has expired or was not "
                     "valid."),
    pdf.NOT_WHOLE_FILE: _("The signature does not cover the whole file: something was added after signing."),
    pdf.MODIFIED: _("The document was modified after it was signed."),
    pdf.BAD_TIMESTAMP: _("The signature's timestamp is not valid or not trusted."),
    pdf.REVOKED: _("The signing certificate has been revoked by its certification authority."),
}


def signed_results(dossier: Dossier) -> QuerySet[ResultDocument]:
    return ResultDocument.objects.filter(dossier=dossier, state=ResultDocument.State.SIGNED).order_by("-signed_at")


def signed_result_of_owner(user: User, code: str, result_id: int | None = None) -> ResultDocument | None:
    """A signed result of a dossier USER submitted (the latest one when RESULT_ID is None)."""
    rows = ResultDocument.objects.select_related("dossier").filter(
        dossier__in=citizen_dossiers(user).filter(code=code), state=ResultDocument.State.SIGNED).exclude(signed_file="")
    if result_id is not None:
        rows = rows.filter(pk=result_id)
    return rows.order_by("-signed_at", "-pk").first()
