"""Reads on dossiers."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from motcua.directory.selectors import StaffScope
from motcua.dossiers.models import Dossier, DossierEvent


def lookup_path(dossier: Dossier) -> str:
    """The public look-up page of DOSSIER, with its secret (what the QR code on every form points to)."""
    return reverse("dossiers:lookup_detail", args=[dossier.code]) + "?" + urlencode({"s": dossier.lookup_secret})


def lookup_url(dossier: Dossier) -> str:
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + lookup_path(dossier)


# --- what a member of staff sees ---------------------------------------------------------------------------------
# Their agencies' dossiers: the current, receiving or competent agency is one where they hold a working role, or
# the dossier was ever handed to one (a `DossierEvent` whose `to_agency` is theirs). Another agency's dossier is
# read only after a reason (`privacy.staff.readable_dossier`).

def visible_dossiers(scope: StaffScope) -> QuerySet[Dossier]:
    ids = scope.agency_ids
    if not ids:
        return Dossier.objects.none()
    handed = DossierEvent.objects.filter(to_agency__in=ids).values("dossier_id")
    return Dossier.objects.filter(
        Q(current_agency__in=ids) | Q(receiving_agency__in=ids) | Q(competent_agency__in=ids) | Q(pk__in=handed)
    )


def visible_dossier(scope: StaffScope, code: str) -> Dossier | None:
    return (
        visible_dossiers(scope)
        .select_related("procedure", "procedure_version", "receiving_agency", "competent_agency", "current_agency",
                        "assignee", "applicant")
        .filter(code=code)
        .first()
    )
