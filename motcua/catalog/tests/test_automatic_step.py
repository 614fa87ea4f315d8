"""A step's `automatic` check (population_check) travels in the JSON and Excel exchange format; an unknown check
is refused; a workbook without the column reads as no automatic step."""

import io

import pytest
from openpyxl import load_workbook

from motcua.catalog.actions import CatalogImportError, export_catalog, import_catalog
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import record
from motcua.catalog.transfer import read_workbook, write_workbook


def with_automatic(value, **overrides):
    data = record(**overrides)
    data["process_definition"]["steps"][1]["automatic"] = value
    return data


def test_json_and_excel_keep_the_automatic_step(demo_agencies):
    import_catalog([with_automatic("population_check"), record(national_code="1.000894", name="Đăng ký kết hôn")])
    steps = Procedure.objects.get(national_code="1.001193").current_version.steps
    assert [s.get("automatic") for s in steps][1] == "population_check"
    exported = export_catalog()
    records = read_workbook(io.BytesIO(write_workbook(exported))).records
    assert records == exported
    by_code = {r["national_code"]: r["process_definition"]["steps"] for r in records}
    assert by_code["1.001193"][1]["automatic"] == "population_check"
    assert all("automatic" not in s for s in by_code["1.000894"])
    assert sorted(import_catalog(records).unchanged) == ["1.000894", "1.001193"]


def test_marking_a_step_automatic_is_a_new_version(demo_agencies):
    import_catalog([record()])
    assert import_catalog([with_automatic("population_check")]).new_versions == ["1.001193"]


def test_an_unknown_check_is_refused(demo_agencies):
    with pytest.raises(CatalogImportError) as caught:
        import_catalog([with_automatic("tax_check")])
    assert [e.code for e in caught.value.errors] == ["not_allowed"]
    assert "process_definition/steps/1/automatic" in caught.value.errors[0].field


def test_a_workbook_without_the_column_has_no_automatic_step(demo_agencies):
    import_catalog([with_automatic("population_check")])
    book = load_workbook(io.BytesIO(write_workbook(export_catalog())))
    sheet = book["Quy trình"]
    sheet.delete_cols(sheet.max_column)  # an older workbook: no "Tự động" column
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    records = read_workbook(buffer).records
    assert all("automatic" not in s for s in records[0]["process_definition"]["steps"])
