"""Password sign-in is limited per client address, and per (account, client address) with a growing delay.

`ThrottledModelBackend` is the first of AUTHENTICATION_BACKENDS: every password attempt through `authenticate()`
— the citizen and staff sign-in pages and the admin's — is counted, and while a limit holds it refuses before
any password is checked (PermissionDenied stops Django's backend loop, so the plain ModelBackend listed after
it, for sessions and explicit `login(…, backend=…)` calls, never re-checks the password). The sign-in pages then
answer 429 with a message in the user's language (`ThrottledLoginView`).

- Per client address (django-ratelimit, fixed window, `MOTCUA_SIGN_IN_RATE_PER_IP`): one address spraying many
  accounts.
- Per account *and* address: after `MOTCUA_SIGN_IN_FREE_FAILURES` wrong passwords from one address for one
  account, each further attempt from that address must wait `MOTCUA_SIGN_IN_DELAY_SECONDS`, doubled after every
  further failure up to `MOTCUA_SIGN_IN_DELAY_MAX_SECONDS`. A right password resets the count. Someone
  elsewhere guessing a member of staff's password slows down only themselves: the account is never locked for
  its owner at their own address (the old per-account limit let anyone lock any account from anywhere).
  Failures are forgotten `MOTCUA_SIGN_IN_FORGET_SECONDS` after the last one.
- An agency administrator can lift every delay of an account at once (`unlock_account`): the counters are keyed
  by a per-account generation, which that bumps.

The counters live in the cache (`REDIS_URL` with several app servers). Read-then-write is not atomic, so two
concurrent wrong guesses may count as one: the delay then comes one attempt later, which is harmless.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from motcua.identity.models import User


def _account(username: str) -> str:
    return username.strip().casefold()


def _generation_key(username: str) -> str:
    return "sign-in:generation:" + hashlib.sha256(_account(username).encode()).hexdigest()


def client_address(request: HttpRequest) -> str:
    """The client's address, from the same place as the per-address limits (`MOTCUA_CLIENT_IP_HEADER`)."""
    return str(request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR", "")).split(",")[0].strip()


def client_ip(request: HttpRequest) -> str:
    """`client_address` if it is a valid IP address, else "" (a header the proxy did not set, or garbage): for the
    checks and records that need an address (payment gateways' allow-lists, `vnp_IpAddr`)."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return ""


def _pair_key(request: HttpRequest, username: str) -> str:
    generation = cache.get(_generation_key(username), 0)
    digest = hashlib.sha256(f"{_account(username)}\x00{client_address(request)}\x00{generation}".encode()).hexdigest()
    return f"sign-in:pair:{digest}"


def delay_after(failures: int) -> float:
    """Seconds an attempt must wait after FAILURES consecutive wrong passwords (same account and address)."""
    free = settings.MOTCUA_SIGN_IN_FREE_FAILURES
    if failures < free:
        return 0.0
    delay = settings.MOTCUA_SIGN_IN_DELAY_SECONDS * 2 ** min(failures - free, 32)
    return float(min(delay, settings.MOTCUA_SIGN_IN_DELAY_MAX_SECONDS))


def seconds_to_wait(request: HttpRequest, username: str) -> float:
    """How long this address must still wait before trying USERNAME again (0: it may try now)."""
    failures, last = cache.get(_pair_key(request, username), (0, 0.0))
    return max(0.0, float(last) + delay_after(int(failures)) - time.time())


def record_failure(request: HttpRequest, username: str) -> None:
    key = _pair_key(request, username)
    failures, _last = cache.get(key, (0, 0.0))
    cache.set(key, (failures + 1, time.time()), settings.MOTCUA_SIGN_IN_FORGET_SECONDS)


def record_success(request: HttpRequest, username: str) -> None:
    cache.delete(_pair_key(request, username))


def unlock_account(username: str) -> None:
    """Lift the delays of USERNAME at every address (the old counters are no longer looked at)."""
    key = _generation_key(username)
    cache.set(key, cache.get(key, 0) + 1, None)


def address_limited(request: HttpRequest, *, increment: bool) -> bool:
    return bool(is_ratelimited(request, group="sign-in:ip", key="ip", rate=settings.MOTCUA_SIGN_IN_RATE_PER_IP,
                               increment=increment))


class ThrottledModelBackend(ModelBackend):
    """Django's model backend behind the sign-in limits."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> User | None:
        if request is None or username is None or password is None:
            # Not a password sign-in from a client (management commands, the test client's login()).
            return super().authenticate(request, username=username, password=password, **kwargs)
        wait = seconds_to_wait(request, username)
        if address_limited(request, increment=True) or wait > 0:
            request.sign_in_throttled = True  # type: ignore[attr-defined]
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(request, username)
            raise PermissionDenied  # wrong: no other backend checks the same password again
        record_success(request, username)
        return user
