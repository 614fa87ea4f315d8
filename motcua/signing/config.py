"""The agency's signer, the timestamp authority and the trust roots, built from settings (docs/signing.md)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import x509  # type: ignore[import-untyped]
from django.conf import settings
from pyhanko.sign import signers
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

from motcua.signing.demo import is_demo_certificate
from motcua.signing.pdf import DeferredSigner, SigningError, certificates_in, load_certificates

if TYPE_CHECKING:
    from motcua.signing.models import SigningIdentity


def production() -> bool:
    return bool(getattr(settings, "MOTCUA_PRODUCTION", False))


def _refuse_demo(certificates: list[x509.Certificate]) -> None:
    """Production never signs with a DEMO certificate (nor embeds a DEMO chain)."""
    if production() and any(is_demo_certificate(cert) for cert in certificates):
        raise SigningError("a DEMO certificate cannot sign in production (MOTCUA_PRODUCTION=true)")


def backend() -> str:
    """The deployment-wide signer: "pkcs12", "pkcs11", or "" (none)."""
    return str(getattr(settings, "MOTCUA_SIGNING_BACKEND", "")).strip().lower()


def fallback_enabled() -> bool:
    """Whether an agency or leader without a signing identity signs with the deployment-wide signer
    (MOTCUA_SIGNING_FALLBACK); otherwise the approval is refused with a clear message."""
    return bool(getattr(settings, "MOTCUA_SIGNING_FALLBACK", False)) and backend() != ""


def _chain() -> list[x509.Certificate]:
    path = str(getattr(settings, "MOTCUA_SIGNING_CHAIN_FILE", ""))
    return load_certificates([Path(path)]) if path else []


def certificates_from_pem(text: str) -> list[x509.Certificate]:
    from asn1crypto import pem

    data = text.strip().encode()
    if not data:
        return []
    if not pem.detect(data):
        raise SigningError("not a PEM certificate")
    return [x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]


@dataclass(frozen=True)
class SignerSpec:
    """Where one signer's key is and how to open it: the deployment-wide settings, or a SigningIdentity."""

    kind: str  # "pkcs12" | "pkcs11" | "remote"
    pkcs12_file: str = ""
    secret: str = field(default="", repr=False)  # the PKCS#12 password or the token's PIN
    pkcs11_lib: str = ""
    token_label: str = ""
    key_label: str = ""
    cert_label: str = ""
    cert_file: str = ""
    certificate_pem: str = ""
    chain: tuple[x509.Certificate, ...] = ()
    credential_id: str = ""  # remote: the signer's account at the service


def global_spec() -> SignerSpec:
    """The deployment-wide signer of the MOTCUA_SIGNING_* settings."""
    return SignerSpec(
        kind=backend(), pkcs12_file=str(getattr(settings, "MOTCUA_SIGNING_PKCS12_FILE", "")),
        secret=str(getattr(settings, "MOTCUA_SIGNING_PKCS12_PASSWORD", "")) if backend() == "pkcs12"
        else str(getattr(settings, "MOTCUA_SIGNING_PKCS11_PIN", "")),
        pkcs11_lib=str(getattr(settings, "MOTCUA_SIGNING_PKCS11_LIB", "")),
        token_label=str(getattr(settings, "MOTCUA_SIGNING_PKCS11_TOKEN_LABEL", "")),
        key_label=str(getattr(settings, "MOTCUA_SIGNING_PKCS11_KEY_LABEL", "")),
        cert_label=str(getattr(settings, "MOTCUA_SIGNING_PKCS11_CERT_LABEL", "")),
        cert_file=str(getattr(settings, "MOTCUA_SIGNING_PKCS11_CERT_FILE", "")),
        chain=tuple(_chain()),
    )


