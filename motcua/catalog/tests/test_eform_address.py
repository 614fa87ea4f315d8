"""The e-form address question (`"x-format": "address"`): read from the posted parts, validated against the 2025
map (a commune must be in its province), shown as one line, converted from an old address on request."""

import pytest
from django.http import QueryDict
from django.utils import translation

from motcua.catalog.eforms import (
    ADDRESS_CONVERT,
    address_action,
    build_fields,
    display_value,
    form_errors,
    read_values,
)

pytestmark = pytest.mark.django_db

SCHEMA = {"type": "object", "properties": {
    "thua_dat": {"type": "object", "title": "Thửa đất", "properties": {
        "so_thua": {"type": "string", "title": "Thửa đất số"},
        "dia_chi_thua": {"type": "object", "x-format": "address", "title": "Địa chỉ thửa đất"},
    }},
    "tru_so": {"type": "object", "x-format": "address", "title": "Địa chỉ trụ sở", "required": ["street"]},
}, "required": ["tru_so"]}


def post(**values):
    query = QueryDict(mutable=True)
    query.update(values)
    return query


def test_the_parts_are_read_into_codes_street_and_the_line_they_make():
    data = read_values(SCHEMA, post(thua_dat__dia_chi_thua__province_code="75",
                                    thua_dat__dia_chi_thua__commune_code="26041",
                                    thua_dat__dia_chi_thua__street="  Số 5   Võ Thị Sáu ",
                                    tru_so__province_code="75", tru_so__commune_code=""))
    assert data == {"thua_dat": {"dia_chi_thua": {
        "province_code": "75", "commune_code": "26041", "street": "Số 5 Võ Thị Sáu",
        "text": "Số 5 Võ Thị Sáu, Phường Trấn Biên, Tỉnh Đồng Nai"}}}  # tru_so: only the preset province: unanswered
    complete = {"province_code": "75", "commune_code": "26041", "street": "1"}
    assert form_errors(SCHEMA, {**data, "tru_so": complete}) == {}


def test_a_required_address_left_empty_names_its_parts():
    with translation.override("vi"):
        errors = form_errors(SCHEMA, {})
    assert list(errors) == ["tru_so/province_code", "tru_so/commune_code", "tru_so/street"]
    assert errors["tru_so/commune_code"][0] == "Chọn xã, phường, đặc khu của địa chỉ trụ sở"
    assert errors["tru_so/street"][1] == "Enter “Số nhà, đường, thôn, ấp” of “Địa chỉ trụ sở”"


def test_a_commune_of_another_province_or_of_the_old_map_is_refused():
    other = {"province_code": "79", "commune_code": "26041", "street": "1"}  # Trấn Biên is in Đồng Nai
    errors = form_errors(SCHEMA, {"tru_so": other})
    assert list(errors) == ["tru_so/commune_code"]
    assert errors["tru_so/commune_code"][1] == "Select “Xã, phường, đặc khu” of “Địa chỉ trụ sở” from the list"
    old_map = {"province_code": "70", "commune_code": "25195", "street": "1"}  # Bình Phước: a province until 2025
    assert list(form_errors(SCHEMA, {"tru_so": old_map})) == ["tru_so/province_code"]
    forged = {"province_code": "75", "commune_code": "2604", "street": "1"}
    assert list(form_errors(SCHEMA, {"tru_so": forged})) == ["tru_so/commune_code"]


def test_the_old_address_button_fills_the_codes_and_keeps_the_street_typed():
    posted = post(**{ADDRESS_CONVERT: "tru_so", "tru_so__old": "p tan phu, tp dong xoai, binh phuoc",
                     "tru_so__street": "Số 9 Lê Duẩn", "tru_so__province_code": "01"})
    assert address_action(posted) and not address_action(post(name="x"))
    assert read_values(SCHEMA, posted)["tru_so"] == {
        "province_code": "75", "commune_code": "25195", "street": "Số 9 Lê Duẩn",
        "text": "Số 9 Lê Duẩn, Phường Bình Phước, Tỉnh Đồng Nai"}
    field = next(f for f in build_fields(SCHEMA, read_values(SCHEMA, posted), post=posted) if f.name == "tru_so")
    assert field.kind == "address" and field.address.converted.ok
    assert field.address.old_text == "p tan phu, tp dong xoai, binh phuoc"
    assert ("25195", "Phường Bình Phước") in field.address.communes


def test_an_unconvertible_old_address_changes_nothing_and_says_why():
    posted = post(**{ADDRESS_CONVERT: "tru_so", "tru_so__old": "Phường 1, TP HCM", "tru_so__street": "Số 9"})
    assert read_values(SCHEMA, posted)["tru_so"] == {"street": "Số 9"}
    field = next(f for f in build_fields(SCHEMA, {}, post=posted) if f.name == "tru_so")
    assert field.address.converted.status == "ambiguous" and field.address.converted.candidates
    empty = post(**{ADDRESS_CONVERT: "tru_so", "tru_so__old": ""})
    field = next(f for f in build_fields(SCHEMA, {}, post=empty) if f.name == "tru_so")
    assert field.address.convert_error


def test_the_widget_starts_in_the_deployment_province_and_lists_its_communes(settings):
    settings.MOTCUA_PROVINCE_CODE = "75"
    group = build_fields(SCHEMA)[0]
    widget = next(f for f in group.children if f.kind == "address").address
    assert (widget.province_code, len(widget.provinces)) == ("75", 34)
    assert ("26041", "Phường Trấn Biên") in widget.communes
    chosen = next(f for f in build_fields(SCHEMA, {"tru_so": {"province_code": "79", "commune_code": "26740"}})
                  if f.name == "tru_so").address
    assert chosen.province_code == "79" and ("26740", "Phường Sài Gòn") in chosen.communes


def test_the_answer_is_shown_as_one_line():
    spec = {"type": "object", "x-format": "address", "title": "Địa chỉ trụ sở"}
    assert display_value(spec, {"province_code": "75", "commune_code": "26041", "street": "Số 5"}) == (
        "Số 5, Phường Trấn Biên, Tỉnh Đồng Nai")
    assert display_value(spec, "Số 5, Biên Hòa") == "Số 5, Biên Hòa"  # a value written before the question changed
