"""Every report exports to PDF (text checked from the PDF itself), and the long export of the dossiers behind a
figure runs as a background job with progress, downloadable only by the person who asked for it."""

import io

import pypdfium2 as pdfium
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.reports import actions
from motcua.reports.models import ExportJob


def pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    return " ".join(" ".join(page.get_textpage().get_text_range() for page in document).split())


@pytest.fixture
def immediate_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}


@pytest.fixture
def november(demo_catalog, demo_agencies, clerk):
    return [land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, day)) for day in (2, 3, 4)]


def test_report_and_scorecard_pdf(client, november, leader):
    client.force_login(leader)
    query = {"tu": "2026-11", "den": "2026-11"}
    response = client.get(reverse("reports:report_pdf"), query)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "BÁO CÁO TÌNH HÌNH" in text and "Văn phòng Đăng ký đất đai tỉnh Đồng Nai" in text
    assert "Quá hạn hiện tại" in text and "Tổng cộng" in text
    card = pdf_text(client.get(reverse("reports:scorecard_pdf"), query).content)
    assert "Tỷ lệ hồ sơ nộp trực tuyến" in card and "Tổng điểm" in card


def test_dossier_export_runs_in_the_background_with_progress(client, november, leader, other_clerk, immediate_jobs,
                                                            monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(actions, "PROGRESS_EVERY", 1)
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_start"), {"tu": "2026-11", "den": "2026-11",
                                                                  "so_lieu": "received"})
    job = ExportJob.objects.get()
    assert response.url == reverse("reports:export_status", args=[job.pk])
    assert job.state == ExportJob.State.DONE and (job.done, job.total) == (3, 3)
    status = client.get(reverse("reports:export_status", args=[job.pk]), {"format": "json"}).json()
    assert status["percent"] == 100 and status["download"]
    page = client.get(reverse("reports:export_status", args=[job.pk])).content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' not in page
    download = client.get(status["download"])
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    codes = sorted(row[0] for row in sheet.iter_rows(min_row=3, values_only=True))
    assert codes == sorted(d.code for d in november)

    client.force_login(other_clerk)  # someone else: neither the status nor the file
    assert client.get(reverse("reports:export_status", args=[job.pk])).status_code == 404
    assert client.get(status["download"]).status_code == 404
    assert client.post(reverse("reports:export_start"), {"so_lieu": "received"}).status_code == 403


def test_a_queued_export_shows_its_progress_and_is_not_queued_twice(client, november, leader):
    client.force_login(leader)
    for _ in range(2):  # no worker yet (the commit callbacks of the test's transaction never run)
        client.post(reverse("reports:export_start"), {"tu": "2026-11", "den": "2026-11"})
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.QUEUED
    page = client.get(reverse("reports:export_status", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page
    assert actions.run_export(job.pk) == "done" and actions.run_export(job.pk) == "not queued"
    job.refresh_from_db()
    assert job.total == 3 and job.file
