"""The demo's own certificate authority, so a signed e-result works out of the box in the demo — and only there.

`setup_demo` calls `ensure_demo_pki` to make (once, in ./var/demo-signing/, never in git) a root CA and one
agency signing certificate whose names carry `DEMO_MARK`, then `issue_demo_certificate` for each agency's and
leader's own (`demo_setup.py`); `write_crl` / `revoke` keep the CA's revocation list. `scripts/demo.sh` sets
`MOTCUA_DEMO_SIGNING=true` so the settings sign with that PKCS#12 file, trust that root and check that CRL
(`demo_signing_settings`). A production deployment (`MOTCUA_PRODUCTION=true`) refuses the flag, never signs with
a DEMO certificate and never trusts one (`is_demo_certificate`, used by `motcua.signing.config` and the system
check in `motcua.signing.checks`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]

# Printed in the name of every demo certificate; what the production refusal and the verify page look for.
DEMO_MARK = "DEMO — không dùng cho sản xuất"
ROOT_FILE = "trust/demo-root-ca.pem"
ROOT_KEY_FILE = "ca/root-key.pem"
REVOKED_FILE = "ca/revoked.json"
CRL_FILE = "crl/demo-ca.crl"
IDENTITIES_DIR = "identities"
REMOTE_DIR = "remote"  # the remote-signing simulator's credentials (simulators/remote_signing.py --credentials-dir)
PKCS12_FILE = "agency.p12"
CHAIN_FILE = "chain.pem"
CRL_DAYS = 30
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
    """The signing settings of the demo: the demo PKCS#12 file (unencrypted, in var/), the demo root trusted, its
    CRL checked."""
    return {
        "MOTCUA_SIGNING_BACKEND": "pkcs12",
        "MOTCUA_SIGNING_PKCS12_FILE": str(directory / PKCS12_FILE),
        "MOTCUA_SIGNING_PKCS12_PASSWORD": "",
        "MOTCUA_SIGNING_CHAIN_FILE": str(directory / CHAIN_FILE),
        "MOTCUA_SIGNING_TRUST_ROOTS_DIR": str(directory / Path(ROOT_FILE).parent),
        "MOTCUA_SIGNING_CRL_DIR": str(directory / Path(CRL_FILE).parent),
    }


def _current(directory: Path, now: dt.datetime) -> str | None:
    """The agency subject of a usable PKI already in DIRECTORY (None: make a new one)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        _key, leaf, _others = pkcs12.load_key_and_certificates((directory / PKCS12_FILE).read_bytes(), None)
        root_pem = (directory / ROOT_FILE).read_bytes()
        root_key = _root_key(directory)
    except (OSError, ValueError, TypeError):
        return None
    from cryptography import x509

    root = x509.load_pem_x509_certificate(root_pem)
    if leaf is None or leaf.issuer != root.subject or root.public_key() != root_key.public_key():
        return None
    if min(leaf.not_valid_after_utc, root.not_valid_after_utc) - RENEW_BEFORE < now:
        return None
    return leaf.subject.rfc4514_string()


def _root_key(directory: Path) -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key((directory / ROOT_KEY_FILE).read_bytes(), None)


def _root(directory: Path) -> Any:
    from cryptography import x509

    return x509.load_pem_x509_certificate((directory / ROOT_FILE).read_bytes())


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(data)


def _leaf(root_key: Any, root_name: Any, subject: Any, now: dt.datetime, crl_url: str) -> tuple[Any, Any]:
    """A document-signing certificate under the demo root: digital signature and non-repudiation key usage, the
    document-signing extended key usage (RFC 9336), not a CA; with the CRL's URL when there is one."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ObjectIdentifier

    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    document_signing = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning, RFC 9336
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(root_name)
        .public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=LEAF_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([document_signing]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
    )
    if crl_url:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None, reasons=None,
            crl_issuer=None)]), critical=False)
    return builder.sign(root_key, hashes.SHA256()), leaf_key


def crl_url(public_url: str) -> str:
    """Where motcua publishes the demo CA's CRL (`signing:demo_crl`), printed in every demo certificate."""
    return f"{public_url.rstrip('/')}/xac-thuc/crl/demo-ca.crl" if public_url else ""


