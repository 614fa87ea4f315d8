"""System check: a production deployment (`MOTCUA_PRODUCTION=true`) must not be configured with a DEMO
certificate (the demo CA `setup_demo` makes) to sign results or as a trust root (docs/signing.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from motcua.signing.demo import is_demo_certificate


def _configured_certificates() -> list[tuple[str, Any]]:
    """(setting, certificate) for every certificate the signing settings name, as far as they can be read."""
    from asn1crypto import x509  # type: ignore[import-untyped]
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from motcua.signing.pdf import certificates_in, load_certificates

    found: list[tuple[str, Any]] = []
    p12 = str(getattr(settings, "MOTCUA_SIGNING_PKCS12_FILE", ""))
    if p12 and Path(p12).is_file():
        password = str(getattr(settings, "MOTCUA_SIGNING_PKCS12_PASSWORD", "")).encode() or None
        try:
            _key, leaf, others = pkcs12.load_key_and_certificates(Path(p12).read_bytes(), password)
        except ValueError:
            leaf, others = None, []
        for cert in ([leaf] if leaf else []) + list(others):
            found.append(("MOTCUA_SIGNING_PKCS12_FILE",
                          x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))))
    for setting in ("MOTCUA_SIGNING_PKCS11_CERT_FILE", "MOTCUA_SIGNING_CHAIN_FILE"):
        path = str(getattr(settings, setting, ""))
        if path and Path(path).is_file():
            found.extend((setting, cert) for cert in load_certificates([Path(path)]))
    roots = str(getattr(settings, "MOTCUA_SIGNING_TRUST_ROOTS_DIR", ""))
    found.extend(("MOTCUA_SIGNING_TRUST_ROOTS_DIR", cert) for cert in certificates_in(roots))
    return found


@checks.register(checks.Tags.security, deploy=False)
def no_demo_certificate_in_production(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not getattr(settings, "MOTCUA_PRODUCTION", False):
        return []
    return [
        checks.Error(
            f"{setting} holds a DEMO certificate ({cert.subject.human_friendly}): production cannot use the demo CA.",
            hint="Configure the agency's real certificate and the national root CA (docs/signing.md).",
            id="motcua_signing.E001",
        )
        for setting, cert in _configured_certificates() if is_demo_certificate(cert)
    ]
