"""Address pages: the public old-address converter (/dia-chi/chuyen-doi/). The clerks' one, which takes many
addresses at once (one a line), is a back-office page (`backoffice/addresses.py`); both call `convert_line`."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django_ratelimit.core import is_ratelimited

from motcua.directory import addresses
from motcua.directory.addresses import AddressInputError, Conversion


def in_page_language(pair: tuple[str, str]) -> str:
    return pair[1] if (get_language() or "vi").startswith("en") else pair[0]


@dataclass
class Row:
    text: str
    result: Conversion | None
    error: str

    @property
    def message(self) -> str:
        return in_page_language(self.result.message()) if self.result else self.error


def convert_line(text: str, code: str = "") -> Row:
    try:
        result = addresses.convert_codes(commune_code=code) if code and not text else addresses.convert(text)
    except AddressInputError as exc:
        return Row(text, None, in_page_language((exc.message_vi, exc.message_en)))
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
            row = Row(text, None, in_page_language(("Quá nhiều yêu cầu; vui lòng đợi một phút.",
                                            "Too many requests; wait a minute.")))
            status = 429
        else:
            row = convert_line(text, code)
            status = 400 if row.result is None else 200
    return render(request, "directory/converter.html", {"row": row, "text": text or (row.text if row else "")},
                  status=status)
