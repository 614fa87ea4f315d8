"""Public look-up of a dossier by code and secret (or by its QR code)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def lookup(request: HttpRequest) -> HttpResponse:
    return render(request, "dossiers/lookup.html", {})


def lookup_detail(request: HttpRequest, code: str) -> HttpResponse:
    return redirect("dossiers:lookup")
