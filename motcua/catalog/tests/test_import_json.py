"""Catalog import: every problem reported with its place, nothing half-imported, re-import is harmless."""

import json

import pytest

from motcua.catalog.actions import CatalogImportError, export_catalog, import_catalog
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.tests.factories import record
from motcua.catalog.transfer import CatalogFileError, dump_json, load_json


def test_valid_record_is_imported(demo_agencies):
    report = import_catalog([record()])
    assert report.created == ["1.001193"]
    procedure = Procedure.objects.get(national_code="1.001193")
    assert procedure.current_version.number == 1
    assert list(procedure.competent_agencies.values_list("eid_code", flat=True)) == ["000.01.70.H19"]
    assert procedure.current_version.is_same_day


def test_errors_in_several_records_are_all_reported_and_nothing_is_written(demo_agencies):
    good = record(national_code="1.000001")
    bad_code = record(national_code="KS-01")
    bad_days = record(national_code="1.000002", statutory_days="ba ngày")
    unknown_agency = record(national_code="1.000003", competent_agencies=["999.99.99.H99"])
    with pytest.raises(CatalogImportError) as caught:
        import_catalog([good, bad_code, bad_days, unknown_agency])
    errors = caught.value.errors
    assert [(e.location_en, e.field, e.code) for e in errors] == [
        ("Record 2 (KS-01)", "national_code", "bad_code"),
        ("Record 3 (1.000002)", "statutory_days", "bad_days"),
        ("Record 4 (1.000003)", "competent_agencies", "unknown_agency"),
    ]
    assert "999.99.99.H99" in errors[2].message_vi and "999.99.99.H99" in errors[2].message_en
    assert not Procedure.objects.exists()
    assert not ProcedureVersion.objects.exists()


def test_process_definition_is_checked(demo_agencies):
    steps = record()["process_definition"]["steps"]
    steps[1]["agency"] = "customs"
    steps[2]["actions"] = ["approve"]
    steps[0]["days"] = "1"
    with pytest.raises(CatalogImportError) as caught:
        import_catalog([record(process_definition={"steps": steps})])
    codes = {(e.field, e.code) for e in caught.value.errors}
    assert codes == {
        ("process_definition/steps/1/agency", "unknown_function"),
        ("process_definition/steps/2/actions", "no_return"),
        ("process_definition", "days_mismatch"),
    }


def test_bad_eform_schema_is_refused(demo_agencies):
    with pytest.raises(CatalogImportError) as caught:
        import_catalog([record(eform_schema={"type": "objekt"})])
    assert [e.code for e in caught.value.errors] == ["bad_eform"]


def test_duplicate_codes_in_one_file_are_refused(demo_agencies):
    with pytest.raises(CatalogImportError) as caught:
        import_catalog([record(), record()])
    assert [e.code for e in caught.value.errors] == ["duplicate_code"]


def test_reimport_of_same_content_changes_nothing_and_new_content_makes_a_version(demo_agencies):
    import_catalog([record()])
    assert import_catalog([record()]).unchanged == ["1.001193"]
    assert import_catalog([record(statutory_days=0)]).unchanged == ["1.001193"]  # same value, other spelling
    report = import_catalog([record(statutory_days="1", process_definition={"steps": [
        {**step, "days": "1" if i == 0 else "0"} for i, step in enumerate(record()["process_definition"]["steps"])
    ]})])
    assert report.new_versions == ["1.001193"]
    procedure = Procedure.objects.get(national_code="1.001193")
    assert [v.number for v in procedure.versions.all()] == [2, 1]
    assert procedure.current_version.number == 2
    assert str(procedure.versions.get(number=1).statutory_days) == "0.00"


def test_export_then_import_round_trips(demo_agencies):
    import_catalog([record(), record(national_code="1.000894", name="Đăng ký kết hôn")])
    exported = load_json(dump_json(export_catalog()))
    assert [r["national_code"] for r in exported] == ["1.000894", "1.001193"]
    assert import_catalog(exported).unchanged == ["1.000894", "1.001193"]


@pytest.mark.parametrize("payload", [b"{not json", b'{"procedures": 3}', "\udcff".encode("utf-8", "surrogatepass")])
def test_unreadable_json_gets_a_clear_error(payload):
    with pytest.raises(CatalogFileError) as caught:
        load_json(payload)
    error = caught.value.errors[0]
    assert error.message_vi and error.message_en


def test_non_object_record_is_reported(demo_agencies):
    with pytest.raises(CatalogImportError) as caught:
        import_catalog([json.loads("3")])
    assert caught.value.errors[0].code == "not_object"
