"""Signing with the key on a PKCS#11 token (SoftHSM2 standing in for the agency's HSM / USB token)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from motcua.signing import config
from motcua.signing.pdf import Stamp, sign_pdf, verify_pdf

MODULE = next((p for p in ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                           "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so") if Path(p).exists()), "")
pytestmark = pytest.mark.skipif(not MODULE or not shutil.which("softhsm2-util"),
                                reason="SoftHSM2 is not installed (apt softhsm2; .ci/run installs it)")


@pytest.fixture
def token(tmp_path, pki, monkeypatch):
    """A fresh SoftHSM2 token holding the agency's key and certificate under the label 'agency'."""
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "motcua", "--pin", "123456",
                    "--so-pin", "12345678"], check=True, capture_output=True, env=env)
    key_file = tmp_path / "agency.key"
    key_file.write_bytes(pki.agency.key_pem)
    subprocess.run(["softhsm2-util", "--import", str(key_file), "--token", "motcua", "--label", "agency",
                    "--id", "01", "--pin", "123456"], check=True, capture_output=True, env=env)
    key_file.unlink()
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    lib = pkcs11.lib(MODULE)
    with lib.get_token(token_label="motcua").open(rw=True, user_pin="123456") as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: "agency", Attribute.ID: b"\x01",
            Attribute.VALUE: pki.agency.cert.public_bytes(serialization.Encoding.DER),
            Attribute.SUBJECT: pki.agency.cert.subject.public_bytes(),
        })
    return tmp_path


def test_a_pkcs11_token_signs_a_result_our_verifier_accepts(settings, token, pki, draft, trust_dir):
    settings.MOTCUA_SIGNING_BACKEND = "pkcs11"
    settings.MOTCUA_SIGNING_PKCS11_LIB = MODULE
    settings.MOTCUA_SIGNING_PKCS11_TOKEN_LABEL = "motcua"
    settings.MOTCUA_SIGNING_PKCS11_PIN = "123456"
    settings.MOTCUA_SIGNING_PKCS11_KEY_LABEL = "agency"
    settings.MOTCUA_SIGNING_PKCS11_CERT_LABEL = "agency"
    settings.MOTCUA_SIGNING_CHAIN_FILE = str(trust_dir / "root.pem")
    settings.MOTCUA_SIGNING_TRUST_ROOTS_DIR = str(trust_dir)
    with config.agency_signer() as signer:
        signed = sign_pdf(draft, signer=signer, stamp=Stamp(lines=("Ký bởi: %(signer)s",),
                                                            verification_url="https://e/xac-thuc/x/"))
    verdict = verify_pdf(signed, trust_roots=config.trust_roots())
    assert verdict.valid, verdict.problems
    assert verdict.signatures[0].signer_serial == format(pki.agency.cert.serial_number, "x")


def test_a_wrong_pin_is_a_signing_error(settings, token):
    from motcua.signing.pdf import SigningError

    settings.MOTCUA_SIGNING_BACKEND = "pkcs11"
    settings.MOTCUA_SIGNING_PKCS11_LIB = MODULE
    settings.MOTCUA_SIGNING_PKCS11_TOKEN_LABEL = "motcua"
    settings.MOTCUA_SIGNING_PKCS11_PIN = "000000"
    settings.MOTCUA_SIGNING_PKCS11_KEY_LABEL = "agency"
    with pytest.raises(SigningError), config.agency_signer():
        pass
