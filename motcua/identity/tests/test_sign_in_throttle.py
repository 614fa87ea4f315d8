"""Password sign-in is limited per user name and per client address, on every sign-in page; the limits reset."""

import time
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse

PASSWORD = "mat-khau-dung-0123"


@pytest.fixture
def staff(clerk):
    clerk.set_password(PASSWORD)
    clerk.save()
    return clerk


def later(seconds):
    """Move django-ratelimit's clock forward (its windows are fixed slices of time.time())."""
    now = time.time()
    return mock.patch("django_ratelimit.core.time", mock.Mock(time=lambda: now + seconds))


def _sign_in(client, url, username, password):
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("page", ["portal:login", "backoffice:login"])
@override_settings(MOTCUA_SIGN_IN_RATE_PER_USER="3/15m", MOTCUA_SIGN_IN_RATE_PER_IP="100/10m")
def test_guessing_one_account_is_stopped_then_allowed_again(client, staff, page):
    url = reverse(page)
    assert [_sign_in(client, url, staff.username, "sai").status_code for _ in range(3)] == [200] * 3
    refused = _sign_in(client, url, staff.username, PASSWORD)  # even the right password, while the limit holds
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in body and "Too many sign-in attempts" in body
    assert "_auth_user_id" not in client.session
    # The user name is the key, not its spelling.
    assert _sign_in(client, url, f"  {staff.username.upper()} ", PASSWORD).status_code == 429
    with later(15 * 60 + 1):
        signed_in = _sign_in(client, url, staff.username, PASSWORD)
    assert signed_in.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)


@override_settings(MOTCUA_SIGN_IN_RATE_PER_USER="100/15m", MOTCUA_SIGN_IN_RATE_PER_IP="4/10m")
def test_spraying_many_accounts_from_one_address_is_stopped(client, staff):
    url = reverse("portal:login")
    codes = [_sign_in(client, url, f"khong-ton-tai-{n}", "sai").status_code for n in range(4)]
    assert codes == [200] * 4
    assert _sign_in(client, url, staff.username, PASSWORD).status_code == 429
    # Another address is not affected.
    other = client.post(url, {"username": staff.username, "password": PASSWORD}, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302
    with later(10 * 60 + 1):
        assert _sign_in(client, url, staff.username, PASSWORD).status_code == 302


@override_settings(MOTCUA_SIGN_IN_RATE_PER_USER="2/15m")
def test_the_admin_sign_in_is_counted_too(client, staff):
    url = reverse("admin:login")
    for _ in range(2):
        _sign_in(client, url, staff.username, "sai")
    response = _sign_in(client, url, staff.username, PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session  # refused
    # …and the attempts made there count on the portal page as well.
    assert _sign_in(client, reverse("portal:login"), staff.username, PASSWORD).status_code == 429


def test_the_default_limits_leave_room_for_typos(client, staff):
    url = reverse("backoffice:login")
    for _ in range(3):
        assert _sign_in(client, url, staff.username, "sai").status_code == 200
    assert _sign_in(client, url, staff.username, PASSWORD).status_code == 302
