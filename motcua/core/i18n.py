"""One language at a time: pick the user's language out of a message that is kept in both.

User-facing errors (`motcua.core.errors.UserError` and its thin subclasses `WorkflowError`, `UploadError`,
`PaymentError`, `SignInError`…) carry `message_vi` and `message_en` so that the API can return both fields
(`UserError.as_json`); `core.errors.user_message` / `show_error` say one of them; everything a person reads
shows only the language of the request
(chosen with the switcher in the header, Django's `set_language`; Vietnamese by default).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language


def in_language(message_vi: str, message_en: str) -> str:
    """The message in the active language: English when the user chose English, else Vietnamese."""
    return message_en if (get_language() or "vi").startswith("en") else message_vi


def localized(message: Any) -> str:
    """An error object or mapping with message_vi/message_en, or a (vi, en) pair, in the active language."""
    if isinstance(message, Mapping):
        return in_language(str(message.get("message_vi", "")), str(message.get("message_en", "")))
    if isinstance(message, tuple | list) and len(message) == 2:
        return in_language(str(message[0]), str(message[1]))
    if hasattr(message, "message_vi") and hasattr(message, "message_en"):
        return in_language(str(message.message_vi), str(message.message_en))
    return str(message)
