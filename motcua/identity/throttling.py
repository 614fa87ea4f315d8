"""Password sign-in is rate-limited per client address and per user name (django-ratelimit, in the cache).

`ThrottledModelBackend` is the first of AUTHENTICATION_BACKENDS: every password attempt through `authenticate()`
— the citizen and staff sign-in pages and the admin's — is counted, and once a limit is used up it refuses before
any password is checked (PermissionDenied stops Django's backend loop, so the plain ModelBackend listed after
it, for sessions and explicit `login(…, backend=…)` calls, never re-checks the password). The sign-in pages then
answer 429 with a bilingual message (`ThrottledLoginView`). The windows are fixed: the counters start again when
one ends.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from motcua.identity.models import User

MESSAGE_VI = "Đăng nhập sai quá nhiều lần; vui lòng thử lại sau ít phút."
MESSAGE_EN = "Too many sign-in attempts; please try again in a few minutes."


def _username_key(username: str) -> Any:
    return lambda group, request: username.strip().casefold()


def sign_in_limited(request: HttpRequest, username: str, *, increment: bool) -> bool:
    """True when the client's address or the user name has used up its sign-in attempts (INCREMENT: count this
    one). Both counters are always updated, so neither hides the other."""
    by_ip = is_ratelimited(request, group="sign-in:ip", key="ip", rate=settings.MOTCUA_SIGN_IN_RATE_PER_IP,
                           increment=increment)
    by_name = is_ratelimited(request, group="sign-in:user", key=_username_key(username),
                             rate=settings.MOTCUA_SIGN_IN_RATE_PER_USER, increment=increment)
    return bool(by_ip or by_name)


class ThrottledModelBackend(ModelBackend):
    """Django's model backend behind the sign-in limits."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> User | None:
        if request is None or username is None or password is None:
            # Not a password sign-in from a client (management commands, the test client's login()).
            return super().authenticate(request, username=username, password=password, **kwargs)
        if sign_in_limited(request, username, increment=True):
            request.sign_in_throttled = True  # type: ignore[attr-defined]
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            raise PermissionDenied  # wrong: no other backend checks the same password again
        return user
