"""Bearer tokens for the mobile app, and the Zalo sign-in exchange (done on the server, never in the app)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

import phonenumbers
import requests
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from ninja.security import HttpBearer

from motcua.adapters import zalo
from motcua.core import fastsql
from motcua.identity.actions import SignInError
from motcua.identity.models import ApiToken, AppSignInCode, AssuranceLevel, User, ZaloLink

TOKEN_LIFETIME = dt.timedelta(days=30)
# `ApiToken.last_used_at` is kept to this precision: a token used again within it is not written again (one UPDATE
# a minute at most instead of one per request).
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user: User, label: str = "", assurance_level: int = AssuranceLevel.NONE) -> str:
    """A new bearer token of USER; ASSURANCE_LEVEL is what the sign-in that asked for it proved."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_digest(key), label=label, assurance_level=assurance_level,
                            expires_at=timezone.now() + TOKEN_LIFETIME)
    return key


APP_CODE_LIFETIME = dt.timedelta(minutes=5)
APP_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a screen and typed on a phone
APP_CODE_LENGTH = 8  # 40 bits, valid 5 minutes, once, and the exchange is rate-limited


def _normalise_code(code: str) -> str:
    return "".join(c for c in code.upper() if c in APP_CODE_ALPHABET)


def issue_app_code(user: User, assurance_level: int) -> str:
    """A one-time code ("ABCD-EFGH") that the Mini App exchanges for a token of USER at ASSURANCE_LEVEL (what the
    web sign-in showing it proved). Codes not used yet of USER are withdrawn: one at a time."""
    code = "".join(secrets.choice(APP_CODE_ALPHABET) for _ in range(APP_CODE_LENGTH))
    with transaction.atomic():
        AppSignInCode.objects.filter(user=user, used_at__isnull=True).delete()
        AppSignInCode.objects.create(user=user, code_hash=_digest(code), assurance_level=assurance_level,
                                     expires_at=timezone.now() + APP_CODE_LIFETIME)
    return f"{code[:4]}-{code[4:]}"


def redeem_app_code(code: str) -> tuple[str, User, int]:
    """(token, user, level) for a code issued by `issue_app_code`, used at most once before it expires."""
    now = timezone.now()
    with transaction.atomic():
        row = (AppSignInCode.objects.select_for_update().select_related("user")
               .filter(code_hash=_digest(_normalise_code(code)), used_at__isnull=True, expires_at__gt=now,
                       user__is_active=True).first())
        if row is None:
            raise SignInError("bad_code", "Mã không đúng hoặc đã hết hạn. Vui lòng lấy mã mới trên Cổng Dịch vụ công.",
                              "The code is wrong or has expired. Get a new one on the portal.")
        row.used_at = now
        row.save(update_fields=["used_at"])
        return issue_token(row.user, "app-code", row.assurance_level), row.user, row.assurance_level


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token> → the citizen (request.auth)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        # Two fixed statements on unique keys (motcua.core.fastsql), prepared once per connection: the token by its
        # hash, then its user. The ORM's join of the two cost more in building the query than in running both.
        try:
            row = fastsql.get(ApiToken, _digest(token), by="key_hash")
            user = fastsql.get(User, row.user_id)
        except (ApiToken.DoesNotExist, User.DoesNotExist):
            return None
        now = timezone.now()
        if row.expires_at <= now or not user.is_active:
            return None
        if row.last_used_at is None or not now - LAST_USED_PRECISION < row.last_used_at <= now:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = user
        request.assurance_level = row.assurance_level  # type: ignore[attr-defined]
        return user


def normalise_phone(raw: str) -> str:
    """"84912345678" / "+84912345678" / "0912345678" → "0912345678"; "" when not a Vietnamese mobile number."""
    try:
        number = phonenumbers.parse(raw if raw.startswith(("+", "0")) else f"+{raw}", "VN")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number) or number.country_code != 84:
        return ""
    return "0" + str(number.national_number)


