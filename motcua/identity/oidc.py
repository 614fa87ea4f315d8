"""Citizen sign-in by OpenID Connect (authorization code + PKCE) with VNeID or the national portal.

Both national identity providers speak OIDC; what differs is configuration: endpoints, `acr_values` (level of
assurance) and claim names (VNeID sends Vietnamese names such as `HoVaTen`). Everything here is driven by
`settings.MOTCUA_OIDC_PROVIDERS`; every call to a provider has a timeout.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.django_client import OAuth
from django.conf import settings

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
        )
    return result


def enabled_providers() -> list[ProviderConfig]:
    return [p for p in providers().values() if p.enabled]


@functools.cache
def _registry(fingerprint: str) -> OAuth:
    """One Authlib registry per configuration (tests change the configuration; production does not)."""
    oauth = OAuth()
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
