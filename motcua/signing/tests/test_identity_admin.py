"""The certificate map in the admin: "Ký thử" opens the identity's key, signs a small PDF, checks it and records the
certificate (subject, serial, expiry, its PEM); a wrong PIN or a certificate nobody trusts is reported, not hidden."""

import pytest
from django.contrib.auth import get_user_model

from motcua.signing.models import SigningIdentity
from motcua.signing.tests.pki import write_pkcs12

URL = "/quan-tri/signing/signingidentity/"


@pytest.fixture
def superuser_client(client, db):
    user = get_user_model().objects.create_superuser("quantri.he-thong", "qt@example.invalid", "mat-khau-dai-0123")
    client.force_login(user)
    return client


def test_ky_thu_records_the_certificate_or_says_what_is_wrong(superuser_client, settings, pki, tmp_path, trust_dir,
                                                              demo_agencies, monkeypatch):
    settings.MOTCUA_SIGNING_TRUST_ROOTS_DIR = str(trust_dir)
    settings.MOTCUA_SIGNING_TSA_URL = ""
    monkeypatch.setenv("MOTCUA_SIGNING_SECRET_VPDKDD", "dung")
    good = SigningIdentity.objects.create(
        name="VPĐKĐĐ", agency=demo_agencies["land_office"], kind="file", secret_name="MOTCUA_SIGNING_SECRET_VPDKDD",
        key_reference=str(write_pkcs12(tmp_path / "a.p12", pki.agency, pki.root, b"dung")))
    stranger = SigningIdentity.objects.create(
        name="Người lạ", agency=demo_agencies["tran_bien"], kind="file", secret_name="MOTCUA_SIGNING_SECRET_VPDKDD",
        key_reference=str(write_pkcs12(tmp_path / "b.p12", pki.stranger, pki.stranger_root, b"dung")))
    wrong_pin = SigningIdentity.objects.create(
        name="Sai mật khẩu", agency=demo_agencies["long_thanh"], kind="file",
        key_reference=str(write_pkcs12(tmp_path / "c.p12", pki.agency, pki.root, b"khac")))

    page = superuser_client.post(URL, {"action": "test_sign_action", "_selected_action": [good.pk, stranger.pk,
                                                                                            wrong_pin.pk]},
                                 follow=True)
    assert page.status_code == 200
    text = page.content.decode()
    for identity in (good, stranger, wrong_pin):
        identity.refresh_from_db()
        assert identity.last_test_at is not None and identity.name in text
    assert good.last_test_ok is True
    assert good.certificate_serial == format(pki.agency.cert.serial_number, "x")
    assert "Văn phòng Đăng ký đất đai" in good.certificate_subject and good.certificate_not_after is not None
    assert good.certificate_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert stranger.last_test_ok is False and stranger.certificate_subject  # signed, but not trusted
    assert wrong_pin.last_test_ok is False and not wrong_pin.certificate_subject

    # The change form shows the map's fields; the secret is a variable's name, never a value.
    form = superuser_client.get(f"{URL}{good.pk}/change/").content.decode()
    assert "MOTCUA_SIGNING_SECRET_VPDKDD" in form and 'value="dung"' not in form
    bad = superuser_client.post(f"{URL}add/", {"name": "x", "kind": "file", "key_reference": "/x.p12",
                                               "secret_name": "SECRET_KEY", "is_active": "on"})
    assert bad.status_code == 200 and "MOTCUA_SIGNING_SECRET_" in bad.content.decode()
    assert not SigningIdentity.objects.filter(name="x").exists()
