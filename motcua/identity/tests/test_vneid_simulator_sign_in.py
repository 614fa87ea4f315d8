"""Sign-in through the VNeID simulator (simulators/vneid.py), end to end with Authlib: a level 1 and a level 2 account
give their level on the session and the account; an ID token that does not verify (bad signature, another nonce,
expired) and a failing provider end on a clear failure page, signed out; every call to the provider is evidence."""

import pytest

from motcua.identity.assurance import SESSION_KEY
from motcua.identity.models import AssuranceLevel, User
from motcua.identity.tests.vneid_sim import LEVEL_1, LEVEL_2, sign_in_with_vneid
from motcua.integrations.models import CallRecord

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_a_level_2_account_signs_in_at_level_2(client, vneid_sim):
    response = sign_in_with_vneid(client, LEVEL_2.national_id, next_url="/thu-tuc/")
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/"
    user = User.objects.get(national_id=LEVEL_2.national_id)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[SESSION_KEY] == AssuranceLevel.LEVEL_2 == user.assurance_level
    assert (user.full_name, user.phone) == (LEVEL_2.full_name, LEVEL_2.phone)  # from userinfo (not in the ID token)
    assert messages_of(response) == []
    assert vneid_sim.state.snapshot()["sign_ins"][0]["outcome"] == "issued"


def test_a_level_1_account_signs_in_at_level_1_and_is_told_how_to_raise_it(client, vneid_sim):
    response = sign_in_with_vneid(client, LEVEL_1.national_id)
    assert client.session[SESSION_KEY] == AssuranceLevel.LEVEL_1
    assert User.objects.get(national_id=LEVEL_1.national_id).assurance_level == AssuranceLevel.LEVEL_1
    assert any("mức 1" in m and "VNeID" in m for m in messages_of(response))


def test_every_call_to_the_provider_is_evidence(client, vneid_sim):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    calls = list(CallRecord.objects.filter(system="oidc:vneid").values_list("operation", "status_code"))
    assert {op for op, _status in calls} >= {"GET openid-configuration", "POST token", "GET jwks", "GET userinfo"}
    assert all(status == 200 for _op, status in calls)
    token_call = CallRecord.objects.filter(system="oidc:vneid", operation="POST token").first()
    assert len(token_call.request_sha256) == 64 and token_call.response_size > 0


@pytest.mark.parametrize("fault", ["bad_signature_next", "wrong_nonce_next", "expired_next"])
def test_an_id_token_that_does_not_verify_is_refused_clearly(client, vneid_sim, fault):
    vneid_sim.state.faults.update({fault: 1})
    response = sign_in_with_vneid(client, LEVEL_2.national_id)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Không xác minh được thông tin đăng nhập" in page and "đăng nhập lại" in page
    assert "_auth_user_id" not in client.session and SESSION_KEY not in client.session
    assert not User.objects.filter(national_id=LEVEL_2.national_id).exists()
    # The next sign-in (no fault left) goes through.
    sign_in_with_vneid(client, LEVEL_2.national_id)
    assert client.session[SESSION_KEY] == AssuranceLevel.LEVEL_2


def test_an_id_token_without_acr_proves_no_level(client, vneid_sim):
    vneid_sim.state.faults.update({"missing_acr_next": 1})
    response = sign_in_with_vneid(client, LEVEL_2.national_id)
    assert client.session[SESSION_KEY] == AssuranceLevel.NONE
    assert any("không xác nhận" in m for m in messages_of(response))


@pytest.mark.parametrize("fault", [{"fail_next": 1}, {"malformed_next": 1}])
def test_a_failing_provider_ends_on_the_failure_page(client, vneid_sim, fault):
    vneid_sim.state.faults.update(fault)
    response = sign_in_with_vneid(client, LEVEL_2.national_id)
    assert response.status_code == 400
    assert "Không xác thực được với nhà cung cấp định danh" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert CallRecord.objects.filter(system="oidc:vneid", operation="POST token").exclude(error="").exists() \
        or fault == {"malformed_next": 1}


def test_cancelling_at_the_provider_signs_nobody_in(client, vneid_sim):
    response = sign_in_with_vneid(client, "", choice="cancel")
    assert response.status_code == 400 and "Đăng nhập đã bị hủy" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_is_used_once(client, vneid_sim):
    from urllib.parse import parse_qs, urlparse

    from django.urls import reverse

    from motcua.identity.tests.vneid_sim import pick_person

    start = client.get(reverse("identity:oidc_login", args=["vneid"]))
    back = urlparse(pick_person(start["Location"], LEVEL_2.national_id))
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    assert client.get(back.path, query).status_code == 302
    client.logout()
    replay = client.get(back.path, query)  # the same code again (and the state is spent too)
    assert replay.status_code == 400 and "_auth_user_id" not in client.session
