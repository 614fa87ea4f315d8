"""Two-factor sign-in for staff (TOTP with backup codes): required for leaders and administrators, configurable
for other roles, enforced on every page after the password; citizens are not concerned."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "mat-khau-dung-0123"
ROOT = Path(__file__).resolve().parents[3]
REQUIRED = override_settings(MOTCUA_TWO_FACTOR_OPTIONAL=False)


def code_of(device, at=None):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def password_sign_in(client, user, page="backoffice:login"):
    user.set_password(PASSWORD)
    user.save()
    return client.post(reverse(page), {"username": user.username, "password": PASSWORD})


@pytest.fixture
def enrolled_leader(leader):
    device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    backup = StaticDevice.objects.create(user=leader, name="backup", confirmed=True)
    StaticToken.objects.create(device=backup, token="abcd2345")
    return leader, device


@REQUIRED
def test_a_leader_must_enrol_then_reaches_the_pages(client, leader):
    response = password_sign_in(client, leader)
    assert response["Location"] == reverse("backoffice:home")
    for page in (reverse("backoffice:home"), reverse("reports:report"), reverse("admin:index")):
        blocked = client.get(page)
        assert blocked.status_code == 302
        assert blocked["Location"].startswith(reverse("identity:two_factor_enrol") + "?next=")
    page = client.get(reverse("identity:two_factor_enrol") + "?next=/bao-cao/")
    assert page.status_code == 200 and 'src="data:image/svg+xml' in page.content.decode()
    assert "Thiết lập xác thực hai bước" in page.content.decode()
    device = TOTPDevice.objects.get(user=leader, confirmed=False)
    assert client.post(reverse("identity:two_factor_enrol"), {"token": "000000"}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next one wait a second (django-otp's throttling)
    done = client.post(reverse("identity:two_factor_enrol"), {"token": code_of(device), "next": "/bao-cao/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(c in done.content.decode() for c in codes)
    assert done.context["continue_url"] == "/bao-cao/"
    assert TOTPDevice.objects.get(user=leader).confirmed
    assert client.get(reverse("backoffice:home")).status_code == 200
    assert client.get(reverse("reports:report")).status_code == 200


@REQUIRED
def test_an_enrolled_leader_gives_a_code_after_the_password(client, enrolled_leader):
    leader, device = enrolled_leader
    password_sign_in(client, leader)
    blocked = client.get(reverse("reports:report"))
    assert blocked["Location"] == reverse("identity:two_factor_verify") + "?next=%2Fbao-cao%2F"
    url = reverse("identity:two_factor_verify")
    wrong = client.post(url, {"token": "123456", "next": "/bao-cao/"})
    assert wrong.status_code == 400 and "_auth_user_id" in client.session
    assert client.get(reverse("reports:report")).status_code == 302  # still not through
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code; this test is not about that
    right = client.post(url, {"token": code_of(device), "next": "/bao-cao/"})
    assert right.status_code == 302 and right["Location"] == "/bao-cao/"
    assert client.get(reverse("reports:report")).status_code == 200


@REQUIRED
def test_a_backup_code_works_once(client, enrolled_leader):
    leader, _device = enrolled_leader
    password_sign_in(client, leader)
    assert client.post(reverse("identity:two_factor_verify"), {"token": "ABCD 2345"}).status_code == 302
    assert client.get(reverse("backoffice:home")).status_code == 200
    client.logout()
    password_sign_in(client, leader)
    assert client.post(reverse("identity:two_factor_verify"), {"token": "abcd2345"}).status_code == 400


@REQUIRED
def test_wrong_codes_make_the_next_attempt_wait(client, enrolled_leader):
    leader, device = enrolled_leader
    password_sign_in(client, leader)
    for _ in range(3):
        client.post(reverse("identity:two_factor_verify"), {"token": "000000"})
    assert client.post(reverse("identity:two_factor_verify"), {"token": code_of(device)}).status_code == 400


@REQUIRED
def test_clerks_are_not_required_unless_configured(client, clerk):
    password_sign_in(client, clerk)
    assert client.get(reverse("backoffice:home")).status_code == 200
    with override_settings(MOTCUA_TWO_FACTOR_ROLES=["clerk"]):
        assert client.get(reverse("backoffice:home"))["Location"].startswith(reverse("identity:two_factor_enrol"))


@REQUIRED
def test_administrators_are_required_on_the_admin_too(client, agency_admin):
    password_sign_in(client, agency_admin, page="admin:login")
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("identity:two_factor_enrol"))


@REQUIRED
def test_citizens_are_not_concerned(client, citizen):
    password_sign_in(client, citizen, page="portal:login")
    assert client.get(reverse("portal:my_dossiers")).status_code == 200
    assert client.get(reverse("identity:two_factor_enrol")).status_code == 404


def test_the_demo_setting_keeps_enrolment_optional_but_an_enrolled_device_is_still_asked_for(
        client, leader, settings):
    assert settings.MOTCUA_TWO_FACTOR_OPTIONAL  # the test profile, like a demo started with the setting
    password_sign_in(client, leader)
    assert client.get(reverse("backoffice:home")).status_code == 200
    client.logout()
    TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    password_sign_in(client, leader)
    assert client.get(reverse("backoffice:home"))["Location"].startswith(reverse("identity:two_factor_verify"))


def test_production_refuses_the_demo_setting(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "SECRET_KEY", "DEBUG",
                                                                     "ALLOWED_HOSTS", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_VAR_DIR=str(tmp_path), MOTCUA_PRODUCTION="true",
               SECRET_KEY="x" * 60, ALLOWED_HOSTS="testserver", MOTCUA_TWO_FACTOR_OPTIONAL="true")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0 and "MOTCUA_TWO_FACTOR_OPTIONAL" in result.stderr
