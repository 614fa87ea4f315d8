"""A sign-in without `next` leads to the user's own start page, on both sign-in pages: staff to the back office,
administrators without a working role to the administration, citizens to their dossiers (never Django's
/accounts/profile/, which does not exist)."""

import pytest
from django.urls import reverse

PASSWORD = "mat-khau-dung-0123"


@pytest.mark.parametrize("page", ["portal:login", "backoffice:login"])
@pytest.mark.parametrize(("who", "landing"), [
    ("citizen", "portal:my_dossiers"), ("clerk", "backoffice:home"), ("leader", "backoffice:home"),
    ("agency_admin", "admin:index"),
])
def test_sign_in_without_next_lands_on_the_users_start_page(client, request, page, who, landing):
    user = request.getfixturevalue(who)
    user.set_password(PASSWORD)
    user.save()
    response = client.post(reverse(page), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)
    assert client.get(response["Location"]).status_code == 200


def test_a_safe_next_is_still_followed(client, citizen):
    citizen.set_password(PASSWORD)
    citizen.save()
    response = client.post(reverse("portal:login") + "?next=/tra-cuu/",
                           {"username": citizen.username, "password": PASSWORD})
    assert response["Location"] == "/tra-cuu/"
