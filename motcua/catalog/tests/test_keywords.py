"""Per-procedure search keywords: in the exchange format (JSON and Excel), editable, searched at once."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from motcua.catalog.actions import export_catalog, import_catalog
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import record
from motcua.catalog.transfer import import_workbook, read_workbook, write_workbook


def search(query):
    return list(Procedure.objects.published().search(query).values_list("national_code", flat=True))


def test_keywords_travel_in_json_and_change_no_version(demo_agencies):
    import_catalog([record(keywords=["làm giấy khai sinh", "mẹ tròn con vuông"])])
    assert export_catalog()[0]["keywords"] == ["làm giấy khai sinh", "mẹ tròn con vuông"]
    assert search("me tron con vuong") == ["1.001193"]
    report = import_catalog([record(keywords=["giấy khai sinh cho bé"])])
    assert report.unchanged == ["1.001193"]  # keywords are this province's set-up, not the procedure's content
    procedure = Procedure.objects.get()
    assert procedure.current_version.number == 1
    assert procedure.keyword_list == ["giấy khai sinh cho bé"]
    assert search("giay khai sinh cho be") == ["1.001193"]
    assert search("me tron con vuong") == []  # the old keyword is gone from the search text
    import_catalog([record()])  # a file without keywords leaves them alone
    assert Procedure.objects.get().keyword_list == ["giấy khai sinh cho bé"]


def test_keywords_travel_in_excel(demo_agencies):
    import_catalog([record(keywords=["sổ hộ tịch", "giấy khai sinh"])])
    exported = export_catalog()
    assert read_workbook(io.BytesIO(write_workbook(exported))).records == exported
    Procedure.objects.update(keywords="")
    assert import_workbook(io.BytesIO(write_workbook(exported))).unchanged == ["1.001193"]
    assert Procedure.objects.get().keyword_list == ["sổ hộ tịch", "giấy khai sinh"]


def test_edited_keywords_are_searched_after_save(demo_agencies):
    import_catalog([record()])
    procedure = Procedure.objects.get()
    assert search("be moi de") == []
    procedure.keywords = "bé mới đẻ\nlàm giấy cho con"
    procedure.save()
    assert search("be moi de") == ["1.001193"]


def test_admin_shows_the_keywords_field(client, province_admin, demo_agencies):
    import_catalog([record()])
    client.force_login(province_admin)
    page = client.get(reverse("admin:catalog_procedure_change", args=[Procedure.objects.get().pk]))
    assert page.status_code == 200
    assert 'name="keywords"' in page.content.decode()


def test_a_workbook_without_the_keywords_column_leaves_them_alone(demo_agencies):
    import_catalog([record(keywords=["sổ hộ tịch"])])
    book = load_workbook(io.BytesIO(write_workbook(export_catalog())))
    sheet = book["Thủ tục"]
    sheet.delete_cols(sheet.max_column)  # the keywords column is the last one
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    assert import_workbook(stream).unchanged == ["1.001193"]
    assert Procedure.objects.get().keyword_list == ["sổ hộ tịch"]
