"""Excel import and export: errors point at the sheet and row an officer can fix."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from motcua.catalog.actions import CatalogImportError, export_catalog, import_catalog
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import record
from motcua.catalog.transfer import CatalogFileError, import_workbook, read_workbook, write_workbook


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


def test_workbook_round_trip(demo_agencies):
    import_catalog([record(), record(national_code="1.000894", name="Đăng ký kết hôn")])
    exported = export_catalog()
    assert read_workbook(io.BytesIO(write_workbook(exported))).records == exported
    assert import_workbook(io.BytesIO(write_workbook(exported))).unchanged == ["1.000894", "1.001193"]


def test_cell_errors_name_sheet_row_and_column(demo_agencies):
    def edit(book):
        book["Thành phần hồ sơ"]["E4"] = "hai"          # quantity of the second document
        book["Thủ tục"]["I3"] = "mười"                  # statutory days of the first procedure
    with pytest.raises(CatalogImportError) as caught:
        import_workbook(workbook_bytes([record()], edit))
    found = {(e.location, e.column_vi, e.code) for e in caught.value.errors}
    assert found == {
        ("Trang «Thủ tục», dòng 3", "cột I «Thời hạn giải quyết (ngày)»", "bad_cell"),
        ("Trang «Thành phần hồ sơ», dòng 4", "cột E «Số lượng»", "bad_cell"),
    }
    assert not Procedure.objects.exists()


def test_record_errors_are_located_in_the_right_sheet(demo_agencies):
    def edit(book):
        book["Thành phần hồ sơ"]["D4"] = "photo"       # not a document form we know
        book["Quy trình"]["D4"] = "hai_quan"           # second step handled by an unknown function
    with pytest.raises(CatalogImportError) as caught:
        import_workbook(workbook_bytes([record()], edit))
    found = {(e.location_en, e.field) for e in caught.value.errors}
    assert found == {
        ("Sheet “Thành phần hồ sơ”, row 4", "form"),
        ("Sheet “Quy trình”, row 4", "agency"),
    }
    assert not Procedure.objects.exists()


def test_one_bad_procedure_blocks_the_whole_file(demo_agencies):
    def edit(book):
        book["Thủ tục"]["A4"] = "sai-ma"
    records = [record(), record(national_code="1.000894", name="Đăng ký kết hôn")]
    with pytest.raises(CatalogImportError):
        # The documents/steps rows still name 1.000894, which is no longer on the first sheet.
        import_workbook(workbook_bytes(records, edit))
    assert not Procedure.objects.exists()


def test_rows_for_an_unknown_procedure_are_reported(demo_agencies):
    def edit(book):
        book["Phí lệ phí"].append(["9.999999", "Phí lạ", "fixed", 1000])
    with pytest.raises(CatalogImportError) as caught:
        import_workbook(workbook_bytes([record()], edit))
    assert [(e.code, e.location) for e in caught.value.errors] == [
        ("unknown_procedure", "Trang «Phí lệ phí», dòng 4"),
    ]


def test_vietnamese_number_formats_are_read(demo_agencies):
    def edit(book):
        book["Phí lệ phí"]["D3"] = "50.000"
    assert read_workbook(workbook_bytes([record()], edit)).records[0]["fees"][0]["amount"] == 50000


def test_missing_sheet_and_garbage_file(demo_agencies):
    def edit(book):
        del book["Quy trình"]
    with pytest.raises(CatalogFileError) as caught:
        read_workbook(workbook_bytes([record()], edit))
    assert [e.code for e in caught.value.errors] == ["missing_sheet"]
    with pytest.raises(CatalogFileError) as caught:
        read_workbook(io.BytesIO(b"PK not really a zip"))
    assert [e.code for e in caught.value.errors] == ["bad_workbook"]


def three_bad_procedures(book):
    book["Thủ tục"]["B3"] = None                   # empty name
    book["Thủ tục"]["I4"] = "abc"                  # statutory days of the second procedure
    book["Thủ tục"]["H5"] = "999.99.99.H99"        # the third one is handled by an agency that does not exist


def three_procedures():
    return [record(national_code=f"1.00000{n}", name=f"Thủ tục {n}") for n in (1, 2, 3)]


def test_every_row_of_every_sheet_is_reported_in_one_pass(demo_agencies):
    """Empty name, days "abc" and an unknown agency all come back together, not one after the other."""
    def edit(book):
        three_bad_procedures(book)
        book["Quy trình"]["F3"] = "mot"             # a step's days, on another sheet
    with pytest.raises(CatalogImportError) as caught:
        import_workbook(workbook_bytes(three_procedures(), edit))
    found = [(e.location, e.column_vi, e.code) for e in caught.value.errors]
    assert found == [
        ("Trang «Quy trình», dòng 3", "cột F «Số ngày»", "bad_cell"),
        ("Trang «Thủ tục», dòng 3", "cột B «Tên thủ tục»", "required"),
        ("Trang «Thủ tục», dòng 4", "cột I «Thời hạn giải quyết (ngày)»", "bad_cell"),
        ("Trang «Thủ tục», dòng 5", "cột H «Mã định danh cơ quan thực hiện»", "unknown_agency"),
    ]
    assert not Procedure.objects.exists()


def test_messages_are_plain_vietnamese_and_english_when_chosen(demo_agencies):
    with pytest.raises(CatalogImportError) as caught:
        import_workbook(workbook_bytes(three_procedures(), three_bad_procedures))
    errors = caught.value.errors
    with translation.override("vi"):
        shown = [str(e) for e in errors]
    assert shown == [
        "Trang «Thủ tục», dòng 3, cột B «Tên thủ tục»: Thiếu giá trị bắt buộc. Hãy điền giá trị này.",
        "Trang «Thủ tục», dòng 4, cột I «Thời hạn giải quyết (ngày)»: «abc» không phải là số. "
        "Hãy ghi một số ngày, ví dụ 15 hoặc 0,5.",
        "Trang «Thủ tục», dòng 5, cột H «Mã định danh cơ quan thực hiện»: Không có cơ quan nào mang mã định danh "
        "999.99.99.H99. Hãy kiểm tra lại mã, hoặc thêm cơ quan đó trước.",
    ]
    with translation.override("en"):
        shown = [str(e) for e in errors]
    assert shown[1] == ("Sheet “Thủ tục”, row 4, column I (statutory_days): “abc” is not a number. "
                        "Please write a number of days such as 15 or 0.5.")
    assert "Trang" not in " ".join(shown) and "dòng" not in " ".join(shown)


@pytest.mark.parametrize("raw", [{"name": ""}, {"name": "x" * 501}, {"level": "district"}, {"national_code": "KS-01"},
                                 {"fees": [{"name": "Phí", "amount": -1}]}, {"legal_basis": "Luật"}, {"extra": 1}])
def test_no_raw_jsonschema_english_reaches_a_vietnamese_user(demo_agencies, raw):
    with pytest.raises(CatalogImportError) as caught:
        import_catalog([record(**raw)])
    for error in caught.value.errors:
        assert "should" not in error.message_vi and "is not" not in error.message_vi and "'" not in error.message_vi
        assert error.code != "schema"


def test_a_record_level_problem_points_at_the_sheet_that_holds_it(demo_agencies):
    def edit(book):
        book["Quy trình"]["F3"] = "2"               # the steps now add up to 2 days, the time limit says 0
    with pytest.raises(CatalogImportError) as caught:
        import_workbook(workbook_bytes([record()], edit))
    [error] = caught.value.errors
    assert (error.code, error.location, error.column_vi) == ("days_mismatch", "Trang «Thủ tục», dòng 3",
                                                             "trang «Quy trình»")


def test_formula_like_text_is_written_as_text_and_read_back_as_typed(demo_agencies):
    """A name or note beginning with = + - @ is no live formula in the exported workbook, and imports back
    unchanged (the catalog's own files round-trip)."""
    hostile = record(name='=HYPERLINK("http://x","Đăng ký")')
    hostile["required_documents"][0]["note"] = "-chỉ nộp khi có thay đổi"
    import_catalog([hostile])
    exported = export_catalog()
    data = write_workbook(exported)
    book = load_workbook(io.BytesIO(data))
    formulas = [cell.coordinate for sheet in book for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]
    assert formulas == []
    assert "'" + hostile["name"] in [cell.value for row in book["Thủ tục"].iter_rows() for cell in row]
    assert read_workbook(io.BytesIO(data)).records == exported