def _graph(request: tuple[str, dict[str, str]]) -> dict[str, Any]:
    path, headers = request
    try:
        response = requests.get(f"{settings.MOTCUA_ZALO_GRAPH_URL.rstrip('/')}{path}", headers=headers,
                                timeout=settings.MOTCUA_ZALO_TIMEOUT)
        body: Any = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInError("zalo_unreachable", "Không kết nối được Zalo.", "Zalo could not be reached.") from exc
    if zalo.is_error(response.status_code, body):
        raise SignInError("zalo_refused", "Zalo không xác nhận được tài khoản.", "Zalo did not confirm the account.")
    return dict(body)


def _zalo_identity(access_token: str, phone_code: str) -> tuple[str, str, str]:
    """(Zalo user id, display name, Zalo-verified phone) of the Mini App's tokens, checked with Zalo (the phone
    token is exchanged with the app's secret key, kept on the server). The wire shapes: adapters.zalo."""
    if not settings.MOTCUA_ZALO_APP_SECRET:
        raise SignInError("zalo_not_configured", "Đăng nhập bằng Zalo chưa được cấu hình.",
                          "Zalo sign-in is not configured.")
    zalo_id, name = zalo.parse_me(_graph(zalo.me_request(access_token)))
    phone = normalise_phone(zalo.parse_phone(_graph(zalo.phone_request(
        access_token, phone_code, settings.MOTCUA_ZALO_APP_SECRET))))
    if not zalo_id or not phone:
        raise SignInError("zalo_no_phone", "Zalo không trả về số điện thoại hợp lệ.",
                          "Zalo did not return a valid phone number.")
    return zalo_id, name, phone


def sign_in_with_zalo(access_token: str, phone_code: str) -> User:
    """The account linked to this Zalo account, or a new Zalo-only account.

    A phone number is not an identity (numbers are recycled, profile phones are self-declared), so a Zalo account
    is never linked to an existing account by its phone: only `link_zalo`, from a session already signed in to
    that account, links it. A Zalo-only account has the lowest assurance level.
    """
    zalo_id, name, phone = _zalo_identity(access_token, phone_code)
    with transaction.atomic():
        link = ZaloLink.objects.select_for_update().select_related("user").filter(zalo_id=zalo_id).first()
        if link is not None:
            return link.user
        user = User(username=f"zalo{zalo_id}", full_name=name, phone=phone, assurance_level=AssuranceLevel.NONE)
        user.set_unusable_password()
        user.save()
        ZaloLink.objects.create(user=user, zalo_id=zalo_id, phone=phone)
        return user


def link_zalo(user: User, access_token: str, phone_code: str) -> ZaloLink:
    """Link the Zalo account of these Mini App tokens to USER, who is signed in (idempotent).

    A Zalo account already linked to another account stays there, unless that account is the empty Zalo-only
    account its first sign-in made (no personal ID number, no password, no dossier): whoever holds the Zalo
    account holds that one, so moving the link gives nobody anything new.
    """
    zalo_id, _name, phone = _zalo_identity(access_token, phone_code)
    with transaction.atomic():
        link = ZaloLink.objects.select_for_update().select_related("user").filter(zalo_id=zalo_id).first()
        if link is not None and link.user_id != user.pk:
            if not _is_empty_zalo_only(link.user):
                raise SignInError("zalo_linked_elsewhere",
                                  "Tài khoản Zalo này đã được liên kết với một tài khoản khác.",
                                  "This Zalo account is already linked to another account.")
            link.user, link.phone = user, phone
            link.save(update_fields=["user", "phone"])
        if link is None:
            link = ZaloLink.objects.create(user=user, zalo_id=zalo_id, phone=phone)
        return link


def _is_empty_zalo_only(user: User) -> bool:
    # The dossiers app builds on identity: "my dossiers" is named by its path (docs/design-decisions.md, Layering).
    citizen_dossiers = import_string("motcua.dossiers.selectors.citizen_dossiers")
    return (user.national_id is None and not user.has_usable_password() and not user.is_staff
            and user.zalo_links.count() == 1 and not citizen_dossiers(user).exists()
            and not user.representations.exists())
