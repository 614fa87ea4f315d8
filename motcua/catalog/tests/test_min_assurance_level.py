"""A procedure's minimum electronic identification level travels in the JSON and Excel exchange format."""

import io

import pytest

from motcua.catalog.actions import CatalogImportError, export_catalog, import_catalog
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import record
from motcua.catalog.transfer import dump_json, load_json, read_workbook, write_workbook


def test_json_import_export_keeps_the_level(demo_agencies):
    import_catalog([record(min_assurance_level=2), record(national_code="1.000894", name="Đăng ký kết hôn")])
    levels = dict(Procedure.objects.values_list("national_code", "current_version__min_assurance_level"))
    assert levels == {"1.001193": 2, "1.000894": 0}
    exported = {r["national_code"]: r for r in load_json(dump_json(export_catalog()))}
    assert exported["1.001193"]["min_assurance_level"] == 2
    assert "min_assurance_level" not in exported["1.000894"]  # absent means none required
    assert sorted(import_catalog(list(exported.values())).unchanged) == ["1.000894", "1.001193"]


def test_a_change_of_level_is_a_new_version_and_zero_is_the_default(demo_agencies):
    import_catalog([record()])
    assert import_catalog([record(min_assurance_level=0)]).unchanged == ["1.001193"]
    assert import_catalog([record(min_assurance_level=1)]).new_versions == ["1.001193"]
    assert Procedure.objects.get().current_version.min_assurance_level == 1


def test_excel_round_trip_keeps_the_level(demo_agencies):
    import_catalog([record(min_assurance_level=2), record(national_code="1.000894", name="Đăng ký kết hôn")])
    exported = export_catalog()
    records = read_workbook(io.BytesIO(write_workbook(exported))).records
    assert records == exported
    assert {r["national_code"]: r.get("min_assurance_level") for r in records} == {"1.001193": 2, "1.000894": None}


def test_an_unknown_level_is_refused(demo_agencies):
    with pytest.raises(CatalogImportError) as caught:
        import_catalog([record(min_assurance_level=3)])
    assert [(e.field, e.code) for e in caught.value.errors] == [("min_assurance_level", "not_allowed")]
