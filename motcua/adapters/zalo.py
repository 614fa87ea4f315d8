"""What we assume of Zalo's Graph API for the Mini App sign-in: the two calls the server makes with the tokens the
Mini App hands over (``getAccessToken`` and ``getPhoneNumber`` of zmp-sdk), their headers and their answers.

Pure data and parsing: no HTTP, no Django. ``motcua.identity.tokens`` (the sign-in) and the simulator
(``simulators/zalo.py``) both use this module, so the shapes live in one place.

Source: the Zalo Mini App documentation of ``getPhoneNumber`` (stc-zmp.zadn.vn/zmp-docs, "API getPhoneNumber"):
the phone token is valid once, for two minutes, and is exchanged by the app's server at graph.zalo.me with the
user access token and the app's secret key. The header names and the answer's fields below follow what that page
and Zalo's Social API pages show; none was checked against the live service here, so each is GUESSED until the
province's first real sign-in confirms it. They are all in this file: confirming or correcting them changes no
other code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

EVIDENCED: Final = "evidenced"
GUESSED: Final = "guessed"

EVIDENCE: Final[Mapping[str, str]] = {
    "the phone token is exchanged on the server with the user access token and the app's secret key": EVIDENCED,
    "GET /v2.0/me/info with headers access_token, code (the phone token), secret_key": GUESSED,
    "the phone answer is {data: {number: '84…'}, error: 0, message}": GUESSED,
    "GET /v2.0/me?fields=id,name with header access_token gives {id, name}": GUESSED,
    "an error answer is HTTP 200 with a non-zero error and a message": GUESSED,
}

DEFAULT_GRAPH_URL: Final = "https://graph.zalo.me"
ME_PATH: Final = "/v2.0/me"
ME_FIELDS: Final = "id,name"
PHONE_PATH: Final = "/v2.0/me/info"
ACCESS_TOKEN_HEADER: Final = "access_token"  # noqa: S105 - a header name
PHONE_CODE_HEADER: Final = "code"
SECRET_KEY_HEADER: Final = "secret_key"  # noqa: S105 - a header name

# Error codes the simulator answers with (Zalo's own list is not public; the sign-in treats any non-zero alike).
ERROR_INVALID_ACCESS_TOKEN: Final = -124
ERROR_INVALID_PHONE_CODE: Final = -201
ERROR_INVALID_SECRET: Final = -202


def me_request(access_token: str) -> tuple[str, dict[str, str]]:
    """(path with query, headers) of the call that says whose user access token this is."""
    return f"{ME_PATH}?fields={ME_FIELDS}", {ACCESS_TOKEN_HEADER: access_token}


def phone_request(access_token: str, phone_code: str, secret_key: str) -> tuple[str, dict[str, str]]:
    """(path, headers) of the call that turns the Mini App's phone token into the number Zalo verified."""
    return PHONE_PATH, {ACCESS_TOKEN_HEADER: access_token, PHONE_CODE_HEADER: phone_code,
                        SECRET_KEY_HEADER: secret_key}


def is_error(status: int, body: Any) -> bool:
    """Whether an answer is a refusal: not HTTP 200, not a JSON object, or a non-zero ``error``."""
    return status != 200 or not isinstance(body, dict) or bool(body.get("error"))


def parse_me(body: Mapping[str, Any]) -> tuple[str, str]:
    """(Zalo user id, display name) of a /v2.0/me answer; "" for what is missing."""
    return str(body.get("id") or ""), str(body.get("name") or "")


def parse_phone(body: Mapping[str, Any]) -> str:
    """The phone number of a /v2.0/me/info answer as Zalo writes it ("84912345678"); "" when missing."""
    data = body.get("data")
    return str(data.get("number") or "") if isinstance(data, dict) else ""


def me_answer(zalo_id: str, name: str) -> dict[str, Any]:
    """A /v2.0/me answer (the simulator's)."""
    return {"id": zalo_id, "name": name, "error": 0, "message": "Success"}


def phone_answer(number: str) -> dict[str, Any]:
    """A /v2.0/me/info answer (the simulator's)."""
    return {"data": {"number": number}, "error": 0, "message": "Success"}


def error_answer(code: int, message: str) -> dict[str, Any]:
    return {"error": code, "message": message}
