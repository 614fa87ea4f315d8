"""Two-factor sign-in is enforced here, for every page (motcua/identity/two_factor.py says who)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from motcua.identity.two_factor import pending

# What a signed-in member of staff may reach before giving the second factor.
ALLOWED_BEFORE_SECOND_FACTOR = frozenset({
    "identity:two_factor_verify", "identity:two_factor_enrol", "portal:logout", "backoffice:logout",
    "admin:logout", "set_language", "healthz", "readyz",
})


class TwoFactorMiddleware:
    """After `django_otp.middleware.OTPMiddleware`: a member of staff whose session still needs a second factor
    is sent to the code page (or to enrolment), with the page they asked for as `next`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = pending(request.user)
        if step and not self._allowed(request):
            target = reverse("identity:two_factor_verify" if step == "verify" else "identity:two_factor_enrol")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _allowed(request: HttpRequest) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 anyway
        return match.view_name in ALLOWED_BEFORE_SECOND_FACTOR
