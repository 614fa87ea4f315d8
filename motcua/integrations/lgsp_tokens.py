"""The LGSP gateway's Bearer token, fetched and refreshed when MOTCUA_LGSP_TOKEN_STYLE is set (docs/integrations.md).

One token per process and gateway (URL + client id), shared by all threads: fetched on first use, fetched again
when it is about to expire (5 minutes before, or half-way through a shorter life: the reference note §2 has
"refresh when < 5 min remain") or after the gateway refused it (`forget`, then the client retries once). Every
token request leaves a CallRecord (system `lgsp`, operation `token`), never the token itself."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from motcua.adapters import lgsp
from motcua.integrations.config import LgspGateway

TOKEN_TIMEOUT = httpx.Timeout(10.0, connect=5.0)

_tokens: dict[tuple[str, str], lgsp.Token] = {}
_lock = threading.Lock()


class TokenError(Exception):
    """The gateway gave no usable token."""


def token_url(gateway: LgspGateway) -> str:
    return gateway.token_url or gateway.base_url + lgsp.TOKEN_PATHS[gateway.token_style]


def _key(gateway: LgspGateway) -> tuple[str, str]:
    return token_url(gateway), gateway.client_id


def current_token(gateway: LgspGateway, *, transport: httpx.BaseTransport | None = None,
                  now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> str:
    """A token that is good for a while yet: the process's own, or a new one from the gateway."""
    with _lock:  # one fetch at a time: threads wanting a token at once share the fetched one
        token = _tokens.get(_key(gateway))
        if token is None or token.due_for_refresh(now()):
            token = _tokens[_key(gateway)] = fetch_token(gateway, transport=transport, now=now)
        return token.value


def forget(gateway: LgspGateway) -> None:
    """Drop the process's token (the gateway refused it); the next call fetches a new one."""
    with _lock:
        _tokens.pop(_key(gateway), None)


def forget_all() -> None:
    with _lock:
        _tokens.clear()


def fetch_token(gateway: LgspGateway, *, transport: httpx.BaseTransport | None = None,
                now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> lgsp.Token:
    from motcua.integrations.actions import record_call

    credentials = lgsp.Credentials(gateway.client_id, gateway.client_secret)
    request = lgsp.build_token_request(gateway.token_style, credentials, gateway.access_token)
    started = time.monotonic()
    status: int | None = None
    answer = b""
    error = ""
    try:
        with httpx.Client(timeout=TOKEN_TIMEOUT, transport=transport, follow_redirects=False) as http:
            response = http.request(request.method, token_url(gateway), headers=request.headers,
                                    content=request.body)
        status, answer = response.status_code, response.content
        if status != 200:
            error = f"HTTP {status}"
            raise TokenError(f"LGSP token: {error}")
        try:
            return lgsp.parse_token_answer(gateway.token_style, answer, now())
        except lgsp.LgspMessageError as exc:
            error = f"malformed response: {exc}"
            raise TokenError(f"LGSP token: {error}") from exc
    except httpx.HTTPError as exc:
        error = f"transport: {type(exc).__name__}: {exc}"[:500]
        raise TokenError(f"LGSP token: {error}") from exc
    finally:
        record_call(system="lgsp", operation="token", attempt=1, status_code=status,
                    duration_ms=int((time.monotonic() - started) * 1000),
                    request_sha256=hashlib.sha256(request.body).hexdigest() if request.body else "",
                    request_size=len(request.body), response_size=len(answer), error=error,
                    response_sha256=hashlib.sha256(answer).hexdigest() if answer else "")
