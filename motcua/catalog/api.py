"""Public catalog endpoints."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from motcua.catalog.models import Procedure
from motcua.core.ordering import by_sort_key

router = Router(tags=["catalog"])


class ProcedureOut(Schema):
    national_code: str
    name: str
    field: str
    level: str
    service_level: str
    statutory_days: Decimal
    statutory_unit: str


class ProcedureDetailOut(ProcedureOut):
    competent_authority: str
    time_rule: str
    fees: list[dict[str, Any]]
    required_documents: list[dict[str, Any]]
    eform_schema: dict[str, Any]
    result_type: str
    legal_basis: list[str]
    agencies: list[dict[str, str]]
    min_assurance_level: int  # the electronic identification level needed to apply online (0: none)


class NotFoundOut(Schema):
    code: str
    message_vi: str
    message_en: str


def _summary(p: Procedure) -> dict[str, Any]:
    v = p.current_version
    assert v is not None  # noqa: S101 - published() only returns procedures with a version
    return {"national_code": p.national_code, "name": v.name, "field": p.field.name, "level": v.level,
            "service_level": v.service_level, "statutory_days": v.statutory_days,
            "statutory_unit": v.statutory_unit}


@router.get("/procedures", response=list[ProcedureOut], auth=None, summary="Search the procedure catalog")
def procedures(request: HttpRequest, q: str = "", field: str = "", level: str = "", limit: int = 50,
               offset: int = 0) -> list[dict[str, Any]]:
    found = Procedure.objects.published().select_related("field", "current_version")
    if field:
        found = found.filter(field__code=field)
    if level:
        found = found.filter(level=level)
    # The same search as the public catalog page: ranked by relevance; without q, in alphabetical order.
    found = found.search(q[:200]) if q.strip() else found.order_by(by_sort_key(), "pk")
    limit = max(1, min(limit, 100))
    offset = max(0, offset)
    return [_summary(p) for p in found[offset:offset + limit]]


@router.get("/procedures/{national_code}", response={200: ProcedureDetailOut, 404: NotFoundOut}, auth=None,
            summary="A procedure with its documents, fees and e-form")
def procedure(request: HttpRequest, national_code: str) -> Status[Any]:
    p = Procedure.objects.published().select_related("field", "current_version").filter(
        national_code=national_code).first()
    if p is None or p.current_version is None:
        return Status(404, {"code": "not_found", "message_vi": "Không có thủ tục này.",
                            "message_en": "No such procedure."})
    v = p.current_version
    return Status(200, {**_summary(p), "competent_authority": v.competent_authority, "time_rule": v.time_rule,
                        "fees": v.fees, "required_documents": v.required_documents, "eform_schema": v.eform_schema,
                        "result_type": v.result_type, "legal_basis": v.legal_basis,
                        "min_assurance_level": v.min_assurance_level,
                        "agencies": [{"eid_code": a.eid_code, "name": a.name}
                                     for a in p.competent_agencies.active().order_by("name")]})
