"""Public address endpoints: the 2025 map for address forms, and the old-address converter (docs/addresses.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import is_ratelimited
from ninja import Router, Schema
from ninja.responses import Status

from motcua.directory import addresses
from motcua.directory.addresses import AddressInputError, Candidate, Conversion, OldUnits

router = Router(tags=["addresses"])
LIST_MAX_AGE = 3600  # the map changes by resolution, not by the minute


class UnitOut(Schema):
    code: str
    name: str
    type: str


class OldUnitsOut(Schema):
    province_code: str
    province_name: str
    district_code: str
    district_name: str
    commune_code: str
    commune_name: str


class CandidateOut(Schema):
    old: OldUnitsOut | None
    province_code: str
    province_name: str
    commune_code: str
    commune_name: str
    label: str


class ConversionOut(Schema):
    status: str
    province_code: str
    province_name: str
    commune_code: str
    commune_name: str
    commune_type: str
    street: str
    address: str
    already_current: bool
    split: bool
    other_communes: list[UnitOut]
    old: OldUnitsOut | None
    message_vi: str
    message_en: str


class AddressProblem(Schema):
    code: str  # bad_input, not_found, ambiguous, throttled, unknown_province
    message_vi: str
    message_en: str
    province_code: str = ""
    province_name: str = ""
    candidates: list[CandidateOut] = []


def _old(old: OldUnits | None) -> dict[str, str] | None:
    return dict(old.__dict__) if old else None


def _candidate(candidate: Candidate) -> dict[str, Any]:
    return {"old": _old(candidate.old), "province_code": candidate.province_code,
            "province_name": candidate.province_name, "commune_code": candidate.commune_code,
            "commune_name": candidate.commune_name, "label": candidate.label}


def conversion_body(result: Conversion) -> dict[str, Any]:
    message_vi, message_en = result.message()
    if not result.ok:
        return {"code": result.status.value, "message_vi": message_vi, "message_en": message_en,
                "province_code": result.province_code, "province_name": result.province_name,
                "candidates": [_candidate(c) for c in result.candidates]}
    return {
        "status": result.status.value, "province_code": result.province_code, "province_name": result.province_name,
        "commune_code": result.commune_code, "commune_name": result.commune_name,
        "commune_type": result.commune_type, "street": result.street, "address": result.address,
        "already_current": result.already_current, "split": result.split,
        "other_communes": [{"code": code, "name": name, "type": ""} for code, name in result.other_communes],
        "old": _old(result.old), "message_vi": message_vi, "message_en": message_en,
    }


def throttled(request: HttpRequest) -> bool:
    return bool(is_ratelimited(request, group="address-convert", key="ip",
                               rate=settings.MOTCUA_ADDRESS_CONVERT_RATE, increment=True))


@router.get("/convert", response={200: ConversionOut, 400: AddressProblem, 404: AddressProblem,
                                  422: AddressProblem, 429: AddressProblem}, auth=None,
            summary="Convert an old (before 1 July 2025) address to its 2025 province and commune")
def convert(request: HttpRequest, address: str = "", old_commune_code: str = "") -> Status[Any]:
    """`address`: free text ("Phường Tân Phú, Thành phố Đồng Xoài, tỉnh Bình Phước", "p tan phu, tp dong xoai,
    binh phuoc"), or `old_commune_code`: the old 5-digit statistics code. 200: converted (2025 codes); 404: not
    found, 422: ambiguous, both with candidates; 400: unusable input; 429: too many requests."""
    if throttled(request):
        return Status(429, {"code": "throttled", "message_vi": "Quá nhiều yêu cầu; vui lòng đợi một phút.",
                            "message_en": "Too many requests; wait a minute."})
    try:
        if address.strip() or not old_commune_code.strip():
            result = addresses.convert(address)
        else:
            result = addresses.convert_codes(commune_code=old_commune_code)
    except AddressInputError as exc:
        return Status(400, {"code": "bad_input", "message_vi": exc.message_vi, "message_en": exc.message_en})
    status = {"converted": 200, "ambiguous": 422, "not_found": 404}[result.status.value]
    return Status(status, conversion_body(result))


@router.get("/provinces", response=list[UnitOut], auth=None, summary="The 34 provinces in force since 2025-07-01")
def provinces(request: HttpRequest, response: HttpResponse) -> list[dict[str, str]]:
    response["Cache-Control"] = f"public, max-age={LIST_MAX_AGE}"
    return [{"code": u.code, "name": u.name, "type": u.unit_type} for u in addresses.provinces()]


@router.get("/provinces/{code}/communes", response={200: list[UnitOut], 404: AddressProblem}, auth=None,
            summary="The communes, wards and special zones of a province (2025 map), in alphabetical order")
def communes(request: HttpRequest, response: HttpResponse, code: str) -> Status[Any]:
    if addresses.current_province(code) is None:
        return Status(404, {"code": "unknown_province", "message_vi": "Không có tỉnh, thành phố mã này.",
                            "message_en": "No province has this code."})
    response["Cache-Control"] = f"public, max-age={LIST_MAX_AGE}"
    return Status(200, [{"code": u.code, "name": u.name, "type": u.unit_type} for u in addresses.communes_of(code)])
