"""The `acr` an OIDC provider returns is checked: the level it proves is kept on the session and the account; a
missing, unknown or lower `acr` than the one asked for is handled (lower level, the citizen told), never ignored."""

import pytest

from motcua.identity.assurance import SESSION_KEY
from motcua.identity.models import AssuranceLevel, User
from motcua.identity.tests.test_oidc_sign_in import sign_in


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


@pytest.mark.django_db
def test_the_level_vouched_for_is_stored_on_the_session_and_the_account(client, vneid):
    response = sign_in(client, "001099012345")  # the provider vouches for LoA2, as asked
    assert client.session[SESSION_KEY] == AssuranceLevel.LEVEL_2
    assert User.objects.get(national_id="001099012345").assurance_level == AssuranceLevel.LEVEL_2
    assert messages_of(response) == []


@pytest.mark.django_db
def test_a_lower_acr_than_asked_for_gives_the_lower_level_and_says_so(client, vneid):
    response = sign_in(client, "001099012345:LoA1")
    assert client.session[SESSION_KEY] == AssuranceLevel.LEVEL_1
    assert User.objects.get(national_id="001099012345").assurance_level == AssuranceLevel.LEVEL_1
    assert any("mức 1" in m and "VNeID" in m for m in messages_of(response))


@pytest.mark.django_db
def test_a_missing_acr_proves_no_level(client, vneid, citizen):
    citizen.assurance_level = AssuranceLevel.LEVEL_2  # a level from an earlier sign-in is not kept
    citizen.save()
    response = sign_in(client, f"{citizen.national_id}:none")
    assert int(client.session["_auth_user_id"]) == citizen.pk
    assert client.session[SESSION_KEY] == AssuranceLevel.NONE
    citizen.refresh_from_db()
    assert citizen.assurance_level == AssuranceLevel.NONE
    assert any("không xác nhận" in m for m in messages_of(response))


@pytest.mark.django_db
def test_an_unknown_acr_proves_no_level(client, vneid, settings):
    settings.MOTCUA_OIDC_PROVIDERS = {"vneid": {**settings.MOTCUA_OIDC_PROVIDERS["vneid"],
                                                "acr_levels": {"LoA2": 2}}}  # LoA1 means nothing here
    sign_in(client, "001099012345:LoA1")
    assert client.session[SESSION_KEY] == AssuranceLevel.NONE
