"""Reads on dossiers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.urls import reverse

from motcua.directory.models import Agency
from motcua.directory.selectors import StaffScope
from motcua.dossiers.models import Dossier, DossierEvent, PortalSync

if TYPE_CHECKING:
    from motcua.catalog.models import Procedure
    from motcua.identity.models import User


def lookup_path(dossier: Dossier) -> str:
    """The public look-up page of DOSSIER, with its secret (what the QR code on every form points to)."""
    return reverse("dossiers:lookup_detail", args=[dossier.code]) + "?" + urlencode({"s": dossier.lookup_secret})


def lookup_url(dossier: Dossier) -> str:
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + lookup_path(dossier)


# --- a citizen's own dossiers ---------------------------------------------------------------------------------------
# The one definition of "my dossiers": those the signed-in citizen submitted online (`Dossier.applicant`). Every page,
# endpoint and check that lets a citizen see or act on their own dossier reads it here; anyone else's dossier does not
# exist for them (a 404, the same answer as an unknown code).

def citizen_dossiers(user: User | None) -> QuerySet[Dossier]:
    """The dossiers USER submitted (none for no user or an anonymous one)."""
    if user is None or user.pk is None:
        return Dossier.objects.none()
    return Dossier.objects.filter(applicant_id=user.pk)


def citizen_dossier(user: User | None, code: str, *, related: tuple[str, ...] = ()) -> Dossier | None:
    """USER's dossier CODE, with the RELATED rows joined; None when it is not theirs (or does not exist)."""
    return citizen_dossiers(user).select_related(*related).filter(code=code).first()


def is_citizens_dossier(user: AbstractBaseUser | AnonymousUser | None, dossier: Dossier) -> bool:
    """Whether DOSSIER is one USER submitted (the same rule as `citizen_dossiers`, on a dossier already read)."""
    return user is not None and user.pk is not None and dossier.applicant_id == user.pk


def last_form_data(user: User, procedure: Procedure) -> dict[str, Any]:
    """The e-form answers of USER's latest dossier of PROCEDURE (names and numbers they typed before), or {}."""
    earlier = (citizen_dossiers(user).filter(procedure=procedure).order_by("-submitted_at")
               .values_list("form_data", flat=True).first())
    return dict(earlier or {})


# --- reads the actions need ---------------------------------------------------------------------------------------

def receiving_agency_for(procedure: Procedure, competent: Agency) -> Agency:
    """Where an online dossier is received: the provincial service centre for province-level procedures
    (when the province has one), otherwise the competent agency itself (a commune receives its own)."""
    if procedure.level == "province":
        centre = Agency.objects.active().filter(function="service_center").order_by("path").first()
        if centre is not None:
            return centre
    return competent


def dossier_file_bytes(dossier: Dossier) -> int:
    """What the dossier's stored files weigh together (for the per-dossier limit)."""
    return int(dossier.documents.filter(blob__isnull=False).aggregate(total=Sum("blob__size"))["total"] or 0)


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


def portal_sync_counts(start: dt.datetime, end: dt.datetime, agencies: list[Agency] | None) -> tuple[int, int]:
    """Indicator 1d: (synced, received) of the dossiers received in [START, END) for AGENCIES (competent agency;
    None: all).

    Received: dossiers whose `received_at` falls in the period. Synced: those of them the national portal holds
    as they stood at the period's end: at least one portal row sent, and every row of an event up to the end sent
    (none pending, failed, skipped, or queued again by the reconciliation). One aggregate query: a range scan of
    the `dossier_received` index with two EXISTS probes of each dossier's few PortalSync rows. The 766 scorecard
    (reports) and the connections page (integrations) both count it here."""
    received = Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
    if agencies is not None:
        received = received.filter(competent_agency__in=agencies)
    up_to_end = PortalSync.objects.filter(dossier=OuterRef("pk"), event__created_at__lt=end)
    synced = Exists(up_to_end.filter(state=PortalSync.State.SENT)) & ~Exists(
        up_to_end.exclude(state=PortalSync.State.SENT))
    counts = received.aggregate(received=Count("pk"), synced=Count("pk", filter=synced))
    return counts["synced"], counts["received"]
