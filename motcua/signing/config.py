"""The agency's signer, the timestamp authority and the trust roots, built from settings (docs/signing.md)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from asn1crypto import x509  # type: ignore[import-untyped]
from django.conf import settings
from pyhanko.sign import signers
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

from motcua.signing.demo import is_demo_certificate
from motcua.signing.pdf import SigningError, certificates_in, load_certificates


def production() -> bool:
    return bool(getattr(settings, "MOTCUA_PRODUCTION", False))


def _refuse_demo(certificates: list[x509.Certificate]) -> None:
    """Production never signs with a DEMO certificate (nor embeds a DEMO chain)."""
    if production() and any(is_demo_certificate(cert) for cert in certificates):
        raise SigningError("a DEMO certificate cannot sign in production (MOTCUA_PRODUCTION=true)")


def backend() -> str:
    """"pkcs12", "pkcs11", or "" (no signer configured: results cannot be signed)."""
    return str(getattr(settings, "MOTCUA_SIGNING_BACKEND", "")).strip().lower()


def _chain() -> list[x509.Certificate]:
    path = str(getattr(settings, "MOTCUA_SIGNING_CHAIN_FILE", ""))
    return load_certificates([Path(path)]) if path else []


@contextmanager
def agency_signer() -> Iterator[signers.Signer]:
    """The configured signer, open for the duration of the block (a PKCS#11 session is closed afterwards)."""
    kind = backend()
    if kind == "pkcs12":
        path = str(settings.MOTCUA_SIGNING_PKCS12_FILE)
        password = str(settings.MOTCUA_SIGNING_PKCS12_PASSWORD).encode() or None
        try:
            signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password,  # type: ignore[no-untyped-call]
                                                      other_certs=_chain() or None)
        except Exception as exc:  # a missing file, a wrong password
            raise SigningError(f"cannot open the PKCS#12 file: {type(exc).__name__}") from exc
        if signer is None:
            raise SigningError("cannot open the PKCS#12 file (wrong password?)")
        _refuse_demo([signer.signing_cert, *_chain()])
        yield signer
        return
    if kind == "pkcs11":
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        cert_file = str(settings.MOTCUA_SIGNING_PKCS11_CERT_FILE)
        try:
            session = open_pkcs11_session(
                str(settings.MOTCUA_SIGNING_PKCS11_LIB),
                token_criteria=TokenCriteria(label=str(settings.MOTCUA_SIGNING_PKCS11_TOKEN_LABEL) or None),
                user_pin=str(settings.MOTCUA_SIGNING_PKCS11_PIN) or None,
            )
        except Exception as exc:  # no module, no token, wrong PIN
            raise SigningError(f"cannot open the PKCS#11 token: {type(exc).__name__}: {exc}") from exc
        try:
            pkcs11_signer = PKCS11Signer(
                session, key_label=str(settings.MOTCUA_SIGNING_PKCS11_KEY_LABEL),
                cert_label=str(settings.MOTCUA_SIGNING_PKCS11_CERT_LABEL) or None,
                signing_cert=load_certificates([Path(cert_file)])[0] if cert_file else None,
                ca_chain=_chain() or None,
            )
            if production():
                try:
                    token_cert = pkcs11_signer.signing_cert
                except Exception as exc:  # no such key or certificate on the token
                    raise SigningError(f"cannot read the token's certificate: {type(exc).__name__}") from exc
                _refuse_demo([token_cert, *_chain()])
            yield pkcs11_signer
        finally:
            session.close()
        return
    raise SigningError("no signer configured (MOTCUA_SIGNING_BACKEND)")


def timestamper() -> TimeStamper | None:
    url = str(getattr(settings, "MOTCUA_SIGNING_TSA_URL", ""))
    if not url:
        return None
    timeout = int(getattr(settings, "MOTCUA_SIGNING_TSA_TIMEOUT", 10))
    stamper: TimeStamper = RequestsHTTPTimeStamper(  # type: ignore[no-untyped-call]
        url, https=url.startswith("https:"), timeout=timeout)
    return stamper


def trust_roots() -> list[x509.Certificate]:
    """The verifier's trust anchors; in production a DEMO root in the directory is ignored."""
    roots = certificates_in(str(getattr(settings, "MOTCUA_SIGNING_TRUST_ROOTS_DIR", "")))
    if production():
        roots = [cert for cert in roots if not is_demo_certificate(cert)]
    return roots


def demo_trusted() -> bool:
    """Whether the verifier trusts the demo CA (the demo: signatures it accepts may be DEMO ones)."""
    return any(is_demo_certificate(cert) for cert in trust_roots())


def stamp_box() -> tuple[int, int, int, int]:
    raw = str(getattr(settings, "MOTCUA_SIGNING_STAMP_BOX", "300,30,565,120"))
    x1, y1, x2, y2 = (int(part) for part in raw.split(","))
    return (x1, y1, x2, y2)


# TrueType fonts with Vietnamese glyphs that Debian installs commonly, tried when the configured one is missing
# (pyHanko's built-in font cannot write Vietnamese: the block would be unreadable).
FALLBACK_STAMP_FONTS = (
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",            # fonts-noto-core
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",                # fonts-dejavu-core
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",  # fonts-liberation2
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",   # fonts-liberation
)


def stamp_font() -> str:
    path = str(getattr(settings, "MOTCUA_SIGNING_STAMP_FONT", ""))
    for candidate in (path, *FALLBACK_STAMP_FONTS):
        if candidate and Path(candidate).is_file():
            return candidate
    return ""
