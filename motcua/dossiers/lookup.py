"""Public look-up by code and secret: the same answer for an unknown code and a wrong secret, throttled."""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

from motcua.dossiers.models import Dossier, DossierEvent

_DUMMY_SECRET = "X" * 10


@dataclass(frozen=True)
class LookupResult:
    dossier: Dossier
    events: list[DossierEvent]


def throttled(request: HttpRequest) -> bool:
    """True when this client has used up its look-up attempts (counted per address, found or not)."""
    return bool(is_ratelimited(request, group="dossier-lookup", key="ip", rate=settings.MOTCUA_LOOKUP_RATE,
                               increment=True))


def _normalised(code: str, secret: str) -> tuple[str, str]:
    # Codes are issued in upper case (agency code, date, number): compare exactly, so the unique index on the
    # code answers (a case-insensitive match scanned the whole table).
    return code.strip().upper()[:60], secret.strip().upper().replace(" ", "").replace("-", "")[:32]


def _secret_matches(expected: str | None, secret: str) -> bool:
    # Compared in constant time even when the code is unknown, so timing does not tell which codes exist.
    matches = hmac.compare_digest((expected or _DUMMY_SECRET).encode(), secret.encode())
    return expected is not None and matches and bool(secret)


def find(code: str, secret: str) -> LookupResult | None:
    """The dossier with CODE if SECRET matches, else None — whether the code exists or not."""
    code, secret = _normalised(code, secret)
    dossier = (
        Dossier.objects.select_related("procedure", "procedure_version", "current_agency", "receiving_agency")
        .filter(code=code).first()
    )
    if not _secret_matches(dossier.lookup_secret if dossier else None, secret):
        return None
    assert dossier is not None  # noqa: S101 - _secret_matches is False without one
    events = list(dossier.events.filter(is_public=True).select_related("to_agency").order_by("seq"))
    return LookupResult(dossier=dossier, events=events)


@dataclass(frozen=True)
class PublicStatus:
    """What the public look-up API shows: the columns it needs, read in one narrow query."""

    code: str
    status: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    outcome: str
    events: Sequence[tuple[dt.datetime, str, str | None]]  # (time, status, agency name)


# The public look-up is the busiest public endpoint, and building this five-table query through the ORM cost more
# than running it (about 0.5 ms a call, measured in docs/benchmarks.md), so it is written out (the tables are the
# models' default names). Its rows are the dossier's public events with the dossier's columns beside them.
_STATUS_SQL = """
    SELECT d.lookup_secret, d.status, p.national_code, v.name, d.applicant_name, d.received_at, d.due_at,
           d.extended_due_at, d.outcome, e.created_at, e.to_status, a.name
    FROM dossiers_dossier d
    JOIN dossiers_dossierevent e ON e.dossier_id = d.id AND e.is_public
    JOIN catalog_procedure p ON p.id = d.procedure_id
    JOIN catalog_procedureversion v ON v.id = d.procedure_version_id
    LEFT JOIN directory_agency a ON a.id = e.to_agency_id
    WHERE d.code = %s
    ORDER BY e.seq
"""


def _aware(value: dt.datetime | str | None) -> dt.datetime | None:
    """A time as the ORM would give it: SQLite returns the stored text, in UTC."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value


def find_status(code: str, secret: str) -> PublicStatus | None:
    """Like find(), for the API: only the public columns, in one query. Every dossier has at least one public
    event (its creation), so no row means no such dossier."""
    code, secret = _normalised(code, secret)
    with connection.cursor() as cursor:
        cursor.execute(_STATUS_SQL, [code])
        rows = cursor.fetchall()
    if not _secret_matches(rows[0][0] if rows else None, secret):
        return None
    (_secret, status, procedure_code, procedure_name, applicant_name, received_at, due_at, extended_due_at,
     outcome) = rows[0][:9]
    return PublicStatus(
        code=code, status=status, procedure_code=procedure_code, procedure_name=procedure_name,
        applicant_name=applicant_name, received_at=_aware(received_at),
        due_at=_aware(extended_due_at) or _aware(due_at), outcome=outcome,
        events=[(_aware(row[9]), row[10], row[11]) for row in rows],  # type: ignore[misc]
    )


def masked_name(name: str) -> str:
    """"Trần Thị Bình" → "Trần T** B***": enough for the holder of the slip to recognise, little for others."""
    words = name.split()
    if not words:
        return ""
    return " ".join([words[0], *[w[0] + "*" * (len(w) - 1) for w in words[1:]]])
