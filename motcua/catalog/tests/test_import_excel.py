"""Excel import and export: errors point at the sheet and row an officer can fix."""

import io

import pytest
from openpyxl import load_workbook

from motcua.catalog.actions import CatalogImportError, export_catalog, import_catalog
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import record
from motcua.catalog.transfer import CatalogFileError, read_workbook, write_workbook


def workbook_bytes(records, edit=None):
    data = write_workbook(records)
    if edit is None:
        return io.BytesIO(data)
    book = load_workbook(io.BytesIO(data))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def import_workbook(stream):
    records, locate = read_workbook(stream)
    return import_catalog(records, locate=locate)


def test_workbook_round_trip(demo_agencies):
    import_catalog([record(), record(national_code="1.000894", name="Đăng ký kết hôn")])
    exported = export_catalog()
    records, _locate = read_workbook(io.BytesIO(write_workbook(exported)))
    assert records == exported
    assert import_workbook(io.BytesIO(write_workbook(exported))).unchanged == ["1.000894", "1.001193"]


def test_cell_errors_name_sheet_row_and_column(demo_agencies):
    def edit(book):
        book["Thành phần hồ sơ"]["E4"] = "hai"          # quantity of the second document
        book["Thủ tục"]["I3"] = "mười"                  # statutory days of the first procedure
    with pytest.raises(CatalogFileError) as caught:
        read_workbook(workbook_bytes([record()], edit))
    found = {(e.location, e.field, e.code) for e in caught.value.errors}
    assert found == {
        ("Trang «Thủ tục» / sheet “Thủ tục”, dòng / row 3", "statutory_days", "bad_cell"),
        ("Trang «Thành phần hồ sơ» / sheet “Thành phần hồ sơ”, dòng / row 4", "quantity", "bad_cell"),
    }
    assert not Procedure.objects.exists()


def test_record_errors_are_located_in_the_right_sheet(demo_agencies):
    def edit(book):
        book["Thành phần hồ sơ"]["D4"] = "photo"       # not a document form we know
        book["Quy trình"]["D4"] = "hai_quan"           # second step handled by an unknown function
    with pytest.raises(CatalogImportError) as caught:
        import_workbook(workbook_bytes([record()], edit))
    found = {(e.location, e.field) for e in caught.value.errors}
    assert found == {
        ("Trang «Thành phần hồ sơ» / sheet “Thành phần hồ sơ”, dòng / row 4", "form"),
        ("Trang «Quy trình» / sheet “Quy trình”, dòng / row 4", "agency"),
    }
    assert not Procedure.objects.exists()


def test_one_bad_procedure_blocks_the_whole_file(demo_agencies):
    def edit(book):
        book["Thủ tục"]["A4"] = "sai-ma"
    records = [record(), record(national_code="1.000894", name="Đăng ký kết hôn")]
    with pytest.raises(CatalogFileError):
        # The documents/steps rows still name 1.000894, which is no longer on the first sheet.
        import_workbook(workbook_bytes(records, edit))
    assert not Procedure.objects.exists()


def test_rows_for_an_unknown_procedure_are_reported(demo_agencies):
    def edit(book):
        book["Phí lệ phí"].append(["9.999999", "Phí lạ", "fixed", 1000])
    with pytest.raises(CatalogFileError) as caught:
        read_workbook(workbook_bytes([record()], edit))
    assert [(e.code, e.location) for e in caught.value.errors] == [
        ("unknown_procedure", "Trang «Phí lệ phí» / sheet “Phí lệ phí”, dòng / row 4"),
    ]


def test_vietnamese_number_formats_are_read(demo_agencies):
    def edit(book):
        book["Phí lệ phí"]["D3"] = "50.000"
    records, _locate = read_workbook(workbook_bytes([record()], edit))
    assert records[0]["fees"][0]["amount"] == 50000


def test_missing_sheet_and_garbage_file(demo_agencies):
    def edit(book):
        del book["Quy trình"]
    with pytest.raises(CatalogFileError) as caught:
        read_workbook(workbook_bytes([record()], edit))
    assert [e.code for e in caught.value.errors] == ["missing_sheet"]
    with pytest.raises(CatalogFileError) as caught:
        read_workbook(io.BytesIO(b"PK not really a zip"))
    assert [e.code for e in caught.value.errors] == ["bad_workbook"]
