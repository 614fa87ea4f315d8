"""Public look-up of a dossier by code and secret (or by its QR code)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from motcua.dossiers import lookup as lookups
from motcua.dossiers.deadlines import remaining_working_time


def lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("ma", "").strip()
    secret = request.GET.get("s", "").strip()
    if code and secret:
        try:
            path = reverse("dossiers:lookup_detail", args=[code.upper()])
        except NoReverseMatch:  # no code can hold what cannot be a path segment (a "/"): no such dossier
            return render(request, "dossiers/lookup.html", {"code": code, "not_found": True}, status=404)
        return redirect(f"{path}?{urlencode({'s': secret})}")
    return render(request, "dossiers/lookup.html", {"code": code, "missing": bool(code or secret)})


def _instant(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _timeline(events: list[Any]) -> list[dict[str, Any]]:
    """Each public event with the deadlines it set (the step's, the appointment), as the workflow noted them."""
    return [{"event": event, "step_due_at": _instant(event.data.get("step_due_at")),
             "due_at": _instant(event.data.get("due_at"))} for event in events]


def lookup_detail(request: HttpRequest, code: str) -> HttpResponse:
    if lookups.throttled(request):
        return render(request, "dossiers/lookup.html", {"code": code, "throttled": True}, status=429)
    found = lookups.find(code, request.GET.get("s", ""))
    if found is None:
        return render(request, "dossiers/lookup.html", {"code": code, "not_found": True}, status=404)
    dossier = found.dossier
    remaining = None if dossier.is_terminal else remaining_working_time(dossier, timezone.now())
    context = {
        "dossier": dossier,
        "events": found.events,
        "timeline": _timeline(found.events),
        "applicant": lookups.masked_name(dossier.applicant_name),
        "remaining_hours": None if remaining is None else round(remaining.total_seconds() / 3600, 1),
    }
    response = render(request, "dossiers/lookup_detail.html", context)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"  # the secret is in the URL
    return response
