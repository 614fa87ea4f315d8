"""`/thong-ke/`: the province's one-stop statistics for everyone (no sign-in), with CSV and JSON downloads."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from motcua.core.spreadsheet import safe_row
from motcua.directory.models import AgencyLevel
from motcua.reports.public import MAX_MONTHS, Statistics, as_json, parse_filters, statistics

ERRORS = {
    "tu": "The start month must look like 2026-01.",
    "den": "The end month must look like 2026-12.",
    "range": "At most 24 months are shown: the period was shortened to its last 24 months.",
    "cap": "Unknown level: all levels are shown.",
    "co_quan": "The agency must be given by its number.",
}


def _statistics(request: HttpRequest) -> tuple[Statistics, list[str]]:
    filters, errors = parse_filters(request.GET, timezone.localdate())
    return statistics(filters), errors


def public_statistics(request: HttpRequest) -> HttpResponse:
    stats, errors = _statistics(request)
    peak = max((f.received_total for _m, f in stats.trend), default=0) or 1
    trend = [(month, f, round(100 * f.received_total / peak)) for month, f in stats.trend]
    return render(request, "reports/public_statistics.html", {
        "stats": stats, "errors": [_(ERRORS[e]) for e in errors], "levels": AgencyLevel.choices,
        "trend": trend, "query": request.GET.urlencode(), "max_months": MAX_MONTHS,
        "targets": dict(stats.targets.items())})


@cache_control(public=True, max_age=300)
def public_statistics_json(request: HttpRequest) -> JsonResponse:
    stats, errors = _statistics(request)
    body = as_json(stats)
    body["warnings"] = [ERRORS[e] for e in errors]
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


CSV_COLUMNS = ["Cơ quan", "Mã định danh", "Cấp", "Tiếp nhận", "Trực tuyến", "Tỷ lệ trực tuyến (%)", "Đã giải quyết",
               "Đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn (%)", "Số hóa", "Tỷ lệ số hóa (%)", "Đã thanh toán",
               "Thanh toán trực tuyến", "Tỷ lệ thanh toán trực tuyến (%)", "Lượt đánh giá", "Hài lòng",
               "Tỷ lệ hài lòng (%)", "Phản ánh, kiến nghị"]
RECORD_KEYS = ["received", "received_online", "online_rate", "resolved", "resolved_on_time", "resolved_late",
               "on_time_rate", "digitised", "digitisation_rate", "paid", "paid_online", "online_payment_rate",
               "surveyed", "satisfied", "satisfaction_rate", "petitions"]


@cache_control(public=True, max_age=300)
def public_statistics_csv(request: HttpRequest) -> HttpResponse:
    stats, _errors = _statistics(request)
    body = as_json(stats)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for agency in body["agencies"]:
        writer.writerow(safe_row([agency["name"], agency["code"], agency["level"],
                                  *("" if agency[k] is None else agency[k] for k in RECORD_KEYS)]))
    writer.writerow(safe_row(["Tổng cộng", "", "", *("" if body["total"][k] is None else body["total"][k]
                                                      for k in RECORD_KEYS)]))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="thong-ke-{stats.filters.first:%Y%m}-{stats.filters.last:%Y%m}.csv"')
    return response
