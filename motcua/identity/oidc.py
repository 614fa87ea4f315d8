"""Citizen sign-in by OpenID Connect (authorization code + PKCE) with VNeID or the national portal.

Both national identity providers speak OIDC; what differs is configuration: endpoints, `acr_values` (level of
assurance) and claim names (VNeID sends Vietnamese names such as `HoVaTen`). Everything here is driven by
`settings.MOTCUA_OIDC_PROVIDERS`; every call to a provider has a timeout.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.utils.module_loading import import_string

# What each `acr` value a provider returns proves (identity.AssuranceLevel); a provider's `acr_levels` overrides it.
DEFAULT_ACR_LEVELS = {"LoA1": 1, "LoA2": 2}
DEFAULT_CLAIMS = {"national_id": "sub", "full_name": "name", "phone": "phone_number", "email": "email",
                  "birthdate": "birthdate"}


@dataclass(frozen=True)
class ProviderConfig:
    name: str
    label: str
    server_metadata_url: str
    client_id: str
    client_secret: str
    scope: str = "openid profile"
    acr_values: str = ""
    timeout: float = 10.0
    claims: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CLAIMS))
    acr_levels: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_ACR_LEVELS))

    @property
    def requested_level(self) -> int:
        """The level asked for with `acr_values` (the highest of them; 0 when none is asked for)."""
        return max((self.acr_levels.get(value, 0) for value in self.acr_values.split()), default=0)

    @property
    def enabled(self) -> bool:
        return bool(self.server_metadata_url and self.client_id)


def providers() -> dict[str, ProviderConfig]:
    result = {}
    for name, raw in settings.MOTCUA_OIDC_PROVIDERS.items():
        claims = {**DEFAULT_CLAIMS, **raw.get("claims", {})}
        result[name] = ProviderConfig(
            name=name, label=raw.get("label", name), server_metadata_url=raw.get("server_metadata_url", ""),
            client_id=raw.get("client_id", ""), client_secret=raw.get("client_secret", ""),
            scope=raw.get("scope", "openid profile"), acr_values=raw.get("acr_values", ""),
            timeout=float(raw.get("timeout", 10)), claims=claims,
            acr_levels={str(k): int(v) for k, v in raw.get("acr_levels", DEFAULT_ACR_LEVELS).items()},
        )
    return result


def enabled_providers() -> list[ProviderConfig]:
    return [p for p in providers().values() if p.enabled]


def _digest(data: Any) -> tuple[str, int]:
    raw = data.encode() if isinstance(data, str) else bytes(data or b"")
    return (hashlib.sha256(raw).hexdigest() if raw else "", len(raw))


# Keeps the evidence of one call (`integrations.CallRecord`); integrations imports identity, so it is named here.
EVIDENCE_WRITER = "motcua.integrations.actions.record_call"


class EvidencedSession(OAuth2Session):
    """Authlib's HTTP session, leaving the integration layer's evidence (`integrations.CallRecord`: digests and
    sizes, never the bodies) of every call to the identity provider: discovery, keys, token, userinfo."""

    evidence_system = "oidc"

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        # The integrations app builds on identity: its evidence writer is named by its path (Layering).
        record_call = import_string(EVIDENCE_WRITER)
        operation = f"{method.upper()} {urlsplit(url).path.rstrip('/').rsplit('/', 1)[-1] or '/'}"
        started = time.monotonic()
        try:
            response = super().request(method, url, *args, **kwargs)
        except Exception as exc:
            record_call(system=self.evidence_system, operation=operation, attempt=1,
                        duration_ms=int((time.monotonic() - started) * 1000),
                        error=f"transport: {type(exc).__name__}: {exc}"[:500])
            raise
        sent_sha, sent_size = _digest(response.request.body if response.request is not None else b"")
        got_sha, got_size = _digest(response.content)
        record_call(system=self.evidence_system, operation=operation, attempt=1, status_code=response.status_code,
                    duration_ms=int((time.monotonic() - started) * 1000), request_sha256=sent_sha,
                    request_size=sent_size, response_sha256=got_sha, response_size=got_size,
                    error="" if response.status_code < 400 else f"HTTP {response.status_code}")
        return response


class EvidencedOAuth2App(DjangoOAuth2App):
    client_cls = EvidencedSession

    def _get_session(self) -> Any:
        session = super()._get_session()
        session.evidence_system = f"oidc:{self.name}"
        return session

    def _get_oauth_client(self, **metadata: Any) -> Any:
        session = super()._get_oauth_client(**metadata)
        session.evidence_system = f"oidc:{self.name}"
        return session


class EvidencedOAuth(OAuth):
    oauth2_client_cls = EvidencedOAuth2App


@functools.cache
def _registry(fingerprint: str) -> OAuth:
    """One Authlib registry per configuration (tests change the configuration; production does not)."""
    oauth = EvidencedOAuth()
    for config in providers().values():
        if not config.enabled:
            continue
        oauth.register(
            name=config.name, client_id=config.client_id, client_secret=config.client_secret,
            server_metadata_url=config.server_metadata_url,
            client_kwargs={"scope": config.scope, "code_challenge_method": "S256",
                           "token_endpoint_auth_method": "client_secret_post",
                           "default_timeout": config.timeout},
        )
    return oauth


def client_for(name: str) -> Any:
    """The Authlib client of provider NAME, or None when it is not configured."""
    config = providers().get(name)
    if config is None or not config.enabled:
        return None
    return _registry(repr(sorted(settings.MOTCUA_OIDC_PROVIDERS.items(), key=lambda kv: kv[0]))).create_client(name)


def map_claims(config: ProviderConfig, claims: dict[str, Any]) -> dict[str, str]:
    """Our profile fields from the provider's claims, by the configured claim names."""
    return {ours: str(claims.get(theirs) or "").strip() for ours, theirs in config.claims.items()}


@dataclass(frozen=True)
class Assurance:
    level: int      # what the sign-in proved (identity.AssuranceLevel)
    acr: str        # the `acr` the provider returned ("" when none)
    requested: int  # the level asked for with `acr_values`

    @property
    def acr_recognised(self) -> bool:
        return bool(self.acr)

    @property
    def below_request(self) -> bool:
        return self.level < self.requested


def assurance_of(config: ProviderConfig, id_token_claims: dict[str, Any]) -> Assurance:
    """The level the provider vouched for in the ID token's `acr` claim. A missing or unknown `acr` proves no
    level (0), whatever was asked for; a lower one than asked for is what it is (the caller tells the citizen)."""
    acr = str(id_token_claims.get("acr") or "").strip()
    level = config.acr_levels.get(acr)
    return Assurance(level=level if level is not None else 0, acr=acr if level is not None else "",
                     requested=config.requested_level)
