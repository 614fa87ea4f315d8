"""The old-address converter: spellings, street parts, ambiguity and not-found answers with candidates, codes."""

import pytest

from motcua.directory.addresses import AddressInputError, Status, communes_of, convert, convert_codes, provinces

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", [
    "Phường Tân Phú, Thành phố Đồng Xoài, tỉnh Bình Phước",
    "p tan phu, tp dong xoai, binh phuoc",
    "P. Tân Phú, TP. Đồng Xoài, T. Bình Phước",
    "p tan phu tp dong xoai binh phuoc",
    "PHUONG TAN PHU , TP.DONG XOAI ; BINH PHUOC, Việt Nam",
    "Tân Phú, Đồng Xoài, Bình Phước",
])
def test_tan_phu_of_dong_xoai_is_now_binh_phuoc_ward_of_dong_nai(text):
    result = convert(text)
    assert result.status == Status.CONVERTED
    assert (result.province_code, result.commune_code, result.commune_name) == ("75", "25195", "Phường Bình Phước")
    assert result.province_name == "Tỉnh Đồng Nai"
    assert (result.old.commune_code, result.old.district_name, result.old.province_name) == (
        "25195", "Thành phố Đồng Xoài", "Tỉnh Bình Phước")
    assert not result.already_current


def test_the_street_before_the_commune_is_kept():
    result = convert("12 Nguyễn Huệ, P. Bến Nghé, Q.1, TP.HCM")
    assert (result.commune_name, result.street) == ("Phường Sài Gòn", "12 Nguyễn Huệ")
    assert result.address == "12 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh"
    assert result.old.district_name == "Quận 1"


def test_glued_unit_and_number():
    assert convert("p1, q3, hcm").old.label == "Phường 1, Quận 3, Thành phố Hồ Chí Minh"


def test_same_name_without_the_district_is_ambiguous_with_candidates():
    result = convert("Phường 1, Hồ Chí Minh")
    assert result.status == Status.AMBIGUOUS
    assert len(result.candidates) > 3
    assert all(c.old.commune_name == "Phường 1" for c in result.candidates)
    assert len({c.commune_code for c in result.candidates}) > 1
    assert "district" in result.message()[1]


def test_town_and_district_of_the_same_name_are_told_apart_by_the_unit_word():
    assert convert("Kỳ Lợi, TX Kỳ Anh, Hà Tĩnh").old.district_name == "Thị xã Kỳ Anh"
    town = convert("Thị xã Kỳ Anh, Hà Tĩnh")  # no commune: the communes of that district are offered
    district = convert("Huyện Kỳ Anh, Hà Tĩnh")
    assert town.status == district.status == Status.NOT_FOUND
    assert {c.old.district_name for c in town.candidates} == {"Thị xã Kỳ Anh"}
    assert {c.old.district_name for c in district.candidates} == {"Huyện Kỳ Anh"}
    assert "Thị trấn Kỳ Đồng" in [c.old.commune_name for c in district.candidates]


def test_diacritics_settle_names_that_differ_only_by_them():
    hung = convert("Xã Trực Hùng, Huyện Trực Ninh, Tỉnh Nam Định")
    assert (hung.status, hung.old.commune_name) == (Status.CONVERTED, "Xã Trực Hùng")
    bare = convert("xa truc hung, huyen truc ninh, nam dinh")
    assert bare.status == Status.AMBIGUOUS
    assert {c.old.commune_name for c in bare.candidates} == {"Xã Trực Hùng", "Xã Trực Hưng"}


def test_unknown_commune_in_a_known_province_offers_close_names():
    result = convert("Tan Phuu, Dong Xoai, Binh Phuoc")
    assert result.status == Status.NOT_FOUND
    assert result.province_code == "75"
    assert "Phường Tân Phú" in [c.old.commune_name for c in result.candidates]
    assert "province was recognised" in result.message()[1]


def test_nothing_recognised():
    result = convert("xyz abc")
    assert (result.status, result.province_code, result.candidates) == (Status.NOT_FOUND, "", ())
    assert "Phường Tân Phú" in result.message()[0]


def test_a_2025_address_is_recognised_as_current():
    result = convert("Phường Trấn Biên, Đồng Nai")
    assert (result.status, result.commune_code, result.already_current) == (Status.CONVERTED, "26041", True)


def test_island_district_becomes_a_special_zone():
    result = convert("Huyện Côn Đảo, Bà Rịa - Vũng Tàu")
    assert (result.commune_name, result.province_code) == ("Đặc khu Côn Đảo", "79")


def test_divided_commune_gives_the_default_part_and_names_the_others():
    whole = convert_codes(commune_code="25195")
    assert (whole.commune_code, whole.split, whole.other_communes) == ("25195", False, ())
    split = convert_codes(commune_code="25507")  # Xã Tân Phong (Tây Ninh), divided in two
    assert (split.commune_code, split.split) == ("25498", True)
    assert [code for code, _name in split.other_communes] == ["25549"]
    assert "divided" in split.message()[1]


def test_codes():
    assert convert_codes(commune_code="25195").commune_name == "Phường Bình Phước"
    assert convert_codes(commune_code="99999").status == Status.NOT_FOUND
    assert convert_codes(district_code="755").commune_name == "Đặc khu Côn Đảo"
    with pytest.raises(AddressInputError):
        convert_codes(commune_code="12")


@pytest.mark.parametrize("text", ["", "   ", "x" * 301, "...,,,", "abc\x00def"])
def test_unusable_input_is_refused_with_a_message_in_both_languages(text):
    with pytest.raises(AddressInputError) as caught:
        convert(text)
    assert caught.value.message_vi and caught.value.message_en


def test_the_2025_map_lists():
    assert len(provinces()) == 34
    dong_nai = communes_of("75")
    assert len(dong_nai) > 90 and all(u.parent == "75" for u in dong_nai)
    assert "Phường Trấn Biên" in [u.name for u in dong_nai]
