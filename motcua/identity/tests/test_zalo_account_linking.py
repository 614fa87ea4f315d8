"""A Zalo sign-in never takes over an account by its phone number: a Zalo account is linked to an existing account
only from a session already signed in to that account; otherwise it gets a separate, lower-assurance account."""

import json

from motcua.identity.models import ApiToken, AssuranceLevel, User, ZaloLink
from motcua.identity.tokens import issue_token
from motcua.portal.tests.test_api import zalo  # noqa: F401 - the loopback Zalo Graph API

ZALO_PHONE = "0901234567"  # the number the fake Zalo Graph API returns
TOKENS = {"access_token": "zalo-user-token", "phone_code": "phone-code"}


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_zalo_sign_in_does_not_take_over_the_account_with_the_same_phone(client, zalo, citizen):  # noqa: F811
    citizen.phone, citizen.assurance_level = ZALO_PHONE, AssuranceLevel.LEVEL_2
    citizen.save()
    response = post(client, "/api/v1/auth/zalo", TOKENS)
    assert response.status_code == 200
    token_user = ApiToken.objects.get(label="zalo").user
    assert token_user != citizen and token_user.national_id is None
    assert token_user.assurance_level == AssuranceLevel.NONE and not token_user.has_usable_password()
    assert ZaloLink.objects.get().user == token_user
    mine = client.get("/api/v1/me/dossiers", HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert mine.status_code == 200 and mine.json() == []


def test_a_signed_in_citizen_links_zalo_then_zalo_signs_in_to_that_account(client, zalo, citizen):  # noqa: F811
    assert post(client, "/api/v1/auth/zalo/link", TOKENS).status_code == 401  # not signed in
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(citizen)}"}
    linked = post(client, "/api/v1/auth/zalo/link", TOKENS, **bearer)
    assert linked.status_code == 200 and linked.json() == {"linked": True, "phone": ZALO_PHONE}
    assert post(client, "/api/v1/auth/zalo/link", TOKENS, **bearer).status_code == 200  # idempotent
    signed_in = post(client, "/api/v1/auth/zalo", TOKENS)
    assert signed_in.status_code == 200
    token = ApiToken.objects.filter(label="zalo").get()
    assert token.user == citizen and token.assurance_level == AssuranceLevel.NONE  # Zalo proves no level
    assert User.objects.filter(username__startswith="zalo").count() == 0


def test_a_zalo_account_linked_elsewhere_is_not_moved(client, zalo, citizen, other_citizen):  # noqa: F811
    client.force_login(citizen)
    assert post(client, "/api/v1/auth/zalo/link", TOKENS).status_code == 200  # from the web session
    refused = post(client, "/api/v1/auth/zalo/link", TOKENS,
                   HTTP_AUTHORIZATION=f"Bearer {issue_token(other_citizen)}")
    assert refused.status_code == 400 and "đã được liên kết" in refused.json()["message_vi"]
    assert ZaloLink.objects.get().user == citizen


def test_a_citizen_who_began_with_zalo_moves_the_link_to_their_vneid_account(client, zalo, citizen):  # noqa: F811
    first = post(client, "/api/v1/auth/zalo", TOKENS)  # an empty Zalo-only account
    zalo_only = ApiToken.objects.get(label="zalo").user
    assert first.status_code == 200 and zalo_only != citizen
    moved = post(client, "/api/v1/auth/zalo/link", TOKENS, HTTP_AUTHORIZATION=f"Bearer {issue_token(citizen)}")
    assert moved.status_code == 200 and ZaloLink.objects.get().user == citizen
    post(client, "/api/v1/auth/zalo", TOKENS)
    assert ApiToken.objects.filter(label="zalo").latest("pk").user == citizen


def test_a_zalo_only_account_in_use_is_not_emptied(client, zalo, citizen):  # noqa: F811
    from motcua.identity.actions import register_organisation

    post(client, "/api/v1/auth/zalo", TOKENS)
    zalo_only = ApiToken.objects.get(label="zalo").user
    register_organisation(representative=zalo_only, tax_code="0100109106", name="Công ty ABC")
    refused = post(client, "/api/v1/auth/zalo/link", TOKENS, HTTP_AUTHORIZATION=f"Bearer {issue_token(citizen)}")
    assert refused.status_code == 400 and ZaloLink.objects.get().user == zalo_only
