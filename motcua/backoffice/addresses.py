"""The clerks' old-address converter (/mot-cua/dia-chi/): many addresses at once, one a line, converted in a
table through the directory's converter (`directory.views.convert_line`, the same as the public page's)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.directory.selectors import StaffScope
from motcua.directory.views import convert_line, in_page_language
from motcua.privacy.staff import staff_view

CLERK_MAX_LINES = 50


@staff_view
def clerk_converter(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """For clerks: up to 50 old addresses, one a line, converted in a table (to copy into forms and registers)."""
    text = request.POST.get("addresses", "") if request.method == "POST" else ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    error = ""
    if request.method == "POST" and not lines:
        error = in_page_language(("Vui lòng nhập ít nhất một địa chỉ.", "Enter at least one address."))
    elif len(lines) > CLERK_MAX_LINES:
        error = in_page_language((f"Mỗi lần chuyển đổi tối đa {CLERK_MAX_LINES} địa chỉ.",
                          f"Convert at most {CLERK_MAX_LINES} addresses at a time."))
    rows = [] if error else [convert_line(line) for line in lines]
    return render(request, "directory/clerk_converter.html", {
        "text": text, "rows": rows, "error": error, "max_lines": CLERK_MAX_LINES,
        "converted": sum(1 for r in rows if r.result and r.result.ok),
    }, status=400 if error else 200)
