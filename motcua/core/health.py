"""Health checks for load balancers and process supervisors (docs/operations.md).

/healthz  liveness: the process answers (touches nothing else), so a restart is only asked for a stuck process.
/readyz   readiness: the database answers a query and the cache a write and read; 503 otherwise, so a balancer
          stops sending requests to an app server that cannot serve them (e.g. while PostgreSQL restarts).
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:
        logger.exception("Readiness: database check failed")
        checks["database"] = "unavailable"
    try:
        key, value = "motcua:readyz", uuid.uuid4().hex
        cache.set(key, value, 10)
        checks["cache"] = "ok" if cache.get(key) == value else "unavailable"
    except Exception:
        logger.exception("Readiness: cache check failed")
        checks["cache"] = "unavailable"
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)
