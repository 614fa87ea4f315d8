"""Writes of the reports app: long exports, asked for by a user and made by the job worker with progress."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from motcua.core.spreadsheet import safe_row
from motcua.directory.selectors import agencies_in_scope
from motcua.identity.models import User
from motcua.reports.models import ExportJob
from motcua.reports.selectors import REPORT_ROLES, dossiers_behind

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 1000
DOSSIER_COLUMNS = ["Mã hồ sơ", "Thủ tục", "Cơ quan giải quyết", "Kênh", "Trạng thái", "Người nộp",
                   "Ngày tiếp nhận", "Hạn giải quyết", "Ngày kết thúc", "Kết quả"]


def request_export(user: User, kind: str, params: dict[str, str]) -> ExportJob:
    """Queue an export (once: the same user asking again for the same thing while it runs gets the same job)."""
    from motcua.reports.tasks import run_export_task

    with transaction.atomic():
        running = ExportJob.objects.select_for_update().filter(
            requested_by=user, kind=kind, params=params, state__in=[ExportJob.State.QUEUED, ExportJob.State.RUNNING]
        ).first()
        if running is not None:
            return running
        job = ExportJob.objects.create(requested_by=user, kind=kind, params=params)
        transaction.on_commit(lambda: run_export_task.enqueue(job.pk))
    return job


def _period(params: dict[str, str]) -> tuple[dt.date, dt.date]:
    today = timezone.localdate().replace(day=1)

    def month(name: str) -> dt.date:
        try:
            return dt.date.fromisoformat(params.get(name, "") + "-01")
        except ValueError:
            return today

    first, last = month("tu"), month("den")
    return (first, last) if first <= last else (last, first)


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def run_export(job_id: int) -> str:
    """Make the export's file, writing progress as it goes. The user's scope is checked again here: a job made
    before a role was taken away exports nothing."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(state=ExportJob.State.RUNNING)
    if not claimed:
        return "not queued"
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        _write_dossiers(job)
    except Exception as exc:
        logger.exception("Export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(state=ExportJob.State.FAILED, error=str(exc)[:2000],
                                                   finished_at=timezone.now())
        return "failed"
    return "done"


def _write_dossiers(job: ExportJob) -> None:
    params: dict[str, Any] = job.params
    agency_ids = list(agencies_in_scope(job.requested_by, *REPORT_ROLES).values_list("pk", flat=True))
    wanted = str(params.get("co_quan", ""))
    if wanted.isdigit() and int(wanted) in agency_ids:
        agency_ids = [int(wanted)]
    first, last = _period(params)
    label, dossiers = dossiers_behind(str(params.get("so_lieu", "")), first, last, agency_ids)
    total = dossiers.count()
    ExportJob.objects.filter(pk=job.pk).update(total=total)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ho so")
    sheet.append([f"{label} — {first:%m/%Y}–{last:%m/%Y}"])
    sheet.append(DOSSIER_COLUMNS)
    rows = dossiers.select_related("procedure_version", "competent_agency").order_by("pk")
    done = 0
    exported: list[tuple[int, int | None, str]] = []  # whose names left the system (privacy access log)
    for d in rows.iterator(chunk_size=2000):
        exported.append((d.pk, d.applicant_id, d.applicant_id_number))
        sheet.append(safe_row([
            d.code, d.procedure_version.name, d.competent_agency.name, d.get_channel_display(),
            d.get_status_display(), d.applicant_name, _local(d.received_at), _local(d.effective_due_at),
            _local(d.finished_at), d.get_outcome_display() if d.outcome else ""]))
        done += 1
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(done=done)
    with tempfile.TemporaryFile() as handle:
        book.save(handle)
        handle.seek(0)
        job.filename = f"ho-so-{first:%Y%m}-{last:%Y%m}.xlsx"
        job.file.save(f"export-{job.pk}.xlsx", File(handle), save=False)
    from motcua.privacy.access import record_export

    record_export(actor=job.requested_by, dossiers=exported, detail=f"{job.filename} (export #{job.pk})")
    job.done, job.total, job.state, job.finished_at = done, total, ExportJob.State.DONE, timezone.now()
    job.save(update_fields=["file", "filename", "done", "total", "state", "finished_at"])
