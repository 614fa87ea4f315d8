"""The demo's own certificate authority, so a signed e-result works out of the box in the demo — and only there.

`setup_demo` calls `ensure_demo_pki` to make (once, in ./var/demo-signing/, never in git) a root CA and one
agency signing certificate whose names carry `DEMO_MARK`; `scripts/demo.sh` sets `MOTCUA_DEMO_SIGNING=true` so the
settings sign with that PKCS#12 file and the verifier trusts that root (`demo_signing_settings`). A production
deployment (`MOTCUA_PRODUCTION=true`) refuses the flag, never signs with a DEMO certificate and never trusts one
(`is_demo_certificate`, used by `motcua.signing.config` and the system check in `motcua.signing.checks`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]

# Printed in the name of every demo certificate; what the production refusal and the verify page look for.
DEMO_MARK = "DEMO — không dùng cho sản xuất"
ROOT_FILE = "trust/demo-root-ca.pem"
PKCS12_FILE = "agency.p12"
CHAIN_FILE = "chain.pem"
ROOT_DAYS = 3650
LEAF_DAYS = 825
RENEW_BEFORE = dt.timedelta(days=30)


@dataclass(frozen=True)
class DemoPki:
    directory: Path
    created: bool
    agency_subject: str

    @property
    def pkcs12(self) -> Path:
        return self.directory / PKCS12_FILE

    @property
    def trust_dir(self) -> Path:
        return (self.directory / ROOT_FILE).parent


def is_demo_name(text: str) -> bool:
    """Whether a certificate subject or issuer as text (e.g. `human_friendly`) names a DEMO certificate."""
    return DEMO_MARK in text or DEMO_MARK.replace(" — ", " - ") in text


def is_demo_certificate(cert: asn1_x509.Certificate) -> bool:
    """A certificate made by `ensure_demo_pki`, or issued by its demo CA."""
    return is_demo_name(str(cert.subject.human_friendly)) or is_demo_name(str(cert.issuer.human_friendly))


def demo_signing_settings(directory: Path) -> dict[str, str]:
    """The signing settings of the demo: the demo PKCS#12 file (unencrypted, in var/), the demo root trusted."""
    return {
        "MOTCUA_SIGNING_BACKEND": "pkcs12",
        "MOTCUA_SIGNING_PKCS12_FILE": str(directory / PKCS12_FILE),
        "MOTCUA_SIGNING_PKCS12_PASSWORD": "",
        "MOTCUA_SIGNING_CHAIN_FILE": str(directory / CHAIN_FILE),
        "MOTCUA_SIGNING_TRUST_ROOTS_DIR": str(directory / Path(ROOT_FILE).parent),
    }


def _current(directory: Path, now: dt.datetime) -> str | None:
    """The agency subject of a usable PKI already in DIRECTORY (None: make a new one)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        _key, leaf, _others = pkcs12.load_key_and_certificates((directory / PKCS12_FILE).read_bytes(), None)
        root_pem = (directory / ROOT_FILE).read_bytes()
    except (OSError, ValueError):
        return None
    from cryptography import x509

    root = x509.load_pem_x509_certificate(root_pem)
    if leaf is None or leaf.issuer != root.subject:
        return None
    if min(leaf.not_valid_after_utc, root.not_valid_after_utc) - RENEW_BEFORE < now:
        return None
    return leaf.subject.rfc4514_string()


def ensure_demo_pki(directory: Path, *, organisation: str, now: dt.datetime | None = None) -> DemoPki:
    """Make the demo root CA and the agency's signing certificate in DIRECTORY unless a usable pair is there.

    The agency certificate is fit for signing documents: digital signature and non-repudiation key usage, the
    document-signing extended key usage (RFC 9336), not a CA. Its key is kept unencrypted (mode 0600) next to it:
    it is a demo key that nothing outside the demo trusts.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID, ObjectIdentifier

    now = now or dt.datetime.now(dt.UTC)
    existing = _current(directory, now)
    if existing is not None:
        return DemoPki(directory, created=False, agency_subject=existing)

    def name(common_name: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"motcua — {DEMO_MARK}"),
                          x509.NameAttribute(NameOID.COMMON_NAME, common_name)])

    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = name(DEMO_MARK)
    root = (
        x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
        .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=ROOT_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    document_signing = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning, RFC 9336
    leaf = (
        x509.CertificateBuilder().subject_name(name(f"{organisation} (DEMO)")).issuer_name(root_name)
        .public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=LEAF_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([document_signing]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    (directory / ROOT_FILE).parent.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    root_pem = root.public_bytes(serialization.Encoding.PEM)
    (directory / ROOT_FILE).write_bytes(root_pem)
    (directory / CHAIN_FILE).write_bytes(root_pem)
    bundle = pkcs12.serialize_key_and_certificates(b"motcua-demo", leaf_key, leaf, [root],
                                                   serialization.NoEncryption())
    target = directory / PKCS12_FILE
    target.touch(mode=0o600, exist_ok=True)
    target.chmod(0o600)
    target.write_bytes(bundle)
    return DemoPki(directory, created=True, agency_subject=leaf.subject.rfc4514_string())