def identity_spec(identity: SigningIdentity) -> SignerSpec:
    """The signer of a SigningIdentity (its secret read from the environment now, never from the database)."""
    from motcua.core.env import env_secret

    kinds = {"file": "pkcs12", "pkcs11": "pkcs11", "remote": "remote"}
    try:
        chain = tuple(certificates_from_pem(identity.chain_pem))
    except (SigningError, ValueError) as exc:
        raise SigningError(f"the identity's chain is not PEM certificates: {exc}") from exc
    return SignerSpec(
        kind=kinds.get(identity.kind, identity.kind), pkcs12_file=identity.key_reference,
        secret=env_secret(identity.secret_name) if identity.secret_name else "",
        pkcs11_lib=identity.pkcs11_lib or str(getattr(settings, "MOTCUA_SIGNING_PKCS11_LIB", "")),
        token_label=identity.token_label, key_label=identity.key_reference,
        cert_label="" if identity.certificate_pem.strip() else identity.key_reference,
        certificate_pem=identity.certificate_pem, chain=chain, credential_id=identity.key_reference,
    )


@contextmanager
def open_signer(spec: SignerSpec) -> Iterator[signers.Signer | DeferredSigner]:
    """SPEC's signer, open for the duration of the block (a PKCS#11 session is closed afterwards)."""
    chain = list(spec.chain)
    if spec.kind == "pkcs12":
        try:
            signer = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
                spec.pkcs12_file, passphrase=spec.secret.encode() or None, other_certs=chain or None)
        except Exception as exc:  # a missing file, a wrong password
            raise SigningError(f"cannot open the PKCS#12 file: {type(exc).__name__}") from exc
        if signer is None:
            raise SigningError("cannot open the PKCS#12 file (wrong password?)")
        _refuse_demo([signer.signing_cert, *chain])
        yield signer
        return
    if spec.kind == "pkcs11":
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        try:
            session = open_pkcs11_session(
                spec.pkcs11_lib, token_criteria=TokenCriteria(label=spec.token_label or None),
                user_pin=spec.secret or None,
            )
        except Exception as exc:  # no module, no token, wrong PIN
            raise SigningError(f"cannot open the PKCS#11 token: {type(exc).__name__}: {exc}") from exc
        try:
            given = certificates_from_pem(spec.certificate_pem) if spec.certificate_pem.strip() else (
                load_certificates([Path(spec.cert_file)]) if spec.cert_file else [])
            pkcs11_signer = PKCS11Signer(
                session, key_label=spec.key_label, cert_label=spec.cert_label or None,
                signing_cert=given[0] if given else None, ca_chain=chain or None,
            )
            try:
                token_cert = pkcs11_signer.signing_cert
            except Exception as exc:  # no such key or certificate on the token
                raise SigningError(f"cannot read the token's certificate: {type(exc).__name__}") from exc
            _refuse_demo([token_cert, *chain])
            yield pkcs11_signer
        finally:
            session.close()
        return
    if spec.kind == "remote":
        from motcua.signing.remote import remote_signer

        remote = remote_signer(spec.credential_id, chain=chain)
        _refuse_demo([remote.signing_cert, *chain])
        yield remote
        return
    raise SigningError("no signer configured (MOTCUA_SIGNING_BACKEND)")


@contextmanager
def agency_signer() -> Iterator[signers.Signer | DeferredSigner]:
    """The deployment-wide signer (MOTCUA_SIGNING_BACKEND), open for the duration of the block."""
    with open_signer(global_spec()) as signer:
        yield signer


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


def crls() -> list[bytes]:
    """The certificate revocation lists the verifier checks: every *.crl (DER or PEM) in MOTCUA_SIGNING_CRL_DIR."""
    from asn1crypto import pem

    directory = str(getattr(settings, "MOTCUA_SIGNING_CRL_DIR", ""))
    folder = Path(directory) if directory else None
    if folder is None or not folder.is_dir():
        return []
    found: list[bytes] = []
    for path in sorted(folder.glob("*.crl")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if pem.detect(data):
            found.extend(der for _type, _headers, der in pem.unarmor(data, multiple=True))
        else:
            found.append(data)
    return found


def revocation_fetching() -> bool:
    return bool(getattr(settings, "MOTCUA_SIGNING_REVOCATION_FETCH", False))


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
