"""Which outside systems exist and how to reach them: one dict per system in settings.MOTCUA_INTEGRATION_SYSTEMS
(from the environment variable MOTCUA_INTEGRATION_SYSTEMS_JSON); secrets from environment variables or files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from motcua.core.env import env_secret

_FIELDS = {"base_url", "label", "connect_timeout", "read_timeout", "max_attempts", "backoff_base", "backoff_max",
           "breaker_failures", "breaker_reset_seconds", "via_lgsp", "lgsp_path", "headers"}


def _secret_name(system: str, what: str) -> str:
    return f"MOTCUA_INTEGRATION_{system.upper()}_{what}"


@dataclass(frozen=True)
class LgspGateway:
    """The province's LGSP: calls routed through it carry `Authorization: Bearer <token>` and `lgspaccesstoken`
    (docs/integrations.md; /work reference: national-integrations §2)."""

    base_url: str
    token: str = field(repr=False, default="")
    access_token: str = field(repr=False, default="")
    # Set token_style to fetch (and refresh) the Bearer token from the gateway instead of using `token`.
    token_style: str = ""
    token_url: str = ""
    client_id: str = ""
    client_secret: str = field(repr=False, default="")

    def __post_init__(self) -> None:
        from motcua.adapters.lgsp import TOKEN_STYLES

        if self.token_style and self.token_style not in TOKEN_STYLES:
            raise ImproperlyConfigured(f"MOTCUA_LGSP_TOKEN_STYLE must be one of {', '.join(TOKEN_STYLES)}")
        if self.token_style and not self.client_id:
            raise ImproperlyConfigured("MOTCUA_LGSP_TOKEN_STYLE needs MOTCUA_LGSP_CLIENT_ID")

    @classmethod
    def from_environment(cls) -> LgspGateway:
        return cls(base_url=str(settings.MOTCUA_LGSP_URL).rstrip("/"), token=env_secret("MOTCUA_LGSP_TOKEN"),
                   access_token=env_secret("MOTCUA_LGSP_ACCESS_TOKEN"),
                   token_style=str(settings.MOTCUA_LGSP_TOKEN_STYLE), token_url=str(settings.MOTCUA_LGSP_TOKEN_URL),
                   client_id=str(settings.MOTCUA_LGSP_CLIENT_ID), client_secret=env_secret("MOTCUA_LGSP_CLIENT_SECRET"))

    @property
    def fetches_tokens(self) -> bool:
        return bool(self.token_style)

    def headers(self) -> dict[str, str]:
        """The headers of a call through the gateway; with a token style, fetches a token first if the process
        holds none that is still good (motcua.integrations.lgsp_tokens)."""
        from motcua.adapters.lgsp import call_headers

        token = self.token
        if self.token_style:
            from motcua.integrations.lgsp_tokens import current_token

            token = current_token(self)
        return call_headers(token, self.access_token)


@dataclass(frozen=True)
class SystemConfig:
    """How to reach one outside system. `token` (a bearer token for the direct route) comes from
    MOTCUA_INTEGRATION_<NAME>_TOKEN or the file named by MOTCUA_INTEGRATION_<NAME>_TOKEN_FILE."""

    name: str
    base_url: str = ""  # may stay empty for a system reached via LGSP
    label: str = ""
    connect_timeout: float = 5.0
    read_timeout: float = 6.0  # what OpenCPS uses for the national portal
    max_attempts: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    breaker_failures: int = 5
    breaker_reset_seconds: float = 60.0
    via_lgsp: bool = False
    lgsp_path: str = ""  # the system's path on the gateway (default: its name)
    headers: dict[str, str] = field(default_factory=dict)  # fixed headers, e.g. the portal's `dstcode`
    token: str = field(repr=False, default="")

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.breaker_failures < 1:
            raise ImproperlyConfigured(f"integration {self.name}: max_attempts and breaker_failures must be >= 1")
        if self.connect_timeout <= 0 or self.read_timeout <= 0 or self.backoff_base < 0 or self.backoff_max < 0:
            raise ImproperlyConfigured(f"integration {self.name}: timeouts must be > 0, backoff >= 0")

    @classmethod
    def from_dict(cls, name: str, values: dict[str, Any]) -> SystemConfig:
        unknown = set(values) - _FIELDS
        if unknown:
            raise ImproperlyConfigured(f"integration {name}: unknown setting(s) {sorted(unknown)}")
        if not values.get("base_url") and not values.get("via_lgsp"):
            raise ImproperlyConfigured(f"integration {name}: base_url is required unless via_lgsp is true")
        values = {**values, "headers": {str(k): str(v) for k, v in dict(values.get("headers") or {}).items()}}
        return cls(name=name, token=env_secret(_secret_name(name, "TOKEN")), **values)


def configured_systems() -> dict[str, SystemConfig]:
    """Every system in settings, credentials read now (so a rotated secret file is picked up by new clients)."""
    return {name: SystemConfig.from_dict(name, dict(values))
            for name, values in dict(settings.MOTCUA_INTEGRATION_SYSTEMS).items()}


def system_config(name: str) -> SystemConfig:
    try:
        values = dict(settings.MOTCUA_INTEGRATION_SYSTEMS)[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"integration {name!r} is not configured (MOTCUA_INTEGRATION_SYSTEMS_JSON)") from None
    return SystemConfig.from_dict(name, dict(values))
