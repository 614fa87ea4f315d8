"""E-form choices labelled by the schema (`oneOf` of `{const, title}`), money marked `"x-format": "money"`, and the
messages for a choice or an amount that is wrong: the same for the citizen's wizard and the clerk's intake."""

from django.http import QueryDict
from django.utils import translation

from motcua.catalog.eforms import build_fields, form_errors, read_values, with_property_order

SCHEMA = with_property_order({
    "type": "object",
    "properties": {
        "loai": {"type": "string", "title": "Loại giấy tờ",
                 "oneOf": [{"const": "cccd", "title": "Căn cước công dân"}, {"const": "hc", "title": "Hộ chiếu"}]},
        "le_phi": {"type": "integer", "minimum": 0, "title": "Lệ phí", "x-format": "money"},
        "nganh_nghe": {"type": "array", "items": {"type": "string"}, "minItems": 2, "title": "Ngành nghề"},
    },
    "required": ["loai", "le_phi"],
})


def test_choices_are_labelled_by_the_schema_and_money_is_shown_in_dong():
    with translation.override("vi"):
        loai, le_phi, nganh_nghe = build_fields(SCHEMA, {"loai": "hc", "le_phi": 2500000, "nganh_nghe": ["a", "b"]})
    assert (loai.kind, loai.choices, loai.display) == (
        "select", [("cccd", "Căn cước công dân"), ("hc", "Hộ chiếu")], "Hộ chiếu")
    assert (le_phi.kind, le_phi.display) == ("money", "2.500.000 đ")
    assert nganh_nghe.display == "a, b"
    # what the citizen types in the money box ("2.500.000") is read back as the amount
    assert read_values(SCHEMA, QueryDict("le_phi=2.500.000&loai=cccd")) == {"loai": "cccd", "le_phi": 2500000}


def test_each_problem_is_named_in_both_languages():
    assert form_errors(SCHEMA, {}) == {
        "loai": ("Chọn loại giấy tờ", "Select “Loại giấy tờ”"),
        "le_phi": ("Nhập lệ phí", "Enter “Lệ phí”"),
    }
    assert form_errors(SCHEMA, {"loai": "bang_lai", "le_phi": -1, "nganh_nghe": ["a"]}) == {
        "loai": ("Chọn loại giấy tờ trong danh sách", "Select “Loại giấy tờ” from the list"),
        "le_phi": ("Lệ phí phải từ 0 trở lên", "“Lệ phí” must be 0 or more"),
        "nganh_nghe": ("Nhập ít nhất 2 dòng cho ngành nghề", "Enter at least 2 lines for “Ngành nghề”"),
    }
