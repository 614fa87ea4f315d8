"""Messages of the province's LGSP gateway (Local Government Service Platform): the token request and answer of
each token style, and the headers of a relayed call. Builders and parsers only: no HTTP, no Django.

Source: /work/shared/reference/national-integrations.md §2 (OpenCPS ``LGSPRestClient``, ``LGSPRestfulUtils``,
``ApiThirdPartyServiceImpl``). The client (``motcua.integrations.lgsp_tokens``) and the simulator
(``simulators/lgsp.py``) both speak through this module. Shapes the reference does not evidence are tagged
``GUESSED`` in ``EVIDENCE`` and in docs/integrations.md; confirm them with the province's LGSP operator.

Token styles:

- ``client_credentials`` (WSO2 API Manager style): ``POST /token`` form ``grant_type=client_credentials``,
  ``client_id``, ``client_secret`` -> ``{"access_token", "token_type", "expires_in", "scope"}`` [E];
- ``auth_header`` (Đồng Tháp pattern): ``POST /Authentication/Token`` with an empty body and a header
  ``Auth: <base64 credential>`` -> ``{"token", "refreshToken", "expiryDate"}``; refresh when < 5 minutes remain [E];
- ``form_access_key``: ``POST /token`` form ``grant_type=client_credentials`` with the ``lgspaccesstoken`` header,
  answer as the first style [E for the names, the exact body GUESSED].

Every relayed call carries ``Authorization: Bearer <token>`` and ``lgspaccesstoken: <key>`` [E].
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from urllib.parse import parse_qs, urlencode

EVIDENCED: Final = "evidenced"
GUESSED: Final = "guessed"

EVIDENCE: Final[Mapping[str, str]] = {
    "headers of a relayed call: Authorization Bearer + lgspaccesstoken": EVIDENCED,
    "client_credentials: POST /token form -> access_token, token_type, expires_in, scope": EVIDENCED,
    "auth_header: POST /Authentication/Token, header Auth -> token, refreshToken, expiryDate": EVIDENCED,
    "auth_header: the Auth credential is base64('<client id>:<client secret>')": GUESSED,
    "auth_header: expiryDate is an ISO 8601 date-time (no zone = Asia/Ho_Chi_Minh)": GUESSED,
    "refresh when fewer than 5 minutes remain": EVIDENCED,
    "form_access_key: POST /token form grant_type with the lgspaccesstoken header": GUESSED,
    "relay path /<route>/<path of the service>": GUESSED,
    "refusals: HTTP 401 with a JSON body {error, error_description}": GUESSED,
}

STYLE_CLIENT_CREDENTIALS: Final = "client_credentials"
STYLE_AUTH_HEADER: Final = "auth_header"
STYLE_FORM_ACCESS_KEY: Final = "form_access_key"
TOKEN_STYLES: Final = (STYLE_CLIENT_CREDENTIALS, STYLE_AUTH_HEADER, STYLE_FORM_ACCESS_KEY)
TOKEN_PATHS: Final[Mapping[str, str]] = {
    STYLE_CLIENT_CREDENTIALS: "/token",
    STYLE_AUTH_HEADER: "/Authentication/Token",
    STYLE_FORM_ACCESS_KEY: "/token",
}
ACCESS_KEY_HEADER: Final = "lgspaccesstoken"
AUTH_CREDENTIAL_HEADER: Final = "Auth"
REFRESH_MARGIN: Final = timedelta(minutes=5)
LOCAL_TIME_OFFSET: Final = timedelta(hours=7)  # Asia/Ho_Chi_Minh has no daylight saving


class LgspMessageError(ValueError):
    """A token request or answer that does not have the expected shape."""


@dataclass(frozen=True)
class TokenRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)


@dataclass(frozen=True)
class Token:
    value: str = field(repr=False)
    expires_at: datetime
    token_type: str = "Bearer"  # noqa: S105 - the scheme's name, not a secret
    refresh_token: str = field(repr=False, default="")
    issued_at: datetime | None = None

    def due_for_refresh(self, now: datetime, margin: timedelta = REFRESH_MARGIN) -> bool:
        """True when the token expires within MARGIN, or (a token living less than twice MARGIN) when half its
        life is spent."""
        if self.issued_at is not None:
            margin = min(margin, (self.expires_at - self.issued_at) / 2)
        return now >= self.expires_at - margin


def credential_header(credentials: Credentials) -> str:
    return base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode("ascii")


def parse_credential_header(value: str) -> Credentials:
    try:
        decoded = base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise LgspMessageError("the Auth header is not base64") from exc
    client_id, sep, secret = decoded.partition(":")
    if not sep or not client_id:
        raise LgspMessageError("the Auth header is not '<id>:<secret>'")
    return Credentials(client_id, secret)


def build_token_request(style: str, credentials: Credentials, access_key: str = "") -> TokenRequest:
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    if style == STYLE_CLIENT_CREDENTIALS:
        body = urlencode({"grant_type": "client_credentials", "client_id": credentials.client_id,
                          "client_secret": credentials.client_secret}).encode()
        return TokenRequest("POST", TOKEN_PATHS[style], form_type, body)
    if style == STYLE_AUTH_HEADER:
        return TokenRequest("POST", TOKEN_PATHS[style], {AUTH_CREDENTIAL_HEADER: credential_header(credentials)}, b"")
    if style == STYLE_FORM_ACCESS_KEY:
        body = urlencode({"grant_type": "client_credentials", "client_id": credentials.client_id,
                          "client_secret": credentials.client_secret}).encode()
        return TokenRequest("POST", TOKEN_PATHS[style], {**form_type, ACCESS_KEY_HEADER: access_key}, body)
    raise LgspMessageError(f"unknown token style {style!r} (one of {', '.join(TOKEN_STYLES)})")


def parse_token_form(body: bytes) -> Credentials:
    """The simulator's side of the form styles: the client credentials of a ``grant_type`` form."""
    try:
        form = parse_qs(body.decode("utf-8"), strict_parsing=bool(body))
    except (UnicodeError, ValueError) as exc:
        raise LgspMessageError("the token request is not a form") from exc
    if form.get("grant_type") != ["client_credentials"]:
        raise LgspMessageError("grant_type must be client_credentials")
    client_id, secret = form.get("client_id", [""])[0], form.get("client_secret", [""])[0]
    if not client_id:
        raise LgspMessageError("client_id is missing")
    return Credentials(client_id, secret)


