"""The endpoints the national public-service portal (or the LGSP in front of it) calls: dossiers it forwards, status
queries, citizens' evaluations and the monthly evaluation summary (docs/integrations-national-portal.md, "Inbound").

Every answer is in the portal's envelope (`{"error_code": 0 | -1, "message": "<MaHoSo>|…", "result": […]}`), also
for refusals: HTTP 200 for an answer the portal must not repeat unchanged (accepted, or refused for its content),
401 for a missing or wrong token (or dstcode), 413 for an oversized body, 503 when a file host of the portal failed
for now (asking again later may work).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from ninja import Router

from motcua.adapters import national_portal as portal
from motcua.integrations import national_portal_inbound as inbound

router = Router(tags=["national portal (inbound)"])


def _respond(answer: inbound.InboundAnswer) -> JsonResponse:
    return JsonResponse(answer.body, status=answer.status, json_dumps_params={"ensure_ascii": False})


def _token_ok(request: HttpRequest) -> bool:
    expected = str(settings.MOTCUA_NATIONAL_PORTAL_TOKEN or "")
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not token.strip():
        return False
    return hmac.compare_digest(token.strip().encode(), expected.encode())


def _dstcode_ok(request: HttpRequest) -> bool:
    expected = str(settings.MOTCUA_NATIONAL_PORTAL_INBOUND_DSTCODE or "")
    return not expected or hmac.compare_digest(request.headers.get("dstcode", "").encode(), expected.encode())


def _guarded(request: HttpRequest, handle: Callable[[bytes], inbound.InboundAnswer]) -> JsonResponse:
    if not _token_ok(request) or not _dstcode_ok(request):
        response = _respond(inbound.refusal("", "Không có quyền gọi dịch vụ này (mã xác thực không đúng).",
                                            "Not allowed: missing or wrong credentials.",
                                            status=portal.HTTP_UNAUTHORISED))
        response["WWW-Authenticate"] = 'Bearer realm="motcua-national-portal"'
        return response
    length = request.headers.get("Content-Length", "")
    if length and (not length.isdigit() or int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE):
        return _respond(inbound.refusal("", "Nội dung gửi quá lớn.", "The body is too large.",
                                        status=portal.HTTP_TOO_LARGE))
    return _respond(handle(request.body))


_ANSWERS: Any = dict.fromkeys(
    (portal.HTTP_ANSWER, portal.HTTP_UNAUTHORISED, portal.HTTP_TOO_LARGE, portal.HTTP_RETRY_LATER), dict[str, Any])


@router.post(f"/{portal.INBOUND_PATH_DOSSIER}",
             summary="Nhận hồ sơ từ Cổng DVCQG / Receive a dossier forwarded by the national portal",
             description="The portal's DongBoHoSoMC dossier object, bare or wrapped as {service, madonvi, data[]}. "
                         "Idempotent by MaHoSo. Bearer token MOTCUA_NATIONAL_PORTAL_TOKEN.",
             response=_ANSWERS, auth=None)
def national_portal_push(request: HttpRequest) -> JsonResponse:
    return _guarded(request, inbound.receive_pushed_dossier)


@router.post(f"/{portal.INBOUND_PATH_DOSSIER_ALIAS}",
             summary="Alias of /nhanhsdvcqg (the other OpenCPS name)",
             response=_ANSWERS, auth=None)
def national_portal_push_alias(request: HttpRequest) -> JsonResponse:
    return _guarded(request, inbound.receive_pushed_dossier)


@router.post(f"/{portal.INBOUND_PATH_STATUS}",
             summary="Tình trạng hồ sơ / Status of a dossier, by MaHoSo (the portal's or ours)",
             response=_ANSWERS, auth=None)
def national_portal_status(request: HttpRequest) -> JsonResponse:
    return _guarded(request, inbound.dossier_status)


@router.post(f"/{portal.INBOUND_PATH_EVALUATION}",
             summary="Nhận đánh giá của người dân / Citizens' evaluations made on the national portal",
             response=_ANSWERS, auth=None)
def national_portal_evaluations(request: HttpRequest) -> JsonResponse:
    return _guarded(request, inbound.receive_evaluations)


@router.post(f"/{portal.INBOUND_PATH_SUMMARY}",
             summary="Tổng hợp đánh giá tháng (DongBoDanhGia) / The month's evaluation summary",
             response=_ANSWERS, auth=None)
def national_portal_evaluation_summary(request: HttpRequest) -> JsonResponse:
    return _guarded(request, inbound.evaluation_summary)

