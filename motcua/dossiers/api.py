"""REST endpoints for dossiers: public look-up, and the inbound API the national portal pushes dossiers to."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from motcua.catalog.models import Procedure
from motcua.directory.models import Agency
from motcua.dossiers import lookup as lookups
from motcua.dossiers.actions import Applicant, IntakeError, Upload, submit_dossier
from motcua.dossiers.models import Channel
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


class PortalToken(HttpBearer):
    """The shared token the national portal presents (Authorization: Bearer …)."""

    def authenticate(self, request: HttpRequest, token: str) -> str | None:
        expected = settings.MOTCUA_NATIONAL_PORTAL_TOKEN
        if expected and hmac.compare_digest(token.encode(), expected.encode()):
            return "national_portal"
        return None


class PortalFile(Schema):
    MaGiayTo: str
    TenTep: str
    NoiDungBase64: str


class PortalDossierIn(Schema):
    """A dossier as the national portal sends it (field names of its synchronisation messages)."""

    MaHoSo: str
    MaTTHC: str
    MaCoQuan: str
    ChuHoSo: str
    SoDinhDanh: str = ""
    SoDienThoai: str = ""
    Email: str = ""
    DiaChi: str = ""
    NgayNop: dt.datetime | None = None
    DuLieuBieuMau: dict[str, Any] = {}
    TepDinhKem: list[PortalFile] = []


class PortalDossierOut(Schema):
    MaHoSo: str
    MaHoSoTinh: str
    TrangThai: str


@router.post("/national-portal/dossiers", auth=PortalToken(), response={201: PortalDossierOut, 422: ErrorOut},
             summary="Receive a dossier submitted on the national public-service portal (idempotent by MaHoSo)")
def receive_from_portal(request: HttpRequest, payload: PortalDossierIn) -> Status[Any]:
    procedure = Procedure.objects.published().filter(national_code=payload.MaTTHC).first()
    agency = Agency.objects.active().filter(eid_code=payload.MaCoQuan).first()
    if procedure is None or agency is None:
        return Status(422, {"code": "unknown", "message_vi": "Không có thủ tục hoặc cơ quan với mã đã gửi.",
                            "message_en": "Unknown procedure or agency code."})
    uploads = []
    for item in payload.TepDinhKem:
        try:
            content = base64.b64decode(item.NoiDungBase64, validate=True)
        except (binascii.Error, ValueError):
            return Status(422, {"code": "bad_file", "message_vi": f"Tệp {item.TenTep} không đúng định dạng base64.",
                                "message_en": f"File {item.TenTep} is not valid base64."})
        uploads.append(Upload(slot=item.MaGiayTo, name=item.TenTep, content=content))
    try:
        dossier = submit_dossier(
            procedure=procedure, channel=Channel.NATIONAL_PORTAL, competent_agency=agency, actor=None,
            applicant=Applicant(name=payload.ChuHoSo, id_number=payload.SoDinhDanh, phone=payload.SoDienThoai,
                                email=payload.Email, address=payload.DiaChi),
            form_data=payload.DuLieuBieuMau, uploads=uploads, idempotency_key=f"dvcqg:{payload.MaHoSo}",
            external_id=payload.MaHoSo, at=min(payload.NgayNop or timezone.now(), timezone.now()),
        )
    except IntakeError as exc:
        return Status(422, {"code": "invalid", "message_vi": "Hồ sơ không hợp lệ.", "message_en": "Invalid dossier.",
                            "errors": {k: [vi, en] for k, (vi, en) in exc.errors.items()}})
    return Status(201, {"MaHoSo": payload.MaHoSo, "MaHoSoTinh": dossier.code, "TrangThai": dossier.status})


