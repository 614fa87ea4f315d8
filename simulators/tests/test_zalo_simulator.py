"""The Zalo Graph API stand-in behind the Mini App sign-in: the sign-in goes through it end to end (the shapes of
adapters.zalo on both sides), each phone token works once, a wrong secret and injected faults are refused in plain
words, and its page lists the calls in Vietnamese."""

import json
import urllib.request

import pytest

from motcua.identity.models import ApiToken, ZaloLink
from simulators.zalo import USERS, ZaloSimulator


@pytest.fixture
def graph(settings):
    with ZaloSimulator(secret="province-secret") as simulator:
        settings.MOTCUA_ZALO_GRAPH_URL = simulator.url
        settings.MOTCUA_ZALO_APP_SECRET = "province-secret"
        yield simulator


def sign_in(client, access_token="zalo-demo-an", phone_code="phone-1"):  # noqa: S107 - simulator tokens
    return client.post("/api/v1/auth/zalo", json.dumps({"access_token": access_token, "phone_code": phone_code}),
                       content_type="application/json")


def faults(graph, **changes):
    request = urllib.request.Request(graph.url + "/_faults", data=json.dumps(changes).encode(), method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - loopback
        return json.loads(answer.read())


def test_sign_in_through_the_simulator(client, db, graph):
    answer = sign_in(client)
    assert answer.status_code == 200 and answer.json()["full_name"] == "Nguyễn Văn An"
    link = ZaloLink.objects.get()
    assert link.zalo_id == USERS["zalo-demo-an"][0] and link.phone == "0912345678"  # 84… made national
    again = sign_in(client)  # the same phone token again: Zalo refuses it
    assert again.status_code == 400 and again.json()["message_vi"] == "Zalo không xác nhận được tài khoản."
    assert sign_in(client, phone_code="phone-2").status_code == 200
    assert ApiToken.objects.filter(user=link.user).count() == 2
    calls = graph.state.snapshot()["calls"]
    assert [c["path"] for c in calls][-2:] == ["/v2.0/me/info", "/v2.0/me"]  # newest first
    with urllib.request.urlopen(graph.url + "/", timeout=5) as page:  # noqa: S310
        text = page.read().decode()
    assert "Người dùng Zalo giả lập" in text and "Nguyễn Văn An" in text


def test_wrong_secret_and_unknown_token_are_refused(client, db, graph, settings):
    assert sign_in(client, access_token="stolen").status_code == 400
    settings.MOTCUA_ZALO_APP_SECRET = "another-secret"
    assert sign_in(client).status_code == 400
    assert not ZaloLink.objects.exists()


@pytest.mark.parametrize(("fault", "message"), [
    ({"error_next": 1}, "Zalo không xác nhận được tài khoản."),
    ({"fail_next": 1}, "Không kết nối được Zalo."),  # a 5xx page, not an answer
    ({"malformed_next": 1}, "Không kết nối được Zalo."),
])
def test_faults_are_said_in_plain_words(client, db, graph, fault, message):
    faults(graph, **fault)
    answer = sign_in(client)
    assert answer.status_code == 400 and answer.json()["message_vi"] == message
    assert not ZaloLink.objects.exists()
    assert sign_in(client, phone_code="phone-after").status_code == 200  # the fault was spent


def test_faults_are_validated(graph):
    assert faults(graph, delay_ms=0)["delay_ms"] == 0
    with pytest.raises(urllib.error.HTTPError):
        faults(graph, no_such_fault=1)
