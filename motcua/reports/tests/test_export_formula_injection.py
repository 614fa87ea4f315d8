"""Text typed by a person goes into the spreadsheets as text: an applicant name like `=HYPERLINK(…)` is not a live
formula in the dossier export, nor an agency name in the report's workbook (OWASP "CSV injection")."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.core.spreadsheet import safe_text, unescape_text
from motcua.dossiers.actions import Applicant
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.reports import actions
from motcua.reports.models import ExportJob

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", [*HOSTILE, "Nguyễn Văn A", "", "'=already quoted"])
def test_safe_text_round_trips(text):
    escaped = safe_text(text)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unescape_text(escaped) == text


def test_numbers_and_dates_are_left_as_they_are():
    assert safe_text(-5) == -5 and safe_text(None) is None


def test_dossier_export_writes_hostile_names_as_text(demo_catalog, demo_agencies, clerk, leader):
    for day, name in enumerate(HOSTILE, start=2):
        land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, day),
                     applicant=Applicant(name=name, id_number="075195004321", phone="0987654321"))
    job = ExportJob.objects.create(requested_by=leader, kind="dossiers",
                                   params={"tu": "2026-11", "den": "2026-11", "so_lieu": "received"})
    assert actions.run_export(job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    cells = [cell for row in sheet.iter_rows(min_row=3) for cell in row]
    assert cells and not [cell.coordinate for cell in cells if cell.data_type == "f"]
    names = sorted(row[5] for row in sheet.iter_rows(min_row=3, values_only=True))
    stored = Dossier.objects.values_list("applicant_name", flat=True)  # as intake kept them (trimmed)
    assert names == sorted("'" + name for name in stored)


def test_report_workbook_writes_agency_names_as_text(client, demo_catalog, demo_agencies, clerk, leader):
    land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 3))
    agency = demo_agencies["land_office"]
    agency.name = '=HYPERLINK("http://x","Văn phòng")'
    agency.save(update_fields=["name"])
    client.force_login(leader)
    response = client.get(reverse("reports:export_xlsx"), {"tu": "2026-11", "den": "2026-11"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=3) for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'" + agency.name in [cell.value for cell in cells]
