"""An agency administrator unlocks the sign-in of their agencies' staff and resets a lost two-factor device;
nobody else can, and not for staff of other agencies."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "mat-khau-dung-0123"
ATTACKER = "203.0.113.66"


def _sign_in(client, user, address):
    return client.post(reverse("backoffice:login"), {"username": user.username, "password": PASSWORD},
                       REMOTE_ADDR=address)


@pytest.fixture
def admin_client(client, agency_admin):
    client.force_login(agency_admin)
    return client


def test_the_page_lists_the_agencys_staff_in_vietnamese(admin_client, specialist, tax_specialist):
    TOTPDevice.objects.create(user=specialist, name="app", confirmed=True)
    page = admin_client.get(reverse("identity:staff_accounts"))
    assert page.status_code == 200
    body = page.content.decode()
    assert specialist.username in body and tax_specialist.username not in body  # another agency's
    assert "Mở khóa đăng nhập" in body and "Đặt lại xác thực hai bước" in body


@override_settings(MOTCUA_SIGN_IN_FREE_FAILURES=2)
def test_unlock_lifts_the_sign_in_delay(client, admin_client, specialist):
    from django.test import Client

    specialist.set_password(PASSWORD)
    specialist.save()
    browser = Client()
    for _ in range(3):
        browser.post(reverse("backoffice:login"), {"username": specialist.username, "password": "sai"},
                     REMOTE_ADDR=ATTACKER)
    assert _sign_in(browser, specialist, ATTACKER).status_code == 429
    response = admin_client.post(reverse("identity:staff_account_unlock", args=[specialist.pk]))
    assert response.status_code == 302
    assert _sign_in(browser, specialist, ATTACKER).status_code == 302


def test_reset_removes_the_devices(admin_client, specialist):
    TOTPDevice.objects.create(user=specialist, name="app", confirmed=True)
    StaticDevice.objects.create(user=specialist, name="backup", confirmed=True)
    response = admin_client.post(reverse("identity:staff_account_reset_two_factor", args=[specialist.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=specialist).exists()
    assert not StaticDevice.objects.filter(user=specialist).exists()


def test_staff_of_another_agency_are_out_of_reach(admin_client, tax_specialist):
    TOTPDevice.objects.create(user=tax_specialist, name="app", confirmed=True)
    url = reverse("identity:staff_account_reset_two_factor", args=[tax_specialist.pk])
    assert admin_client.post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=tax_specialist).exists()


@pytest.mark.parametrize("who", ["clerk", "leader", "citizen"])
def test_only_administrators_may(client, request, who, specialist):
    TOTPDevice.objects.create(user=specialist, name="app", confirmed=True)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("identity:staff_accounts")).status_code == 403
    url = reverse("identity:staff_account_reset_two_factor", args=[specialist.pk])
    assert client.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=specialist).exists()
