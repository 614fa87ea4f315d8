"""The one way to log a read of a citizen's personal data (`DataAccess`). Every module that shows staff a
citizen's registry data or documents calls `record_access`.

Repeated reads are coalesced: the same reader reading the same thing (kind, dossier, person, detail, purpose)
again within `MOTCUA_PRIVACY_ACCESS_COALESCE_SECONDS` (300 by default) adds no row; the first row stands for them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from motcua.privacy.models import AccessKind, DataAccess, Purpose

if TYPE_CHECKING:
    from motcua.directory.models import Agency
    from motcua.dossiers.models import Dossier


def coalesce_window() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "MOTCUA_PRIVACY_ACCESS_COALESCE_SECONDS", 300)))


def reason_window() -> dt.timedelta:
    """How long a reason typed for a dossier outside the reader's agency lets them read it."""
    return dt.timedelta(minutes=int(getattr(settings, "MOTCUA_PRIVACY_OUT_OF_SCOPE_MINUTES", 30)))


def acting_as(actor: Any, dossier: Dossier | None) -> tuple[str, Agency | None]:
    """The role and agency ACTOR reads as: the assignment in one of the dossier's agencies (current, competent,
    receiving, in that order), else their first working assignment, else their first one."""
    if not getattr(actor, "is_authenticated", False):
        return "", None
    from motcua.directory.selectors import _active_assignments

    assignments = sorted(_active_assignments(actor), key=lambda a: (a.role not in ("clerk", "specialist", "leader"),
                                                                    a.pk))
    if not assignments:
        return "", None
    if dossier is not None:
        for agency_id in (dossier.current_agency_id, dossier.competent_agency_id, dossier.receiving_agency_id):
            for assignment in assignments:
                if assignment.agency_id == agency_id:
                    return assignment.role, assignment.agency
    return assignments[0].role, assignments[0].agency


def record_access(*, actor: Any, kind: AccessKind | str, purpose: str, dossier: Dossier | None = None,
                  subject: Any = None, subject_national_id: str = "", detail: str = "",
                  out_of_scope: bool = False, coalesce: bool = True) -> DataAccess:
    """Log that ACTOR (a user, or None for the system) read the data of SUBJECT (a user) or of the person with
    SUBJECT_NATIONAL_ID, for PURPOSE, on DOSSIER. Without either, the dossier's applicant is the subject (their
    account, else the account holding the dossier's personal ID number, if any); with an ID number only (e.g. a
    business's representative, a household member), the account holding it, if any.
    A repeat of the same read within the coalescing window returns the earlier row instead of adding one."""
    if dossier is not None and subject is None and not subject_national_id:  # the applicant's data
        subject = dossier.applicant if dossier.applicant_id else None
        subject_national_id = dossier.applicant_id_number if len(dossier.applicant_id_number) == 12 else ""
    if subject is not None and not subject_national_id:
        subject_national_id = getattr(subject, "national_id", "") or ""
    if subject is None and subject_national_id:  # e.g. a counter dossier of a citizen who has an account
        from django.contrib.auth import get_user_model

        subject = get_user_model().objects.filter(national_id=subject_national_id).first()
    reader = actor if getattr(actor, "is_authenticated", False) else None
    fields = {"actor": reader, "kind": str(kind), "purpose": purpose[:300], "dossier": dossier, "subject": subject,
              "subject_national_id": subject_national_id[:12], "detail": detail[:300], "out_of_scope": out_of_scope}
    if coalesce and reader is not None:
        earlier = (DataAccess.objects.filter(at__gte=timezone.now() - coalesce_window(), **fields)
                   .order_by("-at", "-pk").first())
        if earlier is not None:
            return earlier
    role, agency = acting_as(reader, dossier)
    return DataAccess.objects.create(actor_role=role, actor_agency=agency, **fields)


def grant_reason(*, actor: Any, dossier: Dossier, reason: str) -> DataAccess:
    """ACTOR typed REASON to read DOSSIER, which is not one of their agency's: logged, and it lets them read the
    dossier for `reason_window()`."""
    return record_access(actor=actor, kind=AccessKind.OUT_OF_SCOPE, purpose=reason.strip(), dossier=dossier,
                         out_of_scope=True, coalesce=False)


def active_reason(actor: Any, dossier: Dossier) -> DataAccess | None:
    """The reason ACTOR gave for DOSSIER within the window, if any (the newest)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return (DataAccess.objects.filter(actor=actor, dossier=dossier, kind=AccessKind.OUT_OF_SCOPE,
                                      at__gte=timezone.now() - reason_window())
            .order_by("-at", "-pk").first())


def record_dossier_read(*, actor: Any, dossier: Dossier, kind: AccessKind = AccessKind.DOSSIER_VIEW,
                        detail: str = "", reason: DataAccess | None = None) -> DataAccess:
    """A staff page or file of DOSSIER was read: in scope for handling it, or under REASON (out of scope)."""
    if reason is not None:
        return record_access(actor=actor, kind=kind, purpose=reason.purpose, dossier=dossier, detail=detail,
                             out_of_scope=True)
    return record_access(actor=actor, kind=kind, purpose=Purpose.PROCESSING, dossier=dossier, detail=detail)


def record_export(*, actor: Any, dossiers: list[tuple[int, int | None, str]], purpose: str = Purpose.REPORT_EXPORT,
                  detail: str = "") -> int:
    """ACTOR exported the applicants' data of many dossiers at once (e.g. a leader's Excel list of dossiers with
    the applicants' names): one row per dossier, written in batches. DOSSIERS holds (dossier id, applicant account
    id or None, applicant ID number). Returns the number of rows."""
    reader = actor if getattr(actor, "is_authenticated", False) else None
    role, agency = acting_as(reader, None)
    rows = [DataAccess(actor=reader, actor_role=role, actor_agency=agency, kind=AccessKind.EXPORT,
                       purpose=str(purpose)[:300], detail=detail[:300], dossier_id=dossier_id,
                       subject_id=applicant_id, subject_national_id=id_number if len(id_number) == 12 else "")
            for dossier_id, applicant_id, id_number in dossiers]
    DataAccess.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
