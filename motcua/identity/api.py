"""Sign-in for the mobile app: Zalo Mini App tokens are exchanged on the server for a motcua bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from ninja import Router, Schema
from ninja.responses import Status

from motcua.identity.actions import SignInError
from motcua.identity.tokens import issue_token, sign_in_with_zalo

router = Router(tags=["auth"])


class ZaloIn(Schema):
    access_token: str
    phone_code: str


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret
    full_name: str


class ErrorOut(Schema):
    code: str
    message_vi: str
    message_en: str


@router.post("/zalo", response={200: TokenOut, 400: ErrorOut, 429: ErrorOut}, auth=None,
             summary="Exchange a Zalo Mini App user token and phone-number token for an API token")
def zalo(request: HttpRequest, payload: ZaloIn) -> Status[Any]:
    if is_ratelimited(request, group="zalo-sign-in", key="ip", rate="30/m", increment=True):
        return Status(429, {"code": "throttled", "message_vi": "Thử lại sau ít phút.",
                            "message_en": "Try again in a few minutes."})
    try:
        user = sign_in_with_zalo(payload.access_token, payload.phone_code)
    except SignInError as exc:
        return Status(400, {"code": "sign_in_failed", "message_vi": exc.message_vi, "message_en": exc.message_en})
    return Status(200, {"token": issue_token(user, "zalo"), "full_name": user.full_name})
