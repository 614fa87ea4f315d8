"""What we assume of VNeID as an OpenID Connect provider (relying-party side): the `acr` values of the account levels,
the names of its claims, and where a sign-in's claims are read from.

Pure data: no HTTP, no Django. The province's sign-in (``motcua.identity.oidc``, configured by
``settings.MOTCUA_OIDC_PROVIDERS["vneid"]``, whose defaults must equal these) and the simulator
(``simulators/vneid.py``) both use this module.

Source: /work/shared/reference/national-integrations.md §3. No public relying-party specification of VNeID was
found: every shape below is GUESSED except the DVCQG single-sign-on claim names it inherits (EVIDENCED there, from
OpenCPS ``DVCQGSSOTerm``). Confirm them against the Ministry of Public Security's (C06) onboarding document before
going live; they are configuration (``MOTCUA_OIDC_PROVIDERS_JSON``), so confirming them changes no code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

EVIDENCED: Final = "evidenced"
GUESSED: Final = "guessed"

EVIDENCE: Final[Mapping[str, str]] = {
    "standard OIDC authorization-code flow with discovery, JWKS, token and userinfo endpoints": GUESSED,
    "PKCE (S256) accepted": GUESSED,
    "level asked for with acr_values; level proved in the ID token's acr claim": GUESSED,
    "acr values LoA1 (level 1 account) and LoA2 (level 2 account)": GUESSED,
    "claim names SoDinhDanh, HoVaTen, SoDienThoai (DVCQG single sign-on)": EVIDENCED,
    "claim names NgaySinh, GioiTinh, DiaChi": GUESSED,
    "sub is an opaque per-citizen identifier, the personal ID number comes from userinfo": GUESSED,
    "ID tokens signed with RS256": GUESSED,
}

# The `acr` value of each level of an electronic identification account (Decree 69/2024/NĐ-CP).
ACR_LEVEL_1: Final = "LoA1"
ACR_LEVEL_2: Final = "LoA2"
ACR_LEVELS: Final[Mapping[str, int]] = {ACR_LEVEL_1: 1, ACR_LEVEL_2: 2}

# Our profile field -> the provider's claim name (identity.oidc.ProviderConfig.claims).
CLAIMS: Final[Mapping[str, str]] = {
    "national_id": "SoDinhDanh",
    "full_name": "HoVaTen",
    "phone": "SoDienThoai",
    "email": "email",
    "birthdate": "NgaySinh",
}
# Further claims the simulator sends (not used to sign in: the population database is the source for them).
SEX_CLAIM: Final = "GioiTinh"  # "1" male, "2" female (the DVCQG convention)
ADDRESS_CLAIM: Final = "DiaChi"
SCOPE: Final = "openid profile phone email"
SIGNING_ALGORITHM: Final = "RS256"
