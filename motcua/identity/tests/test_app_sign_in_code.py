"""The web portal gives a citizen signed in there a one-time code; the Zalo Mini App exchanges it for a token of
that account at the level that sign-in proved (how the app reaches VNeID level 2), once, within five minutes."""

import datetime as dt
import json
import re

from django.urls import reverse
from django.utils import timezone

from motcua.identity.models import ApiToken, AppSignInCode, AssuranceLevel
from motcua.portal.tests.test_assurance_level import signed_in_at


def exchange(client, code):
    return client.post("/api/v1/auth/app-code", json.dumps({"code": code}), content_type="application/json")


def code_from(response):
    return re.search(r'id="app-code">([A-Z0-9-]+)<', response.content.decode()).group(1)


def test_a_level_2_web_sign_in_gives_the_app_a_level_2_token_once(client, citizen):
    signed_in_at(client, citizen, AssuranceLevel.LEVEL_2)
    page = client.get(reverse("identity:app_code"))
    assert page.status_code == 200 and "app-code" not in page.content.decode()  # only made on request (POST)
    assert "Mã liên kết ứng dụng Zalo Mini App" in page.content.decode() and "Lấy mã" in page.content.decode()
    code = code_from(client.post(reverse("identity:app_code")))
    assert AppSignInCode.objects.get().code_hash != code  # only its digest is kept
    app = client.__class__()
    answer = exchange(app, code.lower().replace("-", " "))  # typed loosely on a phone
    assert answer.status_code == 200
    body = answer.json()
    assert body["assurance_level"] == 2 and body["full_name"] == citizen.full_name
    token = ApiToken.objects.get(label="app-code")
    assert token.user == citizen and token.assurance_level == AssuranceLevel.LEVEL_2
    assert app.get("/api/v1/me/dossiers", HTTP_AUTHORIZATION=f"Bearer {body['token']}").status_code == 200
    again = exchange(app, code)
    assert again.status_code == 400 and "hết hạn" in again.json()["message_vi"]


def test_a_password_sign_in_gives_no_level(client, citizen):
    signed_in_at(client, citizen, None)
    code = code_from(client.post(reverse("identity:app_code")))
    assert exchange(client.__class__(), code).json()["assurance_level"] == 0


def test_codes_expire_and_a_new_one_withdraws_the_old(client, citizen):
    signed_in_at(client, citizen, AssuranceLevel.LEVEL_2)
    first = code_from(client.post(reverse("identity:app_code")))
    second = code_from(client.post(reverse("identity:app_code")))
    assert exchange(client, first).status_code == 400
    AppSignInCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert exchange(client, second).status_code == 400
    assert not ApiToken.objects.exists()


def test_staff_and_strangers_get_no_code(client, clerk):
    assert client.get(reverse("identity:app_code")).status_code == 302  # to the sign-in page
    client.force_login(clerk)
    assert client.post(reverse("identity:app_code")).status_code == 403
    assert not AppSignInCode.objects.exists()