def format_expiry(moment: datetime) -> str:
    """``expiryDate`` of the auth_header style: local time (UTC+7), ISO 8601 without a zone [GUESSED]."""
    return (moment.astimezone(UTC) + LOCAL_TIME_OFFSET).replace(tzinfo=None).isoformat(timespec="seconds")


def parse_expiry(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise LgspMessageError(f"expiryDate is not a date-time: {text!r}") from exc
    if moment.tzinfo is None:
        return (moment - LOCAL_TIME_OFFSET).replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def build_token_answer(style: str, token: str, expires_at: datetime, now: datetime, refresh_token: str = ""
                       ) -> dict[str, Any]:
    if style == STYLE_AUTH_HEADER:
        return {"token": token, "refreshToken": refresh_token, "expiryDate": format_expiry(expires_at)}
    return {"access_token": token, "token_type": "Bearer", "scope": "default",
            "expires_in": max(int((expires_at - now).total_seconds()), 0)}


def parse_token_answer(style: str, body: bytes, now: datetime) -> Token:
    try:
        data = json.loads(body)
    except (UnicodeError, ValueError) as exc:
        raise LgspMessageError("the token answer is not JSON") from exc
    if not isinstance(data, dict):
        raise LgspMessageError("the token answer is not a JSON object")
    if style == STYLE_AUTH_HEADER:
        value, expiry = data.get("token"), data.get("expiryDate")
        if not isinstance(value, str) or not value or not isinstance(expiry, str):
            raise LgspMessageError("token or expiryDate is missing")
        return Token(value, parse_expiry(expiry), "Bearer", str(data.get("refreshToken") or ""), now)
    value, lifetime = data.get("access_token"), data.get("expires_in")
    if not isinstance(value, str) or not value:
        raise LgspMessageError("access_token is missing")
    if isinstance(lifetime, bool) or not isinstance(lifetime, int | float | str):
        raise LgspMessageError("expires_in is missing")
    try:
        seconds = float(lifetime)
    except ValueError as exc:
        raise LgspMessageError("expires_in is not a number") from exc
    token_type = str(data.get("token_type") or "Bearer")
    if token_type.lower() != "bearer":
        raise LgspMessageError(f"token_type {token_type!r} is not Bearer")
    return Token(value, now + timedelta(seconds=max(seconds, 0)), "Bearer", "", now)


def call_headers(token: str, access_key: str) -> dict[str, str]:
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if access_key:
        headers[ACCESS_KEY_HEADER] = access_key
    return headers


def bearer_of(authorization: str) -> str:
    scheme, _, value = authorization.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def build_refusal(error: str, description: str) -> dict[str, str]:
    """A refused call or token request [GUESSED: OAuth-style error body]."""
    return {"error": error, "error_description": description}
