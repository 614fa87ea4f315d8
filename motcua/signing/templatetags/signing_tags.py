"""Template pieces the staff and citizen pages include: the result panel, the signature badge, my e-results."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.dossiers.models import Dossier, DossierDocument
from motcua.signing import actions
from motcua.signing.models import ResultDocument
from motcua.signing.selectors import signed_results

register = template.Library()


@register.inclusion_tag("signing/_staff_results.html", takes_context=True)
def staff_result_panel(context: dict[str, Any], dossier: Dossier) -> dict[str, Any]:
    request = context["request"]
    results = ResultDocument.objects.filter(dossier=dossier).exclude(
        state__in=(ResultDocument.State.REPLACED, ResultDocument.State.REMOVED)).select_related("signer", "uploaded_by")
    return {"dossier": dossier, "results": results, "csrf_token": context.get("csrf_token"),
            "can_upload": actions.may_upload_draft(dossier, request.user),
            "can_remove": actions.may_remove_draft(dossier, request.user)}


@register.inclusion_tag("signing/_badge.html")
def signature_badge(document: DossierDocument) -> dict[str, Any]:
    return {"check": actions.check_document(document)}


@register.inclusion_tag("signing/_my_results.html")
def my_results(dossier: Dossier) -> dict[str, Any]:
    return {"dossier": dossier, "results": signed_results(dossier)}
