"""The leader's report: figures by agency for a period, with rates, drill-down, a chart and Excel export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.catalog.models import Field
from motcua.directory.models import Agency, Role
from motcua.directory.selectors import agencies_in_scope
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.reports.models import Metric
from motcua.reports.scorecard import compute, current_scorecard
from motcua.reports.selectors import Figures, figures_by_agency, total

REPORT_ROLES = (Role.LEADER, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN)
# Which events stand behind a figure (for the drill-down list).
DRILL = {
    Metric.RECEIVED: {"action": "receive"},
    Metric.RESOLVED_EARLY: {"action": "return_result", "data__outcome": "early"},
    Metric.RESOLVED_ON_TIME: {"action": "return_result", "data__outcome": "on_time"},
    Metric.RESOLVED_LATE: {"action": "return_result", "data__outcome": "late"},
    Metric.REFUSED: {"action": "refuse"},
    Metric.WITHDRAWN: {"action": "withdraw"},
}


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
    figures = figures_by_agency(first, last, agencies, field_code)
    rows = [(a, figures[a.pk]) for a in agencies if figures[a.pk].received_total or figures[a.pk].counts
            or figures[a.pk].in_progress]
    return first, last, rows, total(figures), field_code


@login_required(login_url="backoffice:login")
def report(request: HttpRequest) -> HttpResponse:
    first, last, rows, summary, field_code = _rows(request)
    context = {"first": first, "last": last, "rows": rows, "summary": summary, "field_code": field_code,
               "fields": Field.objects.all(), "query": request.GET.urlencode(),
               "chart": [(a.short_name or a.name, f.on_time_rate) for a, f in rows if f.on_time_rate is not None]}
    return render(request, "reports/report.html", context)


@login_required(login_url="backoffice:login")
def drill_down(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one figure of the report."""
    first, last = _period(request)
    agencies = _scope(request)
    metric = request.GET.get("so_lieu", "")
    lookup = DRILL.get(Metric(metric) if metric in Metric.values else Metric.RECEIVED, DRILL[Metric.RECEIVED])
    agency_ids = [a.pk for a in agencies]
    if request.GET.get("co_quan", "").isdigit() and int(request.GET["co_quan"]) in agency_ids:
        agency_ids = [int(request.GET["co_quan"])]
    start = dt.datetime.combine(first, dt.time.min, tzinfo=timezone.get_current_timezone())
    end_month = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    end = dt.datetime.combine(end_month, dt.time.min, tzinfo=timezone.get_current_timezone())
    events = DossierEvent.objects.filter(created_at__gte=start, created_at__lt=end,
                                         dossier__competent_agency_id__in=agency_ids, **lookup)
    dossiers = (Dossier.objects.filter(pk__in=events.values("dossier_id"))
                .select_related("procedure_version", "competent_agency").order_by("-submitted_at")[:500])
    return render(request, "reports/drill_down.html", {"dossiers": dossiers, "metric": Metric(metric).label
                                                       if metric in Metric.values else Metric.RECEIVED.label})


@login_required(login_url="backoffice:login")
def export_xlsx(request: HttpRequest) -> HttpResponse:
    first, last, rows, summary, _field = _rows(request)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = "Bao cao"
    sheet.append([f"Báo cáo tình hình giải quyết TTHC từ {first:%m/%Y} đến {last:%m/%Y}"])
    headers = ["Cơ quan", "Tiếp nhận", "Trực tuyến", "Trực tiếp", "Bưu chính", "Cổng DVCQG", "Đang giải quyết",
               "Trước hạn", "Đúng hạn", "Quá hạn", "Từ chối", "Rút", "Tỷ lệ đúng hạn (%)",
               "Tỷ lệ trực tuyến (%)", "Tỷ lệ số hóa (%)", "Tỷ lệ tái sử dụng (%)", "Tỷ lệ hài lòng (%)"]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for name, f in [(a.name, f) for a, f in rows] + [("Tổng cộng", summary)]:
        sheet.append(_line(name, f))
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
            f.received.get("postal", 0), f.received.get("national_portal", 0), f.in_progress,
            f.counts.get("resolved_early", 0), f.counts.get("resolved_on_time", 0), f.counts.get("resolved_late", 0),
            f.counts.get("refused", 0), f.counts.get("withdrawn", 0), number(f.on_time_rate),
            number(f.online_rate), number(f.digitisation_rate), number(f.reuse_rate), number(f.satisfaction_rate)]


@login_required(login_url="backoffice:login")
def scorecard(request: HttpRequest) -> HttpResponse:
    """The Decision 766 scorecard for the agencies in the user's scope (the whole province for its admin)."""
    first, last = _period(request)
    agencies = _scope(request)
    card = current_scorecard(last)
    lines = compute(card, first, last, agencies) if card else []
    scored = [line for line in lines if line.points is not None]
    context = {"card": card, "lines": lines, "first": first, "last": last,
               "score": sum((line.points for line in scored if line.points is not None), Decimal(0)),
               "available": sum((line.max_points for line in scored), Decimal(0)),
               "maximum": sum((line.max_points for line in lines), Decimal(0))}
    return render(request, "reports/scorecard.html", context)
