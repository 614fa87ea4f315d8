"""The VNeID simulator on its own: discovery and keys, an unregistered redirect URI refused without redirecting,
one-time codes bound to PKCE and the client, userinfo by Bearer token, faults validated, a Vietnamese page."""

import base64
import hashlib
import json
import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlparse

import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from simulators.vneid import PEOPLE, SimulatorConfig, VneidSimulator

CALLBACK = "http://127.0.0.1:9/cb/"
VERIFIER = "v" * 50
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()


def authorize(sim, **extra):
    params = {"response_type": "code", "client_id": sim.config.client_id, "redirect_uri": CALLBACK,
              "scope": "openid profile", "state": "s1", "nonce": "n1", "code_challenge": CHALLENGE,
              "code_challenge_method": "S256", "acr_values": "LoA2", **extra}
    return requests.get(f"{sim.url}/authorize?{urlencode(params)}", timeout=5)


def choose(sim, page, national_id):
    for form in re.findall(r"<form[^>]*>(.*?)</form>", page.text, flags=re.S):
        fields = {n: unescape(v) for n, v in re.findall(r'name="([^"]+)" value="([^"]*)"', form)}
        if fields.get("national_id") == national_id:
            return requests.post(f"{sim.url}/authorize", data=fields, allow_redirects=False, timeout=5)
    raise AssertionError(national_id)


def token(sim, code, **extra):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
            "client_id": sim.config.client_id, "client_secret": sim.config.client_secret,
            "code_verifier": VERIFIER, **extra}
    return requests.post(f"{sim.url}/token", data=form, timeout=5)


def test_the_code_flow_gives_a_signed_id_token_with_the_accounts_level():
    with VneidSimulator(SimulatorConfig(redirect_uris=(CALLBACK,))) as sim:
        meta = requests.get(f"{sim.url}/.well-known/openid-configuration", timeout=5).json()
        assert meta["issuer"] == sim.url and meta["acr_values_supported"] == ["LoA1", "LoA2"]
        keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=5).json())
        page = authorize(sim)
        assert page.status_code == 200 and 'lang="vi"' in page.text and "mức yêu cầu: mức 2" in page.text
        for person in PEOPLE[:2]:
            back = choose(sim, authorize(sim), person.national_id)
            query = parse_qs(urlparse(back.headers["Location"]).query)
            assert back.headers["Location"].startswith(CALLBACK) and query["state"] == ["s1"]
            code = query["code"][0]
            assert token(sim, code, code_verifier="w" * 50).json()["error"] == "invalid_grant"  # PKCE (and spent)
            back = choose(sim, authorize(sim), person.national_id)
            code = parse_qs(urlparse(back.headers["Location"]).query)["code"][0]
            answer = token(sim, code).json()
            claims = jwt.decode(answer["id_token"], keys).claims
            assert claims["acr"] == ("LoA2" if person.level == 2 else "LoA1") and claims["nonce"] == "n1"
            assert claims["aud"] == sim.config.client_id and claims["iss"] == sim.url
            assert "SoDinhDanh" not in claims  # the personal ID number comes from userinfo
            assert token(sim, code).json()["error"] == "invalid_grant"  # one use only
            info = requests.get(f"{sim.url}/userinfo", headers={"Authorization": f"Bearer {answer['access_token']}"},
                                timeout=5).json()
            assert info["SoDinhDanh"] == person.national_id and info["HoVaTen"] == person.full_name
        assert requests.get(f"{sim.url}/userinfo", headers={"Authorization": "Bearer nope"},
                            timeout=5).status_code == 401
        assert sim.state.snapshot()["tokens_issued"] == 2


def test_an_unregistered_client_or_redirect_uri_is_refused_without_redirecting():
    with VneidSimulator(SimulatorConfig(redirect_uris=(CALLBACK,))) as sim:
        for extra in ({"redirect_uri": "http://evil.example/cb"}, {"client_id": "other"}):
            page = authorize(sim, **extra)
            assert page.status_code == 400 and "chưa được đăng ký" in page.text
            assert "national_id" not in page.text
        code = parse_qs(urlparse(choose(sim, authorize(sim), PEOPLE[0].national_id).headers["Location"]).query)
        assert token(sim, code["code"][0], client_secret="wrong").status_code == 401


def test_faults_are_validated_and_shown():
    with VneidSimulator(SimulatorConfig(redirect_uris=(CALLBACK,))) as sim:
        bad = requests.post(f"{sim.url}/_faults", data=json.dumps({"nonsense": 1}), timeout=5)
        assert bad.status_code == 400
        assert requests.post(f"{sim.url}/_faults", data=json.dumps({"fail_status": 404}), timeout=5).status_code == 400
        ok = requests.post(f"{sim.url}/_faults", data=json.dumps({"fail_next": 1, "bad_signature_next": 2}), timeout=5)
        assert ok.json()["bad_signature_next"] == 2
        code = parse_qs(urlparse(choose(sim, authorize(sim), PEOPLE[1].national_id).headers["Location"]).query)
        assert token(sim, code["code"][0]).status_code == 503
        page = requests.get(f"{sim.url}/", timeout=5).text
        assert "bad_signature_next=2" in page and "Trần Thị Bình" in page and "mức 2" in page
        requests.post(f"{sim.url}/_reset", data=b"", timeout=5)
        assert sim.state.snapshot()["faults"]["bad_signature_next"] == 0
