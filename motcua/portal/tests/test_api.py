"""The mobile-app API: Zalo sign-in exchanged on the server, token auth, my dossiers, and isolation between
citizens on every endpoint. Every response is checked against the published OpenAPI schema."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from motcua.core.tests.openapi import check
from motcua.dossiers.models import SURVEY_QUESTIONS, Dossier, Status
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.identity.tokens import issue_token

ZALO_SECRET = "zalo-app-secret-123"


class FakeZaloGraph(BaseHTTPRequestHandler):
    """Answers like graph.zalo.me: /v2.0/me (user token) and /v2.0/me/info (phone token + secret key)."""

    calls: list[tuple[str, dict[str, str]]] = []

    def do_GET(self):
        FakeZaloGraph.calls.append((self.path, dict(self.headers)))
        if self.headers.get("access_token") != "zalo-user-token":
            return self._send({"error": 452, "message": "Invalid access token"})
        if self.path.startswith("/v2.0/me/info"):
            if self.headers.get("secret_key") != ZALO_SECRET or self.headers.get("code") != "phone-code":
                return self._send({"error": 101, "message": "Invalid secret or code"})
            return self._send({"data": {"number": "84901234567"}, "error": 0, "message": "Success"})
        return self._send({"id": "7521000000000000001", "name": "Lê Minh Châu", "error": 0})

    def _send(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        return


@pytest.fixture
def zalo(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeZaloGraph)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.MOTCUA_ZALO_GRAPH_URL = f"http://127.0.0.1:{server.server_port}"
    settings.MOTCUA_ZALO_APP_SECRET = ZALO_SECRET
    FakeZaloGraph.calls = []
    yield
    server.shutdown()


def files_b64():
    return [{"slot": code, "name": f"{code}.pdf",
             "content_base64": base64.b64encode(b"%PDF-1.4 " + code.encode()).decode()}
            for code in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")]


def api(client, method, path, token=None, body=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    call = getattr(client, method.lower())
    if body is None:
        response = call(f"/api/v1{path}", **headers)
    else:
        response = call(f"/api/v1{path}", json.dumps(body), content_type="application/json", **headers)
    return check(response, method)


def test_openapi_schema_is_served_and_covers_the_app(client, db):
    document = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/catalog/procedures", "/api/v1/auth/zalo", "/api/v1/me/dossiers",
                 "/api/v1/me/dossiers/{code}/supplement", "/api/v1/me/dossiers/{code}/survey",
                 "/api/v1/me/dossiers/{code}/payments", "/api/v1/dossiers/lookup"):
        assert path in document["paths"], path


def test_zalo_sign_in_exchanges_the_phone_token_on_the_server(client, zalo, demo_catalog):
    response = api(client, "POST", "/auth/zalo", body={"access_token": "zalo-user-token",
                                                       "phone_code": "phone-code"})
    assert response.status_code == 200
    token = response.json()["token"]
    info_calls = [headers for path, headers in FakeZaloGraph.calls if path.startswith("/v2.0/me/info")]
    assert info_calls and info_calls[0]["secret_key"] == ZALO_SECRET
    assert api(client, "GET", "/me/dossiers", token=token).json() == []
    again = api(client, "POST", "/auth/zalo", body={"access_token": "zalo-user-token", "phone_code": "phone-code"})
    assert again.status_code == 200
    from motcua.identity.models import ZaloLink

    assert ZaloLink.objects.get().phone == "0901234567"


def test_bad_zalo_tokens_are_refused(client, zalo, db):
    assert api(client, "POST", "/auth/zalo", body={"access_token": "forged", "phone_code": "x"}).status_code == 400
    assert api(client, "POST", "/auth/zalo", body={"access_token": "zalo-user-token",
                                                   "phone_code": "stolen"}).status_code == 400


def test_me_requires_a_token(client, db):
    assert client.get("/api/v1/me/dossiers").status_code == 401
    assert client.get("/api/v1/me/dossiers", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_citizen_submits_follows_and_rates_through_the_api(client, citizen, demo_catalog, demo_agencies, other_clerk,
                                                          commune_specialist, commune_leader):
    token = issue_token(citizen)
    catalog = api(client, "GET", "/catalog/procedures?q=khai+sinh").json()
    assert [p["national_code"] for p in catalog] == ["1.001193"]
    detail = api(client, "GET", "/catalog/procedures/1.001193").json()
    body = {"procedure_code": "1.001193", "agency_eid": detail["agencies"][0]["eid_code"], "form_data": BIRTH_FORM,
            "documents": files_b64()}
    first = api(client, "POST", "/me/dossiers", token, body, HTTP_IDEMPOTENCY_KEY="app-1")
    second = api(client, "POST", "/me/dossiers", token, body, HTTP_IDEMPOTENCY_KEY="app-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["code"] == second.json()["code"] and Dossier.objects.count() == 1
    code = first.json()["code"]

    from motcua.dossiers import actions

    dossier = Dossier.objects.get(code=code)
    actions.request_supplement(dossier, actor=other_clerk, items=["Giấy chứng sinh rõ nét"], note="Mờ")
    shown = api(client, "GET", f"/me/dossiers/{code}", token).json()
    assert shown["supplement_request"]["items"] == ["Giấy chứng sinh rõ nét"]
    answered = api(client, "POST", f"/me/dossiers/{code}/supplement", token, {"documents": files_b64()[1:2]})
    assert answered.json()["status"] == Status.SUBMITTED

    dossier = actions.receive_dossier(dossier, actor=other_clerk)
    dossier = actions.forward_dossier(dossier, actor=other_clerk)
    dossier = actions.forward_dossier(dossier, actor=commune_specialist)
    dossier = actions.approve_dossier(dossier, actor=commune_leader)
    actions.return_result(dossier, actor=other_clerk)
    answers = {key: 5 for key, _label in SURVEY_QUESTIONS}
    assert api(client, "POST", f"/me/dossiers/{code}/survey", token, {"answers": answers}).status_code == 201
    stored = api(client, "GET", "/me/documents", token).json()
    assert {d["kind"] for d in stored} >= {"to_khai_khai_sinh", "giay_chung_sinh"}


def test_errors_are_in_vietnamese_and_english(client, citizen, demo_catalog):
    token = issue_token(citizen)
    body = {"procedure_code": "1.001193", "agency_eid": "000.01.70.H19", "form_data": {}, "documents": []}
    response = api(client, "POST", "/me/dossiers", token, body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert all(len(pair) == 2 for pair in errors.values())
    assert any("Thiếu giấy tờ bắt buộc" in pair[0] for pair in errors.values())


def test_a_citizen_can_never_read_or_change_anothers_dossier(client, citizen, other_citizen, demo_catalog):
    mine = issue_token(citizen)
    theirs = issue_token(other_citizen)
    body = {"procedure_code": "1.001193", "agency_eid": "000.01.70.H19", "form_data": BIRTH_FORM,
            "documents": files_b64()}
    code = api(client, "POST", "/me/dossiers", mine, body).json()["code"]
    attempts = [
        ("GET", f"/me/dossiers/{code}", None),
        ("POST", f"/me/dossiers/{code}/supplement", {"documents": files_b64()[:1]}),
        ("POST", f"/me/dossiers/{code}/withdraw", {"reason": "không phải của tôi"}),
        ("POST", f"/me/dossiers/{code}/survey", {"answers": {"overall": 1}}),
    ]
    for method, path, payload in attempts:
        assert api(client, method, path, theirs, payload).status_code == 404, path
    assert api(client, "GET", "/me/dossiers", theirs).json() == []
    assert api(client, "GET", "/me/documents", theirs).json() == []
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.SUBMITTED and dossier.documents.count() == 3
