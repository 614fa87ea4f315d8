"""Import and export through the admin screens and the management commands."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import record
from motcua.catalog.transfer import write_workbook


def upload(client, name, content):
    return client.post(reverse("admin:catalog_procedure_import"), {"file": SimpleUploadedFile(name, content)})


def test_admin_import_shows_every_error_and_imports_nothing(client, province_admin):
    client.force_login(province_admin)
    payload = json.dumps([record(), record(national_code="1.000002", statutory_days="-1")]).encode()
    response = upload(client, "thu-tuc.json", payload)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Thời hạn giải quyết phải là số ngày làm việc" in text and "Thủ tục thứ 2" in text
    assert "The statutory time" not in text  # one language at a time
    assert not Procedure.objects.exists()


def test_admin_import_errors_speak_the_chosen_language_only(client, province_admin):
    client.force_login(province_admin)
    bad = record(name="", statutory_days="abc")
    client.cookies["django_language"] = "en"
    text = upload(client, "thu-tuc.xlsx", write_workbook([bad])).content.decode()
    assert "Sheet “Thủ tục”, row 3" in text and "column B (name)" in text and "A required value is missing" in text
    assert "Thiếu giá trị" not in text and "dòng 3" not in text
    client.cookies["django_language"] = "vi"
    text = upload(client, "thu-tuc.xlsx", write_workbook([bad])).content.decode()
    assert "Trang «Thủ tục», dòng 3" in text and "cột B «Tên thủ tục»" in text and "Thiếu giá trị bắt buộc" in text
    assert "«abc» không phải là số" in text
    assert "A required value" not in text and "should be non-empty" not in text
    assert not Procedure.objects.exists()


def test_admin_imports_a_workbook_and_exports_it_again(client, province_admin):
    client.force_login(province_admin)
    response = upload(client, "thu-tuc.xlsx", write_workbook([record()]))
    assert response.status_code == 302
    assert Procedure.objects.filter(national_code="1.001193").exists()
    exported = client.get(reverse("admin:catalog_procedure_export_json"))
    assert json.loads(exported.content)["procedures"][0]["national_code"] == "1.001193"
    workbook = client.get(reverse("admin:catalog_procedure_export_xlsx"))
    assert workbook.content[:2] == b"PK"


def test_agency_admin_cannot_import(client, agency_admin):
    client.force_login(agency_admin)
    assert upload(client, "a.json", b"[]").status_code == 403


def test_commands_round_trip(tmp_path, demo_agencies):
    source = tmp_path / "in.json"
    source.write_text(json.dumps([record()]), encoding="utf-8")
    call_command("import_catalog", source, stdout=io.StringIO())
    target = tmp_path / "out.xlsx"
    call_command("export_catalog", target, stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_catalog", target, stdout=out)
    assert "không đổi/unchanged: 1" in out.getvalue()
    assert Procedure.objects.get().current_version.number == 1


def test_command_reports_errors(tmp_path, demo_agencies):
    source = tmp_path / "bad.json"
    source.write_text(json.dumps([record(level="district")]), encoding="utf-8")
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_catalog", source, stdout=io.StringIO(), stderr=errors)
    assert "level" in errors.getvalue()
