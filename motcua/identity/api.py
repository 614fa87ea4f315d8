"""Sign-in for the mobile app: Zalo Mini App tokens are exchanged on the server for a motcua bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from motcua.identity.actions import SignInError
from motcua.identity.models import AssuranceLevel, User
from motcua.identity.tokens import TokenAuth, issue_token, link_zalo, redeem_app_code, sign_in_with_zalo

router = Router(tags=["auth"])
THROTTLED = {"code": "throttled", "message_vi": "Thử lại sau ít phút.", "message_en": "Try again in a few minutes."}


class ZaloIn(Schema):
    access_token: str
    phone_code: str


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret
    full_name: str


class AppCodeIn(Schema):
    code: str


class LevelTokenOut(TokenOut):
    assurance_level: int


class LinkOut(Schema):
    linked: bool
    phone: str


class ErrorOut(Schema):
    code: str
    message_vi: str
    message_en: str


@router.post("/zalo", response={200: TokenOut, 400: ErrorOut, 429: ErrorOut}, auth=None,
             summary="Exchange a Zalo Mini App user token and phone-number token for an API token")
def zalo(request: HttpRequest, payload: ZaloIn) -> Status[Any]:
    """The account linked to this Zalo account, or a new Zalo-only one (never an account found by its phone).
    The token proves no electronic identification level, whichever account it is for."""
    if is_ratelimited(request, group="zalo-sign-in", key="ip", rate="30/m", increment=True):
        return Status(429, THROTTLED)
    try:
        user = sign_in_with_zalo(payload.access_token, payload.phone_code)
    except SignInError as exc:
        return Status(400, {"code": "sign_in_failed", "message_vi": exc.message_vi, "message_en": exc.message_en})
    return Status(200, {"token": issue_token(user, "zalo", AssuranceLevel.NONE), "full_name": user.full_name})


@router.post("/zalo/link", response={200: LinkOut, 400: ErrorOut, 429: ErrorOut}, auth=[TokenAuth(), django_auth],
             summary="Link a Zalo account to the account signed in (bearer token or web session)")
def zalo_link(request: HttpRequest, payload: ZaloIn) -> Status[Any]:
    if is_ratelimited(request, group="zalo-sign-in", key="ip", rate="30/m", increment=True):
        return Status(429, THROTTLED)
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 - both authentications give a user
    try:
        link = link_zalo(user, payload.access_token, payload.phone_code)
    except SignInError as exc:
        return Status(400, {"code": "link_failed", "message_vi": exc.message_vi, "message_en": exc.message_en})
    return Status(200, {"linked": True, "phone": link.phone})


@router.post("/app-code", response={200: LevelTokenOut, 400: ErrorOut, 429: ErrorOut}, auth=None,
             summary="Exchange the one-time code the web portal shows a signed-in citizen (/dinh-danh/ma-ung-dung/) "
                     "for an API token of that account at the level that sign-in proved (VNeID)")
def app_code(request: HttpRequest, payload: AppCodeIn) -> Status[Any]:
    if is_ratelimited(request, group="app-code", key="ip", rate="10/m", increment=True):
        return Status(429, THROTTLED)
    try:
        token, user, level = redeem_app_code(payload.code[:40])
    except SignInError as exc:
        return Status(400, {"code": "bad_code", "message_vi": exc.message_vi, "message_en": exc.message_en})
    return Status(200, {"token": token, "full_name": user.full_name, "assurance_level": level})
