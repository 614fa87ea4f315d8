"""GET /api/v1/addresses/…: the converter and the lists of the 2025 map."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db
URL = "/api/v1/addresses/convert"


def test_convert_answers_the_2025_codes_and_the_old_units(client):
    response = client.get(URL, {"address": "Phường Tân Phú, Thành phố Đồng Xoài, tỉnh Bình Phước"})
    assert response.status_code == 200
    body = response.json()
    assert (body["province_code"], body["commune_code"], body["commune_name"]) == ("75", "25195", "Phường Bình Phước")
    assert body["old"]["district_name"] == "Thành phố Đồng Xoài"
    assert body["address"] == "Phường Bình Phước, Tỉnh Đồng Nai"
    assert body["message_vi"] and body["message_en"]


def test_convert_by_old_code(client):
    body = client.get(URL, {"old_commune_code": "25195"}).json()
    assert body["commune_code"] == "25195" and body["old"]["commune_name"] == "Phường Tân Phú"


@pytest.mark.parametrize("params", [{}, {"address": "   "}, {"address": "x" * 400}, {"old_commune_code": "12a"}])
def test_bad_input_is_400_in_both_languages(client, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_input" and body["message_vi"] and body["message_en"]


def test_ambiguous_is_422_with_candidates(client):
    response = client.get(URL, {"address": "Phường 1, TP HCM"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "ambiguous" and len(body["candidates"]) > 1
    assert all(c["commune_code"] and c["old"]["commune_name"] == "Phường 1" for c in body["candidates"])


def test_not_found_is_404_with_the_province_and_close_names(client):
    response = client.get(URL, {"address": "Tan Phuu, Dong Xoai, Binh Phuoc"})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found" and body["province_code"] == "75"
    assert any(c["old"]["commune_name"] == "Phường Tân Phú" for c in body["candidates"])


@override_settings(MOTCUA_ADDRESS_CONVERT_RATE="3/m")
def test_convert_is_rate_limited_per_address(client, rate_clock):
    codes = [client.get(URL, {"address": "p tan phu, tp dong xoai, binh phuoc"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(URL, {"address": "p tan phu"}, REMOTE_ADDR="10.0.0.9").status_code != 429


def test_province_and_commune_lists(client):
    response = client.get("/api/v1/addresses/provinces")
    assert response.status_code == 200 and "max-age" in response["Cache-Control"]
    provinces = response.json()
    assert len(provinces) == 34 and {"code": "75", "name": "Tỉnh Đồng Nai", "type": "Tỉnh"} in provinces
    communes = client.get("/api/v1/addresses/provinces/75/communes").json()
    assert {"code": "26041", "name": "Phường Trấn Biên", "type": "Phường"} in communes
    assert len(communes) > 90
    missing = client.get("/api/v1/addresses/provinces/70/communes")  # Bình Phước is no longer a province
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_province"


def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/addresses/convert", "/api/v1/addresses/provinces",
            "/api/v1/addresses/provinces/{code}/communes"} <= set(paths)
