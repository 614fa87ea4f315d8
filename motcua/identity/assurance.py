"""Levels of assurance: what the sign-in of the current request proved, and what a procedure asks for.

A sign-in through a national identity provider proves the level of the citizen's electronic identification account
(its `acr` claim, mapped by the provider's `acr_levels`); the level is kept on the session (web) or on the API token
(mobile app). A password or Zalo sign-in proves none. Procedures name the lowest level of a citizen applying online
(`ProcedureVersion.min_assurance_level`).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext

from motcua.identity.models import AssuranceLevel

SESSION_KEY = "assurance_level"


def level_of_request(request: HttpRequest) -> int:
    """The level proved by the sign-in behind REQUEST: its API token's, else its web session's (0 when none)."""
    token_level = getattr(request, "assurance_level", None)  # set by identity.tokens.TokenAuth
    if token_level is not None:
        return int(token_level)
    session = getattr(request, "session", None)
    try:
        return int(session.get(SESSION_KEY, AssuranceLevel.NONE)) if session is not None else AssuranceLevel.NONE
    except (TypeError, ValueError):
        return AssuranceLevel.NONE


def shortfall_message(required: int, current: int) -> str | None:
    """In the active language: why a citizen signed in at CURRENT may not apply online for a procedure needing
    REQUIRED, and how to raise the level; None when CURRENT is enough."""
    if current >= required:
        return None
    current_label = AssuranceLevel(current).label if current in AssuranceLevel.values else str(current)
    how = (gettext("A level 2 account is activated with your chip-based citizen identity card in the VNeID app or "
                   "at the police of your commune or ward.") if required >= AssuranceLevel.LEVEL_2
           else gettext("A level 1 account is registered in the VNeID app."))
    return gettext(
        "This procedure can only be applied for online with an electronic identification account of level "
        "%(required)s; your sign-in is: %(current)s. Sign out, then sign in again with VNeID using a level "
        "%(required)s account. %(how)s"
    ) % {"required": required, "current": str(current_label).lower(), "how": how}


def shortfall_pair(required: int, current: int) -> tuple[str, str] | None:
    """The shortfall message in Vietnamese and in English (for errors carried as pairs)."""
    if current >= required:
        return None
    with translation.override("vi"):
        vietnamese = shortfall_message(required, current)
    with translation.override("en"):
        english = shortfall_message(required, current)
    assert vietnamese is not None and english is not None  # noqa: S101 - current < required
    return vietnamese, english
