"""Citizen sign-in through a real OIDC provider on loopback: code flow with PKCE, VNeID-style claims."""

import re
from html import unescape
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from django.urls import reverse

from motcua.identity.models import User


def browse_provider(authorize_url, national_id):
    """Act as the citizen's browser at the provider: log in, consent, and return the redirect back to us."""
    browser = requests.Session()
    url = authorize_url
    for _hop in range(12):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (302, 303):
            location = urljoin(url, response.headers["Location"])
            if location.startswith("http://testserver/"):
                return location
            url = location
            continue
        action = unescape(re.search(r'<form[^>]*action="([^"]+)"', response.text).group(1))
        prompt = re.search(r'name="prompt" value="(\w+)"', response.text).group(1)
        fields = {"prompt": prompt}
        if prompt == "login":
            fields.update(login=national_id, password="any")
        response = browser.post(urljoin(url, action), data=fields, allow_redirects=False, timeout=10)
        url = urljoin(url, response.headers["Location"])
        if url.startswith("http://testserver/"):
            return url
    raise AssertionError("the provider did not send the browser back")


def sign_in(client, national_id, next_url=""):
    start = client.get(reverse("identity:oidc_login", args=["vneid"]), {"next": next_url} if next_url else {})
    assert start.status_code == 302
    authorize = start["Location"]
    query = parse_qs(urlparse(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["acr_values"] == ["LoA2"]
    back = browse_provider(authorize, national_id)
    parsed = urlparse(back)
    return client.get(parsed.path, parse_qs(parsed.query))


@pytest.mark.django_db
def test_first_sign_in_creates_the_citizen_from_vneid_claims(client, vneid):
    response = sign_in(client, "001099012345", next_url="/thu-tuc/")
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/"
    user = User.objects.get(national_id="001099012345")
    assert (user.full_name, user.phone, user.email) == ("Lê Minh Châu", "0901234567", "chau@example.vn")
    assert not user.has_usable_password()
    assert int(client.session["_auth_user_id"]) == user.pk


def test_existing_citizen_is_recognised_by_id_number(client, vneid, citizen):
    sign_in(client, citizen.national_id)
    assert int(client.session["_auth_user_id"]) == citizen.pk
    assert User.objects.filter(national_id=citizen.national_id).count() == 1


@pytest.mark.django_db
def test_forged_state_is_refused(client, vneid):
    start = client.get(reverse("identity:oidc_login", args=["vneid"]))
    back = urlparse(browse_provider(start["Location"], "075090001234"))
    query = parse_qs(back.query)
    query["state"] = ["forged"]
    response = client.get(back.path, query)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unreachable_provider_fails_cleanly(client, settings):
    settings.MOTCUA_OIDC_PROVIDERS = {"vneid": {
        **settings.MOTCUA_OIDC_PROVIDERS["vneid"], "server_metadata_url": "http://127.0.0.1:9/.well-known/x",
        "client_id": "motcua", "timeout": 2}}
    response = client.get(reverse("identity:oidc_login", args=["vneid"]))
    assert response.status_code == 400
    assert "Không kết nối được" in response.content.decode()


@pytest.mark.django_db
def test_unconfigured_provider_is_404(client):
    assert client.get(reverse("identity:oidc_login", args=["vneid"])).status_code == 404


@pytest.mark.django_db
def test_sign_in_page_offers_the_configured_providers(client, vneid):
    page = client.get(reverse("portal:login")).content.decode()
    assert "VNeID" in page and reverse("identity:oidc_login", args=["vneid"]) in page
