"""Helpers for tests that sign in through the VNeID simulator (simulators/vneid.py) started in-process on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from django.urls import reverse

from motcua.adapters import vneid as shapes
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 - a fixture vneid_sim uses
from simulators.vneid import PEOPLE, SimulatorConfig, VneidSimulator

CALLBACK = "http://testserver/dinh-danh/vneid/callback/"
LEVEL_1 = next(p for p in PEOPLE if p.level == 1)  # nguyenvana
LEVEL_2 = next(p for p in PEOPLE if p.username == "tranthibinh")


@pytest.fixture
def vneid_sim(settings: Any, forget_committed_call_records: None  # noqa: F811 - the fixture imported above
              ) -> Iterator[VneidSimulator]:
    """The simulator, and the "vneid" provider pointed at it with the demo's client credentials. (Import
    `forget_committed_call_records` beside it: the sign-in's calls leave evidence, committed on PostgreSQL.)"""
    with VneidSimulator(SimulatorConfig(redirect_uris=(CALLBACK,))) as sim:
        settings.MOTCUA_OIDC_PROVIDERS = {
            **settings.MOTCUA_OIDC_PROVIDERS,
            "vneid": {**settings.MOTCUA_OIDC_PROVIDERS["vneid"],
                      "server_metadata_url": f"{sim.url}/.well-known/openid-configuration",
                      "client_id": sim.config.client_id, "client_secret": sim.config.client_secret, "timeout": 5},
        }
        yield sim


def pick_person(authorize_url: str, national_id: str, choice: str = "sign_in") -> str:
    """Act as the citizen's browser at the simulator: open the page, press the person's button (or cancel), and
    return where the simulator sends the browser back."""
    page = requests.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text
    for form in re.findall(r"<form[^>]*>(.*?)</form>", page.text, flags=re.S):
        fields = {name: unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', form)}
        if fields.get("choice") == choice and (choice == "cancel" or fields.get("national_id") == national_id):
            back = requests.post(urljoin(authorize_url, "/authorize"), data=fields, allow_redirects=False,
                                 timeout=10)
            assert back.status_code == 302, back.text
            return str(back.headers["Location"])
    raise AssertionError(f"no button for {national_id} on the simulator's page")


def sign_in_with_vneid(client: Any, national_id: str, next_url: str = "", choice: str = "sign_in") -> Any:
    """The whole sign-in, from our "Đăng nhập bằng VNeID" link to our callback's answer."""
    start = client.get(reverse("identity:oidc_login", args=["vneid"]), {"next": next_url} if next_url else {})
    assert start.status_code == 302, start.content
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["acr_values"] == [shapes.ACR_LEVEL_2] and query["code_challenge_method"] == ["S256"]
    back = urlparse(pick_person(start["Location"], national_id, choice))
    return client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})
