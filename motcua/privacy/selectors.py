"""Reads of the privacy records: what a citizen is shown of the reads of their data, the administrators' log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from motcua.directory.models import Role
from motcua.dossiers.selectors import is_citizens_dossier
from motcua.privacy.models import AccessKind, Consent, DataAccess


def accesses_of(user: Any = None, national_id: str = "") -> QuerySet[DataAccess]:
    """The reads of the data of USER (their account) or of the holder of NATIONAL_ID, newest first."""
    national_id = national_id or (getattr(user, "national_id", "") or "")
    condition = Q(pk__in=[])
    if user is not None and getattr(user, "pk", None):
        condition |= Q(subject=user)
    if national_id:
        condition |= Q(subject_national_id=national_id)
    return (DataAccess.objects.filter(condition)
            .select_related("actor_agency", "dossier").order_by("-at", "-pk"))


def consents_of(user: Any = None, national_id: str = "") -> QuerySet[Consent]:
    national_id = national_id or (getattr(user, "national_id", "") or "")
    condition = Q(pk__in=[])
    if user is not None and getattr(user, "pk", None):
        condition |= Q(subject=user)
    if national_id:
        condition |= Q(subject_national_id=national_id)
    return Consent.objects.filter(condition).select_related("recorded_by").order_by("-given_at", "-pk")


@dataclass(frozen=True)
class AccessLine:
    """One read as the citizen sees it: the reader's role and agency, never their name (docs/privacy.md)."""

    at: dt.datetime
    reader: str
    agency: str
    what: str
    dossier_code: str
    purpose: str
    out_of_scope: bool

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "reader": self.reader, "agency": self.agency, "what": self.what,
                "dossier": self.dossier_code, "purpose": self.purpose, "out_of_scope": self.out_of_scope}


def reader_label(row: DataAccess) -> str:
    from django.utils.translation import gettext as _

    if row.actor_id is None and not row.actor_role:
        return _("Automatic (system)")
    if row.actor_role in Role.values:
        return str(Role(row.actor_role).label)
    return _("Staff member")


def citizen_line(row: DataAccess, user: Any) -> AccessLine:
    """ROW as shown to the data subject USER: the dossier's code only when it is theirs (a read of their data on
    someone else's dossier, e.g. a household member's, does not reveal that dossier)."""
    dossier = row.dossier
    own = dossier is not None and is_citizens_dossier(user, dossier)
    kind = str(AccessKind(row.kind).label) if row.kind in AccessKind.values else row.kind
    return AccessLine(at=row.at, reader=reader_label(row), agency=row.actor_agency.name if row.actor_agency else "",
                      what=kind, dossier_code=dossier.code if own and dossier else "", purpose=row.purpose_label,
                      out_of_scope=row.out_of_scope)
