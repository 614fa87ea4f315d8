"""Public catalog pages: search (diacritics optional), filters, and a procedure's detail."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from motcua.catalog.models import Field, Procedure, ProcedureLevel
from motcua.core.ordering import by_sort_key
from motcua.directory.models import Agency

PAGE_SIZE = 20


def procedure_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    field_code = request.GET.get("field", "")
    agency_code = request.GET.get("agency", "")
    level = request.GET.get("level", "")
    procedures = Procedure.objects.published().select_related("field", "current_version")
    if field_code:
        procedures = procedures.filter(field__code=field_code)
    if agency_code:
        procedures = procedures.filter(
            pk__in=Procedure.objects.filter(competent_agencies__eid_code=agency_code).values("pk"))
    if level in ProcedureLevel.values:
        procedures = procedures.filter(level=level)
    # A search is ordered by relevance, the whole list alphabetically.
    procedures = procedures.search(query) if query else procedures.order_by(by_sort_key(), "pk")
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "page": page,
        "query": query,
        "fields": Field.objects.filter(procedures__is_active=True).distinct(),
        "agencies": Agency.objects.active().filter(Q(procedures__isnull=False)).distinct().order_by("name"),
        "levels": ProcedureLevel.choices,
        "selected": {"field": field_code, "agency": agency_code, "level": level},
        "filter_query": filters.urlencode(),
    }
    return render(request, "catalog/procedure_list.html", context)


def procedure_detail(request: HttpRequest, national_code: str) -> HttpResponse:
    procedure = get_object_or_404(
        Procedure.objects.published().select_related("field", "current_version"), national_code=national_code
    )
    context = {
        "procedure": procedure,
        "version": procedure.current_version,
        "agencies": procedure.competent_agencies.active().order_by("name"),
    }
    return render(request, "catalog/procedure_detail.html", context)
