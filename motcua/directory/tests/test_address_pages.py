"""The converter pages: public (one address, throttled) and the clerks' (many at once, staff only)."""

from html import unescape

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
PUBLIC = reverse("addresses:converter")
CLERK = reverse("backoffice:addresses")


def test_public_page_converts_in_vietnamese_first(client):
    page = client.get(PUBLIC)
    assert page.status_code == 200 and "Chuyển đổi địa chỉ cũ" in page.content.decode()
    response = client.get(PUBLIC, {"address": "p tan phu, tp dong xoai, binh phuoc"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "<strong>Phường Bình Phước, Tỉnh Đồng Nai</strong>" in html and "25195" in html
    assert "Phường Tân Phú, Thành phố Đồng Xoài, Tỉnh Bình Phước" in html
    assert "Converted to the map" not in html  # one language at a time


def test_public_page_in_english(client):
    client.post(reverse("set_language"), {"language": "en"})
    html = unescape(client.get(PUBLIC, {"address": "p tan phu, tp dong xoai, binh phuoc"}).content.decode())
    assert "Converted to the map in force since 1 July 2025." in html and "New address" in html


def test_ambiguous_answer_links_each_candidate_to_its_conversion(client):
    html = unescape(client.get(PUBLIC, {"address": "Phường 1, TP HCM"}).content.decode())
    assert "Có nhiều xã, phường cũ trùng tên" in html
    assert html.count('<a href="?old_commune_code=') > 3
    code = html.split('<a href="?old_commune_code=')[1][:5]
    followed = client.get(PUBLIC, {"old_commune_code": code})
    assert followed.status_code == 200 and "Phường 1" in unescape(followed.content.decode())


def test_bad_input_keeps_the_page_with_a_message(client):
    response = client.get(PUBLIC, {"address": "  "})
    assert response.status_code == 400 and "Vui lòng nhập địa chỉ cần chuyển đổi." in response.content.decode()


@override_settings(MOTCUA_ADDRESS_CONVERT_RATE="2/m")
def test_public_page_shares_the_api_rate_limit(client, rate_clock):
    codes = [client.get(PUBLIC, {"address": "p tan phu, binh phuoc"}).status_code for _ in range(2)]
    assert codes == [200, 200]
    assert client.get("/api/v1/addresses/convert", {"address": "p tan phu, binh phuoc"}).status_code == 429
    assert client.get(PUBLIC).status_code == 200  # the empty form is not counted


def test_clerk_page_converts_many_lines(client, clerk):
    client.force_login(clerk)
    lines = "Phường Tân Phú, Thành phố Đồng Xoài, tỉnh Bình Phước\nxyz\n\n12 Nguyễn Huệ, P. Bến Nghé, Q.1, TP.HCM"
    response = client.post(CLERK, {"addresses": lines})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Đã chuyển đổi 2/3 địa chỉ." in html
    assert "12 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh" in html and "75 / 25195" in html
    assert "Không tìm thấy xã, phường, thị trấn cũ nào" in html


def test_clerk_page_refuses_too_many_or_none(client, clerk):
    client.force_login(clerk)
    assert client.post(CLERK, {"addresses": "\n".join(["p tan phu, binh phuoc"] * 51)}).status_code == 400
    response = client.post(CLERK, {"addresses": " \n "})
    assert response.status_code == 400 and 'href="#f-addresses"' in response.content.decode()


def test_clerk_page_is_for_staff_only(client, citizen):
    assert client.get(CLERK).status_code == 302  # to the sign-in page
    client.force_login(citizen)
    assert client.get(CLERK).status_code == 403
