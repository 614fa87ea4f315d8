"""A NUL character anywhere in a request's text is a 400, never a database error (found by schemathesis on
PostgreSQL: GET /api/v1/catalog/procedures?level=%00 was a 500)."""

import json

import pytest


@pytest.mark.parametrize("url", ["/api/v1/catalog/procedures?level=a%00b", "/api/v1/catalog/procedures/1.0%00",
                                 "/tra-cuu/X%00/?s=A", "/thu-tuc/?q=%00"])
def test_nul_in_path_or_query_is_refused(client, db, url):
    response = client.get(url)
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_nul_in_a_json_or_form_body_is_refused(client, db):
    body = json.dumps({"access_token": "a\u0000b", "phone_code": "x"})
    assert client.post("/api/v1/auth/zalo", body, content_type="application/json").status_code == 400
    form = "username=a%00&password=x"
    assert client.post("/dang-nhap/", form, content_type="application/x-www-form-urlencoded").status_code == 400


def test_ordinary_requests_pass(client, db):
    assert client.get("/api/v1/catalog/procedures?level=toan_trinh").status_code == 200
    assert client.post("/dang-nhap/", {"username": "khong-co", "password": "x"}).status_code == 200