def ensure_demo_pki(directory: Path, *, organisation: str, now: dt.datetime | None = None,
                    public_url: str = "") -> DemoPki:
    """Make the demo root CA and the agency's signing certificate in DIRECTORY unless a usable pair is there.

    The root's key is kept (mode 0600) to issue the per-agency and per-leader demo certificates
    (`issue_demo_certificate`) and to sign the CRL (`write_crl`, `revoke`). Every key here is a demo key that
    nothing outside the demo trusts.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = now or dt.datetime.now(dt.UTC)
    existing = _current(directory, now)
    if existing is not None:
        write_crl(directory, now=now, only_if_stale=True)
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
    leaf, leaf_key = _leaf(root_key, root_name, name(f"{organisation} (DEMO)"), now, crl_url(public_url))
    (directory / ROOT_FILE).parent.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    root_pem = root.public_bytes(serialization.Encoding.PEM)
    (directory / ROOT_FILE).write_bytes(root_pem)
    (directory / CHAIN_FILE).write_bytes(root_pem)
    _write_private(directory / ROOT_KEY_FILE, root_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    for folder in (IDENTITIES_DIR, REMOTE_DIR):  # issued by a previous root: no longer valid
        for stale in (directory / folder).glob("*.p12"):
            stale.unlink()
    (directory / REVOKED_FILE).unlink(missing_ok=True)
    bundle = pkcs12.serialize_key_and_certificates(b"motcua-demo", leaf_key, leaf, [root],
                                                   serialization.NoEncryption())
    _write_private(directory / PKCS12_FILE, bundle)
    write_crl(directory, now=now)
    return DemoPki(directory, created=True, agency_subject=leaf.subject.rfc4514_string())


def issue_demo_certificate(directory: Path, key: str, *, common_name: str, organisation: str,
                           now: dt.datetime | None = None, public_url: str = "", folder: str = IDENTITIES_DIR) -> Path:
    """The demo PKCS#12 file (unencrypted) of one agency or leader, `identities/<KEY>.p12`, made once under the
    demo root (`ensure_demo_pki` first); kept while valid and issued by the current root."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = now or dt.datetime.now(dt.UTC)
    if not key.replace("-", "").replace("_", "").replace(".", "").isalnum() or key.startswith("."):
        raise ValueError(f"not a file-safe key: {key!r}")
    path = directory / folder / f"{key}.p12"
    root = _root(directory)
    try:
        _k, existing, _o = pkcs12.load_key_and_certificates(path.read_bytes(), None)
        if existing is not None and existing.issuer == root.subject and \
                existing.not_valid_after_utc - RENEW_BEFORE > now:
            return path
    except (OSError, ValueError):
        pass
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                         x509.NameAttribute(NameOID.COMMON_NAME, f"{common_name} (DEMO)")])
    leaf, leaf_key = _leaf(_root_key(directory), root.subject, subject, now, crl_url(public_url))
    _write_private(path, pkcs12.serialize_key_and_certificates(
        key.encode(), leaf_key, leaf, [root], serialization.NoEncryption()))
    return path


def _revoked(directory: Path) -> dict[str, str]:
    """Serial (lower-case hex) -> revocation time (ISO 8601) of the demo certificates revoked so far."""
    import json

    try:
        data = json.loads((directory / REVOKED_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def revoked_serials(directory: Path) -> set[str]:
    return set(_revoked(directory))


def write_crl(directory: Path, *, now: dt.datetime | None = None, only_if_stale: bool = False) -> Path:
    """(Re)issue the demo CA's CRL, `crl/demo-ca.crl` (DER), listing every revoked demo certificate; valid for
    CRL_DAYS (re-issued by setup_demo when less than a day is left, and at every revocation)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    now = now or dt.datetime.now(dt.UTC)
    path = directory / CRL_FILE
    if only_if_stale:
        try:
            current = x509.load_der_x509_crl(path.read_bytes())
            if current.next_update_utc and current.next_update_utc - dt.timedelta(days=1) > now and \
                    len(list(current)) == len(_revoked(directory)):
                return path
        except (OSError, ValueError):
            pass
    root = _root(directory)
    builder = (x509.CertificateRevocationListBuilder().issuer_name(root.subject)
               .last_update(now - dt.timedelta(minutes=5)).next_update(now + dt.timedelta(days=CRL_DAYS))
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root.public_key()), critical=False)
               .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False))
    for serial, when in _revoked(directory).items():
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(int(serial, 16))
            .revocation_date(dt.datetime.fromisoformat(when)).build())
    crl = builder.sign(_root_key(directory), hashes.SHA256())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(crl.public_bytes(serialization.Encoding.DER))
    return path


def revoke(directory: Path, serial: str, *, now: dt.datetime | None = None) -> bool:
    """Revoke the demo certificate with serial number SERIAL (hex) and re-issue the CRL. False if it was already
    revoked (idempotent)."""
    import json

    now = now or dt.datetime.now(dt.UTC)
    serial = serial.lower().removeprefix("0x").lstrip("0") or "0"
    int(serial, 16)  # ValueError when it is not hex
    revoked = _revoked(directory)
    if serial in revoked:
        return False
    revoked[serial] = (now - dt.timedelta(seconds=1)).isoformat()
    (directory / REVOKED_FILE).write_text(json.dumps(revoked, indent=1))
    write_crl(directory, now=now)
    return True


def demo_certificates(directory: Path) -> list[tuple[str, Any]]:
    """(file, certificate) of every demo signing certificate in DIRECTORY (the deployment-wide one and each
    agency's and leader's)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    found = []
    for path in [directory / PKCS12_FILE, *sorted((directory / IDENTITIES_DIR).glob("*.p12")),
                 *sorted((directory / REMOTE_DIR).glob("*.p12"))]:
        try:
            _key, cert, _others = pkcs12.load_key_and_certificates(path.read_bytes(), None)
        except (OSError, ValueError):
            continue
        if cert is not None:
            found.append((str(path.relative_to(directory)), cert))
    return found
