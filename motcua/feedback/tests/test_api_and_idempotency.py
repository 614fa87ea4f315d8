"""`/api/v1/feedback` for the Mini App and the web form: validated input, idempotent submission, look-up and
rating; the OpenAPI schema lists the operations."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from motcua.feedback import actions
from motcua.feedback.models import Classification, Feedback, FeedbackKind
from motcua.identity.tokens import issue_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/feedback"


def _body(agency_eid: str, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {"kind": "ho_so", "subject": "dossier", "agency_eid": agency_eid,
                               "dossier_code": "000.00.01.H19-261130-0001", "title": "Hồ sơ trễ hạn",
                               "content": "Đã quá hẹn 5 ngày.", "phone": "0912 345 678"}
    body.update(changes)
    return body


def _post(client, token: str, body: dict[str, object], key: str = ""):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def test_submit_is_idempotent(client, citizen, demo_agencies):
    token = issue_token(citizen, "test")
    eid = demo_agencies["land_office"].eid_code
    first = _post(client, token, _body(eid), key="k-1")
    again = _post(client, token, _body(eid), key="k-1")
    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["code"] == again.json()["code"] and Feedback.objects.count() == 1
    created = Feedback.objects.get()
    assert created.petitioner == citizen and created.petitioner_name == citizen.full_name
    assert created.channel == "app" and first.json()["lookup_secret"] == created.lookup_secret
    assert created.kind == FeedbackKind.objects.get(code="ho_so") and created.events.count() == 1
    reused = _post(client, token, _body(eid, title="Khác"), key="k-1")
    assert reused.status_code == 422 and "idempotency_key" in reused.json()["errors"]
    assert _post(client, token, _body(eid), key="k-2").status_code == 201  # another key: another petition
    assert Feedback.objects.count() == 2


def test_submit_validates_every_field(client, citizen, demo_agencies):
    token = issue_token(citizen, "test")
    response = _post(client, token, _body("khong-co", kind="x", subject="y", title="", content="",
                                          phone="12345", email="khong-phai-email"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"kind", "subject", "agency", "title", "content", "phone", "email"}
    assert errors["phone"][0].startswith("Số điện thoại không hợp lệ") and errors["phone"][1].startswith("Enter a")
    no_contact = _post(client, token, _body(demo_agencies["land_office"].eid_code, subject="procedure",
                                            procedure_code="9.999999"))
    assert no_contact.status_code == 422 and set(no_contact.json()["errors"]) == {"procedure_code"}
    assert Feedback.objects.count() == 0
    assert client.post(URL, json.dumps(_body("x")), content_type="application/json").status_code == 401


def test_list_lookup_and_rating(client, citizen, other_citizen, specialist, leader, demo_agencies):
    token = issue_token(citizen, "test")
    created = _post(client, token, _body(demo_agencies["land_office"].eid_code), key="k").json()
    mine = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [f["code"] for f in mine] == [created["code"]]
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {issue_token(other_citizen, 't')}").json() == []

    found = client.get(f"{URL}/lookup", {"code": created["code"], "secret": created["lookup_secret"]})
    assert found.status_code == 200 and found.json()["status"] == "received" and found.json()["reply"] is None
    assert found.json()["lookup_secret"] is None
    wrong = client.get(f"{URL}/lookup", {"code": created["code"], "secret": "AAAAAAAAAA"})
    unknown = client.get(f"{URL}/lookup", {"code": "PA-X", "secret": "AAAAAAAAAA"})
    assert wrong.status_code == unknown.status_code == 404 and wrong.content == unknown.content

    rate = f"{URL}/{created['code']}/rating"
    early = client.post(rate, json.dumps({"rating": 4}), content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {token}")
    assert early.status_code == 409 and early.json()["code"] == "illegal"
    feedback = Feedback.objects.get()
    feedback = actions.assign_feedback(feedback, actor=leader, classification=Classification.PHAN_ANH)
    feedback = actions.draft_reply(feedback, actor=specialist, reply="Đã trả kết quả.")
    feedback = actions.approve_reply(feedback, actor=leader)
    actions.answer_feedback(feedback, actor=specialist)
    other = client.post(rate, json.dumps({"rating": 1}), content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {issue_token(other_citizen, 't')}")
    assert other.status_code == 404
    bad = client.post(rate, json.dumps({"rating": 9}), content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bad.status_code == 422 and bad.json()["code"] == "rating"
    rated = client.post(rate, json.dumps({"rating": 4, "comment": "Tốt"}), content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {token}")
    assert rated.status_code == 200 and rated.json()["rating"] == 4 and rated.json()["reply"] == "Đã trả kết quả."


def test_openapi_lists_the_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/feedback"])
    assert "/api/v1/feedback/lookup" in schema["paths"] and "/api/v1/feedback/{code}/rating" in schema["paths"]


def test_web_form_is_idempotent_and_needs_no_sign_in(client, demo_agencies):
    kind = FeedbackKind.objects.get(code="can_bo")
    form = {"kind": str(kind.pk), "subject": "agency", "agency": str(demo_agencies["tran_bien"].pk),
            "title": "Thái độ phục vụ", "content": "Cán bộ trả lời chậm.", "name": "Lê Thị Cúc",
            "email": "cuc@example.vn", "consent": "yes", "idempotency_key": "a" * 32}
    first = client.post(reverse("feedback:submit"), form)
    again = client.post(reverse("feedback:submit"), form)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    feedback = Feedback.objects.get()
    assert feedback.petitioner is None and feedback.consent_to_publish and feedback.channel == "online"
    page = client.get(first["Location"])
    assert page.status_code == 200 and feedback.lookup_secret in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"

    bad = client.post(reverse("feedback:submit"), {**form, "idempotency_key": "b" * 32, "phone": "123",
                                                   "email": "", "title": ""})
    body = bad.content.decode()
    assert bad.status_code == 400 and "Số điện thoại không hợp lệ" in body and "Vui lòng nhập tiêu đề" in body
    assert "Cán bộ trả lời chậm." in body  # nothing typed is lost
    assert Feedback.objects.count() == 1
