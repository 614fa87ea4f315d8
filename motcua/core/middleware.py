"""Request hygiene that every view relies on."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext

from motcua.core.emc import content_security_policy

_NUL_MARKERS = (b"%00", b"\\u0000", b"\x00")


class RejectNulMiddleware:
    """Answer 400 to a NUL character in the path, the query string or a non-file body (URL-encoded or JSON).

    No legitimate text contains one, and PostgreSQL cannot store or even compare it: a query with one raises
    DataError (a 500) wherever a parameter reaches the database. File uploads (multipart) are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "").encode("latin-1", "replace")
        suspicious = "\x00" in request.path or b"%00" in query
        content_type = request.META.get("CONTENT_TYPE", "")
        if not suspicious and content_type.startswith(("application/x-www-form-urlencoded", "application/json")):
            suspicious = any(marker in request.body for marker in _NUL_MARKERS)
        if suspicious:
            # In the visitor's language only (this runs before LocaleMiddleware has chosen it).
            with translation.override(translation.get_language_from_request(request)):
                message = gettext("The request contains a NUL character.")
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (settings `MOTCUA_CSP` and
    `MOTCUA_PERMISSIONS_POLICY`). The policy allows scripts and styles from this site only: no inline `<script>`,
    no `on…=` handler attributes, no `style=` attributes in pages (tests/test_security_headers.py checks the
    templates). A response that already carries a policy keeps it (the API documentation page sets its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.MOTCUA_CSP and "Content-Security-Policy" not in response:
            # With the EMC monitoring snippet configured, its origin is allowed too (motcua/core/emc.py).
            response["Content-Security-Policy"] = content_security_policy(settings.MOTCUA_CSP)
        if settings.MOTCUA_PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.MOTCUA_PERMISSIONS_POLICY
        return response
