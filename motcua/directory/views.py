"""Address pages: the public old-address converter (/dia-chi/chuyen-doi/) and the clerks' one, which takes many
addresses at once (one a line) in the back office. Both call `addresses.convert`, nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django_ratelimit.core import is_ratelimited

from motcua.backoffice.selectors import StaffScope
from motcua.backoffice.views import staff_view
from motcua.directory import addresses
from motcua.directory.addresses import AddressInputError, Conversion

CLERK_MAX_LINES = 50


def _message(pair: tuple[str, str]) -> str:
    return pair[1] if (get_language() or "vi").startswith("en") else pair[0]


@dataclass
class Row:
    text: str
    result: Conversion | None
    error: str

    @property
    def message(self) -> str:
        return _message(self.result.message()) if self.result else self.error


def _convert(text: str, code: str = "") -> Row:
    try:
        result = addresses.convert_codes(commune_code=code) if code and not text else addresses.convert(text)
    except AddressInputError as exc:
        return Row(text, None, _message((exc.message_vi, exc.message_en)))
    return Row(text, result, "")


def converter(request: HttpRequest) -> HttpResponse:
    """The public converter: one address (or old commune code) in, the 2025 address out, or the candidates."""
    text = request.GET.get("address", "").strip()
    code = request.GET.get("old_commune_code", "").strip()
    row: Row | None = None
    status = 200
    if text or code or "address" in request.GET:
        if is_ratelimited(request, group="address-convert", key="ip", rate=settings.MOTCUA_ADDRESS_CONVERT_RATE,
                          increment=True):
            row = Row(text, None, _message(("Quá nhiều yêu cầu; vui lòng đợi một phút.",
                                            "Too many requests; wait a minute.")))
            status = 429
        else:
            row = _convert(text, code)
            status = 400 if row.result is None else 200
    return render(request, "directory/converter.html", {"row": row, "text": text or (row.text if row else "")},
                  status=status)


@staff_view
def clerk_converter(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """For clerks: up to 50 old addresses, one a line, converted in a table (to copy into forms and registers)."""
    text = request.POST.get("addresses", "") if request.method == "POST" else ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    error = ""
    if request.method == "POST" and not lines:
        error = _message(("Vui lòng nhập ít nhất một địa chỉ.", "Enter at least one address."))
    elif len(lines) > CLERK_MAX_LINES:
        error = _message((f"Mỗi lần chuyển đổi tối đa {CLERK_MAX_LINES} địa chỉ.",
                          f"Convert at most {CLERK_MAX_LINES} addresses at a time."))
    rows = [] if error else [_convert(line) for line in lines]
    return render(request, "directory/clerk_converter.html", {
        "text": text, "rows": rows, "error": error, "max_lines": CLERK_MAX_LINES,
        "converted": sum(1 for r in rows if r.result and r.result.ok),
    }, status=400 if error else 200)
