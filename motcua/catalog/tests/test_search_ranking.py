"""Catalog search over a realistic catalog: typos, everyday words (keywords), ranked by relevance.

The catalog is the demo province's nine procedures (with their seeded keywords) among 220 generated ones whose
names share many words with them ("Đăng ký lại khai sinh", "Cấp đổi giấy chứng nhận quyền sử dụng đất"...).
"""

import datetime as dt
import itertools
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.catalog.actions import import_catalog
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.selectors import word_similarity
from motcua.catalog.tests.factories import record
from motcua.demo.management.commands.setup_demo import DEMO_CATALOG

VERBS = ["Đăng ký", "Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Xác nhận", "Thu hồi", "Đăng ký lại",
         "Cấp bản sao"]
OBJECTS = ["khai sinh có yếu tố nước ngoài", "trích lục khai sinh", "giấy chứng nhận quyền sử dụng đất",
           "giấy phép lái xe", "giấy phép kinh doanh vận tải", "hộ chiếu phổ thông", "giấy phép xây dựng công trình",
           "thẻ bảo hiểm y tế", "giấy chứng nhận đủ điều kiện an toàn thực phẩm", "chứng chỉ hành nghề dược",
           "giấy phép lao động cho người nước ngoài", "giấy xác nhận tình trạng hôn nhân",
           "khai tử cho người nước ngoài",
           "giám hộ", "nhận cha, mẹ, con", "thay đổi, cải chính hộ tịch", "biển số xe", "giấy phép khai thác nước ngầm",
           "giấy chứng nhận đăng ký hợp tác xã", "chứng chỉ quy hoạch", "giấy phép biểu diễn nghệ thuật",
           "giấy phép hoạt động khoáng sản"]
GENERATED = [f"{verb} {obj}" for verb, obj in itertools.product(VERBS, OBJECTS)]  # 220 names


@pytest.fixture
def big_catalog(demo_agencies):
    """The demo's nine procedures imported, and 220 generated ones written in bulk (importing them is slow)."""
    import_catalog(json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))["procedures"])
    field = Field.objects.create(code="khac", name="Lĩnh vực khác")
    generated = [Procedure(national_code=f"1.9{n:05d}", name=name, field=field, level="province",
                           service_level="mot_phan") for n, name in enumerate(GENERATED)]
    for procedure in generated:
        procedure.refresh_search_text()
    Procedure.objects.bulk_create(generated)
    generated = list(Procedure.objects.filter(national_code__startswith="1.9"))
    versions = ProcedureVersion.objects.bulk_create(
        ProcedureVersion(procedure=p, number=1, name=p.name, level=p.level, service_level=p.service_level,
                         competent_authority="Sở ngành", statutory_days=Decimal(5), result_type="Giấy phép",
                         process_definition=record()["process_definition"], effective_from=dt.date(2025, 7, 1),
                         content_hash=p.national_code)
        for p in generated)
    for procedure, version in zip(generated, versions, strict=True):
        procedure.current_version = version
    Procedure.objects.bulk_update(generated, ["current_version"])
    assert Procedure.objects.published().count() == 229


def found(client, query, **params):
    response = client.get(reverse("catalog:list"), {"q": query, **params})
    assert response.status_code == 200
    return [p.national_code for p in response.context["page"]]


def test_a_typo_still_finds_birth_registration_first(client, big_catalog):
    assert found(client, "khia sinh")[0] == "1.001193"
    assert found(client, "dang ki khai sinh")[0] == "1.001193"


def test_everyday_words_find_the_land_transfer_first(client, big_catalog):
    assert found(client, "sang ten so do")[0] == "1.013831"
    assert found(client, "sang tên sổ hồng")[0] == "1.013831"
    assert found(client, "làm giấy khai sinh")[0] == "1.001193"


def test_exact_names_rank_above_fuzzy_and_partial_ones(client, big_catalog):
    results = found(client, "Đăng ký kết hôn")
    assert results[0] == "1.000894"
    results = found(client, "Cấp lại giấy phép lái xe")
    names = list(Procedure.objects.filter(national_code__in=results).values_list("national_code", "name"))
    assert dict(names)[results[0]] == "Cấp lại giấy phép lái xe"
    assert len(results) > 1  # other "giấy phép lái xe" procedures follow


def test_nonsense_finds_nothing_with_a_friendly_message(client, big_catalog):
    response = client.get(reverse("catalog:list"), {"q": "xqzw plmkj"})
    assert list(response.context["page"]) == []
    assert "Không tìm thấy thủ tục phù hợp" in response.content.decode()


def test_filters_apply_to_a_ranked_search(client, big_catalog):
    assert found(client, "khai sinh", level="commune")[0] == "1.001193"
    assert found(client, "so do", agency="000.01.16.H19")[0] in {"1.013831", "1.013833"}


def test_api_uses_the_same_search(client, big_catalog):
    response = client.get("/api/v1/catalog/procedures", {"q": "sang ten so do"})
    assert response.status_code == 200
    assert response.json()[0]["national_code"] == "1.013831"
    first = client.get("/api/v1/catalog/procedures", {"q": "khia sinh"}).json()[0]
    assert first["national_code"] == "1.001193"


def test_word_matching_rules():
    assert word_similarity("khai", "khai") == 1.0
    assert word_similarity("giay", "giay") == 1.0
    assert word_similarity("gia", "giay") == 0.9      # a word being typed
    assert word_similarity("khia", "khai") == 0.75    # two letters swapped
    assert word_similarity("sinhh", "sinh") == 0.75   # one letter too many
    assert word_similarity("so", "son") == 0.0        # short words must be typed in full
    assert word_similarity("ten", "tien") == 0.0      # and three-letter ones are not guessed
    assert word_similarity("xqzw", "khai") == 0.0
