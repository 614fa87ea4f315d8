"""A throw-away PKI for the tests, made with `cryptography`: a root CA, the agency's signing certificate, a
timestamp authority, and the bad cases (an expired certificate, one from a CA nobody trusts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.UTC)


def name(common_name: str, org: str = "UBND tỉnh Đồng Nai (thử nghiệm)") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Issued:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())


def make_ca(common_name: str) -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder().subject_name(name(common_name)).issuer_name(name(common_name))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=3650)).not_valid_after(NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key)


def issue(ca: Issued, common_name: str, *, not_before: dt.datetime | None = None,
          not_after: dt.datetime | None = None, timestamping: bool = False, crl_url: str = "",
          org: str = "") -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = name(common_name, org) if org else name(common_name)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(ca.cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - dt.timedelta(days=1))
        .not_valid_after(not_after or NOW + dt.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not timestamping,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     key_cert_sign=False, crl_sign=False, encipher_only=False,
                                     decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    if timestamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if crl_url:  # verifiers check revocation of a certificate that says where its CRL is
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None, reasons=None,
            crl_issuer=None)]), critical=False)
    return Issued(builder.sign(ca.key, hashes.SHA256()), key)


def write_pkcs12(path: Path, leaf: Issued, ca: Issued, password: bytes) -> Path:
    data = pkcs12.serialize_key_and_certificates(
        b"agency", leaf.key, leaf.cert, [ca.cert], serialization.BestAvailableEncryption(password))
    path.write_bytes(data)
    return path


@dataclass
class TestPki:
    root: Issued
    agency: Issued
    tsa: Issued
    expired: Issued
    stranger_root: Issued
    stranger: Issued
    citizen: Issued


def build_pki() -> TestPki:
    root = make_ca("CA thử nghiệm motcua")
    stranger_root = make_ca("CA không được tin cậy")
    return TestPki(
        root=root,
        agency=issue(root, "Văn phòng Đăng ký đất đai tỉnh Đồng Nai"),
        tsa=issue(root, "TSA thử nghiệm", timestamping=True),
        expired=issue(root, "Chứng thư đã hết hạn", not_before=NOW - dt.timedelta(days=400),
                      not_after=NOW - dt.timedelta(days=30)),
        stranger_root=stranger_root,
        stranger=issue(stranger_root, "Người lạ"),
        citizen=issue(root, "Nguyễn Văn An"),
    )
