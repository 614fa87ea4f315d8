"""One way to call any outside system: timeouts, bounded retries with exponential backoff and full jitter, a
circuit breaker per system, credentials from the environment, an optional route through the province's LGSP,
and an evidence record for every attempt (docs/integrations.md).

Small and tested rather than a library: the retry rule depends on HTTP semantics (idempotency, 408/429) and
every attempt must be recorded, which wraps more awkwardly around tenacity/pybreaker than it takes to write."""

from __future__ import annotations

import functools
import hashlib
import logging
import random
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx

from motcua.integrations.config import LgspGateway, SystemConfig, system_config

logger = logging.getLogger("motcua.integrations")
T = TypeVar("T")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_4XX = frozenset({408, 429})


class IntegrationError(Exception):
    """A call to an outside system did not give a usable answer."""

    def __init__(self, message: str, *, status_code: int | None = None, attempts: int = 0) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.attempts = attempts


class CircuitOpen(IntegrationError):
    """The system's breaker is open: the call was refused without reaching the network."""


class MalformedResponse(IntegrationError):
    """The system answered, but the caller's parser rejected the body."""


# --- circuit breaker ----------------------------------------------------------------------------------------

class CircuitBreaker:
    """Opens after `failures` consecutive failures; after `reset_seconds` lets one trial call through
    (half-open): its success closes the breaker, its failure opens it again. Thread-safe; the state lives in
    this process (several worker processes each keep their own breaker)."""

    CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"

    def __init__(self, failures: int, reset_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.threshold = failures
        self.reset_seconds = reset_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at = 0.0
        self._state = self.CLOSED
        self._trial_running = False

    @property
    def state(self) -> str:
        with self._lock:
            if self._state == self.OPEN and self.clock() - self._opened_at >= self.reset_seconds:
                return self.HALF_OPEN
            return self._state

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    def allow(self) -> bool:
        with self._lock:
            if self._state == self.CLOSED:
                return True
            if self._state == self.OPEN:
                if self.clock() - self._opened_at < self.reset_seconds:
                    return False
                self._state = self.HALF_OPEN
            if self._trial_running:
                return False
            self._trial_running = True
            return True

    def record_success(self) -> None:
        with self._lock:
            self._state, self._failures, self._trial_running = self.CLOSED, 0, False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._state == self.HALF_OPEN or self._failures >= self.threshold:
                self._state, self._opened_at = self.OPEN, self.clock()
            self._trial_running = False


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The trusted CAs, read once per process (reading the bundle costs milliseconds per client otherwise); an
    SSLContext is safe to share between threads and clients."""
    return httpx.create_ssl_context()


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(config: SystemConfig) -> CircuitBreaker:
    """The process-wide breaker of CONFIG's system (created on first use)."""
    with _breakers_lock:
        breaker = _breakers.get(config.name)
        if breaker is None or (breaker.threshold, breaker.reset_seconds) != (
                config.breaker_failures, config.breaker_reset_seconds):
            breaker = _breakers[config.name] = CircuitBreaker(config.breaker_failures, config.breaker_reset_seconds)
        return breaker


def breaker_state(name: str) -> str:
    breaker = _breakers.get(name)
    return breaker.state if breaker else CircuitBreaker.CLOSED


def reset_breakers() -> None:
    """Forget every breaker (tests; a process restart does the same)."""
    with _breakers_lock:
        _breakers.clear()


# --- retries ------------------------------------------------------------------------------------------------

def backoff_delay(attempt: int, base: float, cap: float, rng: Callable[[float, float], float] = random.uniform
                  ) -> float:
    """Seconds to wait after failed ATTEMPT (1-based): full jitter over base·2^(attempt-1), capped at CAP."""
    return rng(0.0, min(cap, base * (2 ** (attempt - 1))))


def _retry_after(response: httpx.Response, cap: float) -> float | None:
    raw = response.headers.get("Retry-After", "")
    return min(float(raw), cap) if raw.strip().isdigit() else None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest() if data else ""


@dataclass
class Result(Generic[T]):
    response: httpx.Response
    value: T
    attempts: int


class IntegrationClient:
    """HTTP calls to one outside system. `call` returns the parsed answer of a 2xx response, or raises
    IntegrationError (CircuitOpen, MalformedResponse); every attempt leaves a CallRecord."""

    def __init__(self, config: SystemConfig | str, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, lgsp: LgspGateway | None = None) -> None:
        self.config = system_config(config) if isinstance(config, str) else config
        self.breaker = breaker_for(self.config)
        self.sleep = sleep
        self.gateway: LgspGateway | None = None
        if self.config.via_lgsp:
            gateway = self.gateway = lgsp or LgspGateway.from_environment()
            if not gateway.base_url:
                raise IntegrationError(f"{self.config.name} is routed via LGSP but MOTCUA_LGSP_URL is not set")
            base_url = f"{gateway.base_url}/{(self.config.lgsp_path or self.config.name).strip('/')}"
            # A fetched token is asked for at each call (`_gateway_headers`), so a client is built offline.
            auth_headers = {} if gateway.fetches_tokens else gateway.headers()
        else:
            base_url = self.config.base_url
            auth_headers = {"Authorization": f"Bearer {self.config.token}"} if self.config.token else {}
        timeout = httpx.Timeout(self.config.read_timeout, connect=self.config.connect_timeout)
        self.http = httpx.Client(base_url=base_url, timeout=timeout, transport=transport,
                                 headers={**self.config.headers, **auth_headers}, follow_redirects=False,
                                 verify=_tls_context())

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> IntegrationClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _gateway_headers(self, *, renew: bool = False) -> dict[str, str]:
        """The LGSP headers with the process's fetched token (a new one when RENEW: the gateway refused it)."""
        if self.gateway is None or not self.gateway.fetches_tokens:
            return {}
        from motcua.integrations import lgsp_tokens

        if renew:
            lgsp_tokens.forget(self.gateway)
        try:
            return self.gateway.headers()
        except lgsp_tokens.TokenError as exc:
            raise IntegrationError(f"{self.config.name}: {exc}") from exc

    def call(self, operation: str, method: str, path: str, *, parse: Callable[[httpx.Response], T],
             json: Any = None, content: bytes | None = None, headers: dict[str, str] | None = None,
             idempotency_key: str = "", dossier_id: int | None = None) -> Result[T]:
        from motcua.integrations.actions import record_call

        method = method.upper()
        headers = dict(headers or {})
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        request = self.http.build_request(method, path, json=json, content=content,
                                          headers={**headers, **self._gateway_headers()})
        body = request.read()
        token_renewed = False
        retryable = method in IDEMPOTENT_METHODS or bool(idempotency_key)
        max_attempts = self.config.max_attempts if retryable else 1
        evidence: dict[str, Any] = {"system": self.config.name, "operation": operation, "dossier_id": dossier_id,
                    "request_sha256": _digest(body), "request_size": len(body)}
        attempt = 0
        while True:
            attempt += 1
            if not self.breaker.allow():
                record_call(**evidence, attempt=attempt, error="circuit open: call refused")
                raise CircuitOpen(f"{self.config.name}: circuit open", attempts=attempt)
            started = time.monotonic()
            response: httpx.Response | None = None
            error = ""
            try:
                response = self.http.send(request)
                response.read()
            except httpx.TimeoutException as exc:
                error = f"timeout: {type(exc).__name__}"
            except httpx.RequestError as exc:  # connection refused or reset, protocol error, bad redirect…
                error = f"transport: {type(exc).__name__}: {exc}"[:500]
            elapsed_ms = int((time.monotonic() - started) * 1000)
            answer = response.content if response is not None else b""
            status = response.status_code if response is not None else None
            if status == 401 and not token_renewed and self.gateway is not None and self.gateway.fetches_tokens:
                # The gateway refused its token (expired early, revoked): fetch a new one and send again once.
                record_call(**evidence, attempt=attempt, status_code=status, duration_ms=elapsed_ms,
                            response_sha256=_digest(answer), response_size=len(answer),
                            error="HTTP 401: LGSP token refused, fetching a new one")
                token_renewed = True
                request = self.http.build_request(method, path, json=json, content=content,
                                                  headers={**headers, **self._gateway_headers(renew=True)})
                continue
            transient = response is None or (status is not None and (status >= 500 or status in RETRYABLE_4XX))
            value: T | None = None
            parsed = False
            if response is not None and not transient:
                if status is not None and status >= 400:
                    error = f"HTTP {status}"
                else:
                    try:
                        value, parsed = parse(response), True
                    except Exception as exc:  # whatever the parser raises: the body is unusable to the caller
                        error = f"malformed response: {type(exc).__name__}: {exc}"[:500]
            elif response is not None:
                error = f"HTTP {status}"
            record_call(**evidence, attempt=attempt, status_code=status, duration_ms=elapsed_ms,
                        response_sha256=_digest(answer), response_size=len(answer), error=error)
            if parsed and response is not None:
                self.breaker.record_success()
                return Result(response=response, value=value, attempts=attempt)  # type: ignore[arg-type]
            if not transient:
                # The system answered: a 4xx is the caller's fault, a bad body is not fixed by asking again.
                if status is not None and status < 500 and not error.startswith("malformed"):
                    self.breaker.record_success()
                    raise IntegrationError(f"{self.config.name} {operation}: {error}", status_code=status,
                                           attempts=attempt)
                self.breaker.record_failure()
                raise MalformedResponse(f"{self.config.name} {operation}: {error}", status_code=status,
                                        attempts=attempt)
            self.breaker.record_failure()
            if attempt >= max_attempts:
                logger.warning("%s %s failed after %d attempt(s): %s", self.config.name, operation, attempt, error)
                raise IntegrationError(f"{self.config.name} {operation}: {error}", status_code=status,
                                       attempts=attempt)
            delay = backoff_delay(attempt, self.config.backoff_base, self.config.backoff_max)
            if response is not None and (hinted := _retry_after(response, self.config.backoff_max)) is not None:
                delay = max(delay, hinted)
            self.sleep(delay)
