"""Public catalog pages: diacritic-insensitive search, filters, detail, Vietnamese first."""

import pytest
from django.urls import reverse

from motcua.catalog.actions import import_catalog
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import record


@pytest.fixture
def catalog(demo_agencies):
    land_steps = [
        {"key": "tiep_nhan", "name": "Tiếp nhận", "agency": "receiving", "role": "clerk", "days": "1",
         "actions": ["forward"]},
        {"key": "xu_ly", "name": "Xử lý", "agency": "competent", "role": "specialist", "days": "9",
         "actions": ["forward", "return_result"]},
    ]
    import_catalog([
        record(),
        record(national_code="1.000894", name="Đăng ký kết hôn"),
        record(national_code="1.012795", name="Đăng ký biến động quyền sử dụng đất do chuyển nhượng",
               field_code="dat_dai", field_name="Đất đai", level="province", service_level="mot_phan",
               competent_authority="Văn phòng đăng ký đất đai", competent_agencies=["000.01.16.H19"],
               statutory_days="10", process_definition={"steps": land_steps}),
    ])


def names(response):
    return [p.name for p in response.context["page"]]


@pytest.mark.parametrize("query", ["dang ky khai sinh", "DANG KY KHAI SINH", "đăng ky khai sinh", "khai  sinh",
                                   "Đăng ký khai sinh", "1.001193"])
def test_search_without_diacritics_finds_birth_registration(client, catalog, query):
    response = client.get(reverse("catalog:list"), {"q": query})
    assert names(response) == ["Đăng ký khai sinh"]


def test_search_matches_every_word(client, catalog):
    assert sorted(names(client.get(reverse("catalog:list"), {"q": "dang ky"}))) == [
        "Đăng ký biến động quyền sử dụng đất do chuyển nhượng", "Đăng ký khai sinh", "Đăng ký kết hôn",
    ]
    assert names(client.get(reverse("catalog:list"), {"q": "chuyen nhuong dat"})) == [
        "Đăng ký biến động quyền sử dụng đất do chuyển nhượng",
    ]
    assert names(client.get(reverse("catalog:list"), {"q": "ket hon khai sinh"})) == []


def test_filters_by_field_agency_and_level(client, catalog):
    url = reverse("catalog:list")
    assert names(client.get(url, {"field": "dat_dai"})) == ["Đăng ký biến động quyền sử dụng đất do chuyển nhượng"]
    assert sorted(names(client.get(url, {"agency": "000.01.70.H19"}))) == ["Đăng ký khai sinh", "Đăng ký kết hôn"]
    assert sorted(names(client.get(url, {"level": "commune", "q": "khai"}))) == ["Đăng ký khai sinh"]
    assert names(client.get(url, {"level": "province", "agency": "000.01.70.H19"})) == []


def test_withdrawn_procedure_is_not_listed(client, catalog):
    Procedure.objects.filter(national_code="1.000894").update(is_active=False)
    assert "Đăng ký kết hôn" not in names(client.get(reverse("catalog:list"), {"q": "dang ky"}))
    assert client.get(reverse("catalog:detail", args=["1.000894"])).status_code == 404


def test_pages_speak_vietnamese_first(client, catalog):
    page = client.get(reverse("catalog:list"))
    text = page.content.decode()
    assert '<html lang="vi">' in text
    assert "Thủ tục hành chính" in text
    detail = client.get(reverse("catalog:detail", args=["1.012795"])).content.decode()
    assert "Thành phần hồ sơ" in detail and "10 ngày làm việc" in detail
    assert "Văn phòng Đăng ký đất đai tỉnh Đồng Nai" in detail


def test_english_is_available(client, catalog):
    client.cookies["django_language"] = "en"
    text = client.get(reverse("catalog:list")).content.decode()
    assert '<html lang="en">' in text and "Administrative procedures" in text


def test_same_day_procedure_shows_its_rule(client, catalog):
    detail = client.get(reverse("catalog:detail", args=["1.001193"])).content.decode()
    assert "Trong ngày tiếp nhận" in detail
    assert "sau 15 giờ" in detail


def test_unknown_procedure_is_404(client, catalog):
    assert client.get(reverse("catalog:detail", args=["9.999999"])).status_code == 404


def test_list_is_in_vietnamese_alphabetical_order(client, demo_agencies):
    steps = record()["process_definition"]
    names_in = ["Ông bà", "Đăng ký khai sinh", "Dịch vụ", "Ấn định", "An toàn", "Ơn", "Ốc đảo"]
    import_catalog([record(national_code=f"1.00000{i}", name=name, process_definition=steps)
                    for i, name in enumerate(names_in)])
    assert names(client.get(reverse("catalog:list"))) == [
        "An toàn", "Ấn định", "Dịch vụ", "Đăng ký khai sinh", "Ốc đảo", "Ông bà", "Ơn",
    ]
