"""Password sign-in is limited per client address, and per (account, address) with a delay that grows after
every further failure, on every sign-in page. Someone guessing from elsewhere never locks the owner out."""

import time
from contextlib import ExitStack
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse

PASSWORD = "mat-khau-dung-0123"
ATTACKER = "203.0.113.66"


@pytest.fixture
def staff(clerk):
    clerk.set_password(PASSWORD)
    clerk.save()
    return clerk


def later(seconds):
    """Move the clocks of django-ratelimit (fixed windows) and of the per-account delay forward."""
    now = time.time()
    clock = mock.Mock(time=lambda: now + seconds)
    stack = ExitStack()
    stack.enter_context(mock.patch("django_ratelimit.core.time", clock))
    stack.enter_context(mock.patch("motcua.identity.throttling.time", clock))
    return stack


def _sign_in(client, url, username, password, address="127.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("page", ["portal:login", "backoffice:login"])
@override_settings(MOTCUA_SIGN_IN_FREE_FAILURES=3, MOTCUA_SIGN_IN_DELAY_SECONDS=60,
                   MOTCUA_SIGN_IN_RATE_PER_IP="100/10m")
def test_guessing_from_one_address_waits_longer_and_longer(client, staff, page):
    url = reverse(page)
    assert [_sign_in(client, url, staff.username, "sai", ATTACKER).status_code for _ in range(3)] == [200] * 3
    refused = _sign_in(client, url, staff.username, PASSWORD, ATTACKER)  # even the right password, for now
    assert refused.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in refused.content.decode()
    assert "Too many sign-in attempts" not in refused.content.decode()  # one language at a time
    assert "_auth_user_id" not in client.session
    # The user name is the key, not its spelling.
    assert _sign_in(client, url, f"  {staff.username.upper()} ", PASSWORD, ATTACKER).status_code == 429
    with later(61):  # the first delay is over: one more guess, wrong…
        assert _sign_in(client, url, staff.username, "sai", ATTACKER).status_code == 200
    with later(61 + 119):  # …and the next delay is twice as long
        assert _sign_in(client, url, staff.username, PASSWORD, ATTACKER).status_code == 429
    with later(61 + 121):
        signed_in = _sign_in(client, url, staff.username, PASSWORD, ATTACKER)
    assert signed_in.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)


@override_settings(MOTCUA_SIGN_IN_FREE_FAILURES=3, MOTCUA_SIGN_IN_RATE_PER_IP="100/10m")
def test_someone_guessing_elsewhere_does_not_lock_the_owner_out(client, staff):
    url = reverse("backoffice:login")
    for _ in range(20):
        _sign_in(client, url, staff.username, "sai", ATTACKER)
    assert _sign_in(client, url, staff.username, PASSWORD, ATTACKER).status_code == 429
    assert _sign_in(client, url, staff.username, PASSWORD, "198.51.100.7").status_code == 302


@override_settings(MOTCUA_SIGN_IN_FREE_FAILURES=3, MOTCUA_SIGN_IN_RATE_PER_IP="100/10m")
def test_a_right_password_clears_the_failures(client, staff):
    url = reverse("portal:login")
    for _ in range(2):
        _sign_in(client, url, staff.username, "sai")
    assert _sign_in(client, url, staff.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert _sign_in(client, url, staff.username, "sai").status_code == 200
    assert _sign_in(client, url, staff.username, PASSWORD).status_code == 302


@override_settings(MOTCUA_SIGN_IN_FREE_FAILURES=100, MOTCUA_SIGN_IN_RATE_PER_IP="4/10m")
def test_spraying_many_accounts_from_one_address_is_stopped(client, staff):
    url = reverse("portal:login")
    codes = [_sign_in(client, url, f"khong-ton-tai-{n}", "sai").status_code for n in range(4)]
    assert codes == [200] * 4
    assert _sign_in(client, url, staff.username, PASSWORD).status_code == 429
    # Another address is not affected.
    assert _sign_in(client, url, staff.username, PASSWORD, "10.9.8.7").status_code == 302
    client.logout()
    with later(10 * 60 + 1):
        assert _sign_in(client, url, staff.username, PASSWORD).status_code == 302


@override_settings(MOTCUA_SIGN_IN_FREE_FAILURES=2)
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
    for _ in range(4):
        assert _sign_in(client, url, staff.username, "sai").status_code == 200
    assert _sign_in(client, url, staff.username, PASSWORD).status_code == 302
