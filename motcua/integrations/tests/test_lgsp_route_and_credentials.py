"""Credentials come from the environment or a secret file; a system routed via the province's LGSP is called
at the gateway with the gateway's Bearer and lgspaccesstoken headers instead of its own token."""

import pytest
from django.test import override_settings

from motcua.integrations.client import IntegrationClient
from motcua.integrations.config import system_config
from motcua.integrations.tests.helpers import envelope
from motcua.integrations.tests.loopback import Answer

pytestmark = pytest.mark.django_db


def test_the_direct_route_sends_the_token_read_from_a_secret_file(loopback, tmp_path, monkeypatch):
    secret = tmp_path / "dvcqg-token"
    secret.write_text("tu-tep-bi-mat\n", encoding="utf-8")
    monkeypatch.setenv("MOTCUA_INTEGRATION_DVCQG_TOKEN", "tu-bien-moi-truong")
    monkeypatch.setenv("MOTCUA_INTEGRATION_DVCQG_TOKEN_FILE", str(secret))
    systems = {"dvcqg": {"base_url": loopback.url + "/dvcqg", "headers": {"dstcode": "VN:DVCQG"}}}
    loopback.answer(Answer(200))
    with override_settings(MOTCUA_INTEGRATION_SYSTEMS=systems):
        IntegrationClient("dvcqg").call("LayThuTuc", "GET", "/tt", parse=envelope)
    got = loopback.received[0]
    assert got.path == "/dvcqg/tt"
    assert got.headers["authorization"] == "Bearer tu-tep-bi-mat" and got.headers["dstcode"] == "VN:DVCQG"
    assert "lgspaccesstoken" not in got.headers


def test_the_lgsp_route_calls_the_gateway_with_its_headers(loopback, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTCUA_INTEGRATION_DVCQG_TOKEN", "token-rieng-cua-he-thong")
    monkeypatch.setenv("MOTCUA_LGSP_TOKEN", "lgsp-bearer")
    key = tmp_path / "lgsp-key"
    key.write_text("lgsp-khoa-truy-cap", encoding="utf-8")
    monkeypatch.setenv("MOTCUA_LGSP_ACCESS_TOKEN_FILE", str(key))
    systems = {"dvcqg": {"base_url": "https://dichvucong.gov.vn/api", "via_lgsp": True,
                         "lgsp_path": "dvcqg/v1", "headers": {"dstcode": "VN:DVCQG"}}}
    loopback.answer(Answer(200))
    with override_settings(MOTCUA_INTEGRATION_SYSTEMS=systems, MOTCUA_LGSP_URL=loopback.url + "/lgsp/"):
        IntegrationClient("dvcqg").call("DongBoHoSoMC", "POST", "/", json={"service": "DongBoHoSoMC"},
                                        parse=envelope, idempotency_key="k")
    got = loopback.received[0]
    assert got.path == "/lgsp/dvcqg/v1/"
    assert got.headers["authorization"] == "Bearer lgsp-bearer"
    assert got.headers["lgspaccesstoken"] == "lgsp-khoa-truy-cap" and got.headers["dstcode"] == "VN:DVCQG"


def test_timeouts_and_retries_come_from_the_systems_settings():
    systems = {"vnpost": {"base_url": "https://example.invalid", "connect_timeout": 2, "read_timeout": 9,
                          "max_attempts": 4, "breaker_failures": 7}}
    with override_settings(MOTCUA_INTEGRATION_SYSTEMS=systems):
        config = system_config("vnpost")
        client = IntegrationClient("vnpost")
    assert (config.max_attempts, config.breaker_failures) == (4, 7)
    assert client.http.timeout.connect == 2 and client.http.timeout.read == 9
    assert client.breaker.threshold == 7
