"""The leader's report: figures by agency for a period, with rates, drill-down, a chart and Excel export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.catalog.models import Field
from motcua.core.spreadsheet import safe_row
from motcua.directory.models import Agency, AgencyLevel
from motcua.directory.selectors import agencies_in_scope
from motcua.dossiers.models import Dossier
from motcua.identity.models import User
from motcua.reports.actions import request_export
from motcua.reports.models import ExportJob
from motcua.reports.scorecard import Line, compute, current_scorecard
from motcua.reports.selectors import REPORT_ROLES, Figures, dossiers_behind, figures_by_agency, total

DRILL_SHOWN = 500
REPORT_COLUMNS = [
    "Cơ quan", "Tiếp nhận", "Trực tuyến", "Trực tiếp", "Bưu chính", "Cổng DVCQG", "Đang giải quyết",
    "Quá hạn hiện tại", "Trước hạn", "Đúng hạn", "Quá hạn", "Từ chối", "Rút", "Tỷ lệ đúng hạn (%)",
    "Tỷ lệ trực tuyến (%)", "Tỷ lệ số hóa (%)", "Tỷ lệ tái sử dụng (%)", "Tỷ lệ hài lòng (%)",
    "Tỷ lệ trực tuyến toàn trình (%)", "Tỷ lệ thanh toán trực tuyến (%)",
]


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()

    def month(name: str, default: dt.date) -> dt.date:
        try:
            return dt.date.fromisoformat(request.GET.get(name, "") + "-01")
        except ValueError:
            return default

    first = month("tu", today.replace(day=1))
    last = month("den", today.replace(day=1))
    return (first, last) if first <= last else (last, first)


def _scope(request: HttpRequest) -> list[Agency]:
    agencies = list(agencies_in_scope(request.user, *REPORT_ROLES).order_by("path"))
    if not agencies:
        raise PermissionDenied
    return agencies


def _rows(request: HttpRequest) -> tuple[dt.date, dt.date, list[tuple[Agency, Figures]], Figures, str]:
    first, last = _period(request)
    agencies = _scope(request)
    field_code = request.GET.get("linh_vuc", "")
    level = request.GET.get("cap", "")
    if level in AgencyLevel.values:  # province departments, communes …
        agencies = [a for a in agencies if a.level == level]
    figures = figures_by_agency(first, last, agencies, field_code, request.GET.get("thu_tuc", "").strip()[:20])
    rows = [(a, figures[a.pk]) for a in agencies if figures[a.pk].received_total or figures[a.pk].counts
            or figures[a.pk].in_progress or figures[a.pk].overdue_now]
    return first, last, rows, total(figures), field_code


@login_required(login_url="backoffice:login")
def report(request: HttpRequest) -> HttpResponse:
    first, last, rows, summary, field_code = _rows(request)
    context = {"first": first, "last": last, "rows": rows, "summary": summary, "field_code": field_code,
               "levels": AgencyLevel.choices, "level": request.GET.get("cap", ""),
               "procedure_code": request.GET.get("thu_tuc", ""),
               "fields": Field.objects.all(), "query": request.GET.urlencode(),
               "chart": [(a.short_name or a.name, f.on_time_rate) for a, f in rows if f.on_time_rate is not None]}
    return render(request, "reports/report.html", context)


def _drill(request: HttpRequest) -> tuple[str, QuerySet[Dossier]]:
    first, last = _period(request)
    agency_ids = [a.pk for a in _scope(request)]
    if request.GET.get("co_quan", "").isdigit() and int(request.GET["co_quan"]) in agency_ids:
        agency_ids = [int(request.GET["co_quan"])]
    return dossiers_behind(request.GET.get("so_lieu", ""), first, last, agency_ids)


@login_required(login_url="backoffice:login")
def drill_down(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one figure of the report (the first 500; all of them by a background export)."""
    label, dossiers = _drill(request)
    shown = list(dossiers.select_related("procedure_version", "competent_agency")[:DRILL_SHOWN + 1])
    return render(request, "reports/drill_down.html", {
        "dossiers": shown[:DRILL_SHOWN], "more": len(shown) > DRILL_SHOWN, "metric": label,
        "query": request.GET.urlencode()})


@login_required(login_url="backoffice:login")
def export_xlsx(request: HttpRequest) -> HttpResponse:
    first, last, rows, summary, _field = _rows(request)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = "Bao cao"
    sheet.append([f"Báo cáo tình hình giải quyết TTHC từ {first:%m/%Y} đến {last:%m/%Y}"])
    headers = REPORT_COLUMNS
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for name, f in [(a.name, f) for a, f in rows] + [("Tổng cộng", summary)]:
        sheet.append(safe_row(_line(name, f)))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{first:%Y%m}-{last:%Y%m}.xlsx"'
    return response


