"""The one error type a person is shown: `UserError(code, message_vi, message_en)`.

An action that cannot be done (a refused workflow step, a payment already made, a file refused…) raises a
`UserError` with a stable machine `code` and the message in Vietnamese and in English, written at the raise site
as the project writes every such message (Vietnamese first). Pages show it in the user's language only
(`user_message`, `show_error`, or `{{ error|localized }}` in a template); the API returns both languages in its
error body (`as_json`: `{"code", "message_vi", "message_en"}`).

A few apps keep a thin subclass (`WorkflowError`, `PaymentError`, `UploadError`…) with no behaviour of its own,
only so that callers can catch one app's refusals and let others through; views catch `UserError`.
Errors of another shape are not user errors: integration-layer protocol errors (`IntegrationError`, the
adapters' `…MessageError`) are internal, and form-level errors by field (`IntakeError`, `FeeError`) carry a
(Vietnamese, English) pair per field.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from motcua.core.i18n import in_language


class UserError(Exception):
    """Something the user asked for that cannot be done now. Nothing was changed."""

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} ({message_en})")  # logs and tracebacks: both languages
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en

    @property
    def pair(self) -> tuple[str, str]:
        return self.message_vi, self.message_en

    def as_json(self) -> dict[str, Any]:
        """The API's error body (the same shape as every other API error)."""
        return {"code": self.code, "message_vi": self.message_vi, "message_en": self.message_en}


def user_message(error: UserError) -> str:
    """ERROR's message in the language of the current request (Vietnamese unless the user chose English)."""
    return in_language(error.message_vi, error.message_en)


def show_error(request: HttpRequest, error: UserError) -> None:
    """Tell the user ERROR on the next page (Django messages), in their language only."""
    messages.error(request, user_message(error))
