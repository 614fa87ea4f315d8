"""REST endpoints for dossiers: the public look-up (what the national portal sends: motcua/integrations/api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from motcua.dossiers import lookup as lookups
from motcua.dossiers.models import Status as DossierStatus

router = Router(tags=["dossiers"])


class ErrorOut(Schema):
    code: str
    message_vi: str
    message_en: str
    errors: dict[str, list[str]] = {}


class EventOut(Schema):
    time: dt.datetime
    status: str
    status_label: str
    agency: str | None


class LookupOut(Schema):
    code: str
    status: str
    status_label: str
    procedure_code: str
    procedure_name: str
    applicant: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    outcome: str | None
    events: list[EventOut]


NOT_FOUND = {"code": "not_found", "message_vi": "Không tìm thấy hồ sơ với mã và mã tra cứu này.",
             "message_en": "No dossier matches this code and look-up code."}


@router.get("/lookup", response={200: LookupOut, 404: ErrorOut, 429: ErrorOut}, auth=None,
            summary="Look a dossier up by its code and look-up secret")
def lookup(request: HttpRequest, code: str, secret: str) -> Status[Any]:
    if lookups.throttled(request):
        return Status(429, {"code": "throttled", "message_vi": "Tra cứu quá nhiều lần; vui lòng thử lại sau một phút.",
                            "message_en": "Too many look-ups; try again in a minute."})
    found = lookups.find_status(code, secret)
    if found is None:
        return Status(404, NOT_FOUND)
    return Status(200, {
        "code": found.code, "status": found.status, "status_label": str(DossierStatus(found.status).label),
        "procedure_code": found.procedure_code, "procedure_name": found.procedure_name,
        "applicant": lookups.masked_name(found.applicant_name), "received_at": found.received_at,
        "due_at": found.due_at, "outcome": found.outcome or None,
        "events": [{"time": time, "status": status, "status_label": str(DossierStatus(status).label), "agency": agency}
                   for time, status, agency in found.events],
    })