def _line(name: str, f: Figures) -> list[Any]:
    def number(value: Any) -> Any:
        return float(value) if value is not None else None

    return [name, f.received_total, f.received.get("online", 0), f.received.get("counter", 0),
            f.received.get("postal", 0), f.received.get("national_portal", 0), f.in_progress, f.overdue_now,
            f.counts.get("resolved_early", 0), f.counts.get("resolved_on_time", 0), f.counts.get("resolved_late", 0),
            f.counts.get("refused", 0), f.counts.get("withdrawn", 0), number(f.on_time_rate),
            number(f.online_rate), number(f.digitisation_rate), number(f.reuse_rate), number(f.satisfaction_rate),
            number(f.fully_online_rate), number(f.online_payment_rate)]


@login_required(login_url="backoffice:login")
def scorecard(request: HttpRequest) -> HttpResponse:
    """The Decision 766 scorecard for the agencies in the user's scope (the whole province for its admin)."""
    return render(request, "reports/scorecard.html", _scorecard_context(request))


def _points(lines: list[Line]) -> tuple[Decimal, Decimal, Decimal]:
    """(points scored, maximum of the indicators that could be computed, maximum in all)."""
    scored = [line for line in lines if line.points is not None]
    return (sum((line.points for line in scored if line.points is not None), Decimal(0)),
            sum((line.max_points for line in scored), Decimal(0)), sum((line.max_points for line in lines), Decimal(0)))


def _scorecard_context(request: HttpRequest) -> dict[str, Any]:
    """The scorecard over the user's scope, narrowed to one level (`cap`: departments, communes …) or to one agency
    (`co_quan`, within the scope); with `theo_co_quan=1`, each agency's own score (one computation per agency with
    dossiers in the period, so only on request), each linking to its own scorecard."""
    first, last = _period(request)
    scope = _scope(request)
    agencies = scope
    level = request.GET.get("cap", "")
    if level in AgencyLevel.values:
        agencies = [a for a in agencies if a.level == level]
    chosen = request.GET.get("co_quan", "")
    agency = next((a for a in scope if chosen.isdigit() and a.pk == int(chosen)), None)
    if agency is not None:
        agencies = [agency]
    card = current_scorecard(last)
    lines = compute(card, first, last, agencies) if card and agencies else []
    score, available, maximum = _points(lines)
    by_agency: list[tuple[Agency, Decimal, Decimal]] = []
    if card and agency is None and request.GET.get("theo_co_quan") == "1":
        figures = figures_by_agency(first, last, agencies, live=False)
        for each in agencies:
            if figures[each.pk].received_total:
                each_score, each_available, _all = _points(compute(card, first, last, [each]))
                by_agency.append((each, each_score, each_available))
    base = {k: v for k, v in request.GET.items() if k in ("tu", "den", "cap")}
    return {"card": card, "lines": lines, "first": first, "last": last, "query": request.GET.urlencode(),
            "score": score, "available": available, "maximum": maximum, "levels": AgencyLevel.choices,
            "level": level, "agency": agency, "by_agency": by_agency, "base_query": urlencode(base),
            "scope": scope if len(scope) > 1 else []}


EXPORT_PARAMS = ("tu", "den", "so_lieu", "co_quan", "linh_vuc")


@login_required(login_url="backoffice:login")
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    """Queue the export of every dossier behind a figure; the page that follows shows its progress."""
    _scope(request)
    params = {name: request.POST.get(name, "")[:20] for name in EXPORT_PARAMS if request.POST.get(name)}
    assert isinstance(request.user, User)  # noqa: S101 - login_required
    job = request_export(request.user, ExportJob.Kind.DOSSIERS_XLSX, params)
    return redirect("reports:export_status", job_id=job.pk)


def _own_job(request: HttpRequest, job_id: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=job_id, requested_by_id=request.user.pk)


@login_required(login_url="backoffice:login")
def export_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    if request.GET.get("format") == "json":
        return JsonResponse({"state": job.state, "done": job.done, "total": job.total, "percent": job.percent,
                             "download": reverse("reports:export_download", args=[job.pk])
                             if job.state == ExportJob.State.DONE else None})
    return render(request, "reports/export_status.html", {"job": job})


@login_required(login_url="backoffice:login")
def export_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = _own_job(request, job_id)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


def _pdf(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    document: bytes = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required(login_url="backoffice:login")
def report_pdf(request: HttpRequest) -> HttpResponse:
    first, last, rows, summary, _field = _rows(request)
    return _pdf("reports/report_pdf.html", {
        "first": first, "last": last, "columns": REPORT_COLUMNS,
        "lines": [_line(a.name, f) for a, f in rows] + [_line("Tổng cộng", summary)],
        "made_at": timezone.localtime(), "site_name": settings.MOTCUA_SITE_NAME,
    }, f"bao-cao-{first:%Y%m}-{last:%Y%m}.pdf")


@login_required(login_url="backoffice:login")
def scorecard_pdf(request: HttpRequest) -> HttpResponse:
    context = _scorecard_context(request)
    context.update(made_at=timezone.localtime(), site_name=settings.MOTCUA_SITE_NAME)
    return _pdf("reports/scorecard_pdf.html", context,
                f"chi-so-766-{context['first']:%Y%m}-{context['last']:%Y%m}.pdf")
