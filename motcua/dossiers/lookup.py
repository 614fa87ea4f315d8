"""Public look-up by code and secret: the same answer for an unknown code and a wrong secret, throttled."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
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


def find(code: str, secret: str) -> LookupResult | None:
    """The dossier with CODE if SECRET matches, else None — whether the code exists or not."""
    code = code.strip().upper()[:60]
    secret = secret.strip().upper().replace(" ", "").replace("-", "")[:32]
    dossier = (
        Dossier.objects.select_related("procedure_version", "current_agency", "receiving_agency")
        .filter(code__iexact=code).first()
    )
    expected = dossier.lookup_secret if dossier else _DUMMY_SECRET
    matches = hmac.compare_digest(expected.encode(), secret.encode())
    if dossier is None or not matches or not secret:
        return None
    events = list(dossier.events.filter(is_public=True).select_related("to_agency").order_by("seq"))
    return LookupResult(dossier=dossier, events=events)


def masked_name(name: str) -> str:
    """"Trần Thị Bình" → "Trần T** B***": enough for the holder of the slip to recognise, little for others."""
    words = name.split()
    if not words:
        return ""
    return " ".join([words[0], *[w[0] + "*" * (len(w) - 1) for w in words[1:]]])
