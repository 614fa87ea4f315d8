"""The ceiling: the least a Django view can do to insert one row from a JSON body, and to read one row by key."""

from __future__ import annotations

import json
import uuid

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from bench.http_app.models import BareRow


@csrf_exempt
def bare_insert(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body or b"{}")
    row = BareRow.objects.create(code=uuid.uuid4().hex, name=str(body.get("applicant_name", ""))[:200],
                                 data=body.get("form_data", {}))
    return JsonResponse({"code": row.code}, status=201)


def bare_read(request: HttpRequest, code: str) -> JsonResponse:
    row = BareRow.objects.filter(code=code).values("code", "name", "data", "created_at").first()
    if row is None:
        raise Http404
    return JsonResponse(row)
