"""The one way to log a read of a citizen's personal data (`DataAccess`). Every module that shows staff a
citizen's registry data or documents calls `record_access`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from motcua.privacy.models import AccessKind, DataAccess

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier


def record_access(*, actor: Any, kind: AccessKind | str, purpose: str, dossier: Dossier | None = None,
                  subject: Any = None, subject_national_id: str = "", detail: str = "") -> DataAccess:
    """Log that ACTOR (a user, or None for the system) read the data of SUBJECT (a user) or of the person with
    SUBJECT_NATIONAL_ID, for PURPOSE, on DOSSIER. Without an explicit subject, the dossier's applicant is."""
    if dossier is not None:
        if subject is None and dossier.applicant_id:
            subject = dossier.applicant
        if not subject_national_id:
            subject_national_id = dossier.applicant_id_number if len(dossier.applicant_id_number) == 12 else ""
    if subject is not None and not subject_national_id:
        subject_national_id = getattr(subject, "national_id", "") or ""
    return DataAccess.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None, kind=str(kind),
        purpose=purpose[:300], dossier=dossier, subject=subject, subject_national_id=subject_national_id[:12],
        detail=detail[:300],
    )
