"""The feed of the province's operations centre (IOC, Trung tâm điều hành thông minh): the public statistics'
figures and the dossiers overdue now per agency (live), for a machine client holding the shared bearer token
`MOTCUA_IOC_TOKEN` (as the national portal's inbound API: no user account; empty token refuses every call)."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer

from motcua.directory.models import Agency
from motcua.reports.public import as_json, parse_filters, statistics
from motcua.reports.public_views import ERRORS
from motcua.reports.selectors import overdue_dossiers


class IocToken(HttpBearer):
    """Authorization: Bearer <MOTCUA_IOC_TOKEN>, compared in constant time."""

    def authenticate(self, request: HttpRequest, token: str) -> str | None:
        expected = str(settings.MOTCUA_IOC_TOKEN or "")
        if expected and token and hmac.compare_digest(token.encode(), expected.encode()):
            return "ioc"
        return None


router = Router(tags=["IOC feed"], auth=IocToken())


class OverdueAgency(Schema):
    id: int
    code: str
    name: str
    level: str
    overdue: int
    oldest_due_at: str | None


class Overdue(Schema):
    at: str
    total: int
    agencies: list[OverdueAgency]


@router.get("/figures", response=dict[str, Any],
            summary="Số liệu một cửa theo cơ quan và theo tháng / One-stop figures by agency and by month",
            description="The figures of the public statistics page (/thong-ke/) from the monthly rollups: per "
                        "agency and commune and in total, month by month, with the province's targets. Query: "
                        "tu, den (YYYY-MM, at most 24 months), cap (agency level), co_quan (agency id). "
                        "Counts only, no personal data. Bearer token MOTCUA_IOC_TOKEN.")
def ioc_figures(request: HttpRequest, tu: str = "", den: str = "", cap: str = "", co_quan: str = "") -> Any:
    filters, errors = parse_filters({"tu": tu, "den": den, "cap": cap, "co_quan": co_quan}, timezone.localdate())
    body = as_json(statistics(filters))
    body["warnings"] = [ERRORS[e] for e in errors]
    return body


@router.get("/overdue", response=Overdue,
            summary="Hồ sơ quá hạn hiện tại theo cơ quan / Dossiers overdue now, per agency (live)",
            description="Open dossiers whose clock runs and whose due date (or new appointment) has passed, "
                        "counted now per competent agency, with the oldest due date. Bearer token MOTCUA_IOC_TOKEN.")
def ioc_overdue(request: HttpRequest) -> Any:
    now = timezone.now()
    counted = {row["competent_agency_id"]: row for row in overdue_dossiers(now).values("competent_agency_id")
               .annotate(n=Count("competent_agency_id"), oldest=Min("running_deadline")).order_by()}
    agencies = Agency.objects.filter(pk__in=counted).order_by("path")
    rows = [{"id": a.pk, "code": a.eid_code, "name": a.name, "level": a.level, "overdue": counted[a.pk]["n"],
             "oldest_due_at": counted[a.pk]["oldest"].isoformat() if counted[a.pk]["oldest"] else None}
            for a in agencies]
    return {"at": now.isoformat(), "total": sum(r["overdue"] for r in rows), "agencies": rows}
