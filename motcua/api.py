"""The REST API (Django Ninja). OpenAPI schema at /api/v1/openapi.json, documentation at /api/v1/docs."""

import base64
import hashlib
import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger

from motcua.catalog.api import router as catalog_router
from motcua.directory.api import router as addresses_router
from motcua.dossiers.api import router as dossiers_router
from motcua.feedback.api import router as feedback_router
from motcua.identity.api import router as auth_router
from motcua.integrations.api import router as national_portal_router
from motcua.portal.api import router as me_router
from motcua.reports.api import router as ioc_router
from motcua.signing.api import router as signing_router

_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
_SWAGGER_CDN = "https://cdn.jsdelivr.net"


class SwaggerDocs(Swagger):
    """Django Ninja's Swagger UI page (scripts from a CDN and one inline script) under its own
    Content-Security-Policy: the CDN plus the SHA-256 of exactly the inline script rendered, nothing else."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        response = super().render_page(request, api, **kwargs)
        hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
                          for body in _INLINE_SCRIPT.findall(response.content))
        response["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'self' {_SWAGGER_CDN} {hashes}; style-src 'self' {_SWAGGER_CDN}; "
            "img-src 'self' data: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
        return response


api = NinjaAPI(title="motcua API", version="1", urls_namespace="api", docs=SwaggerDocs(), description=(
    "API của hệ thống một cửa điện tử motcua (cho ứng dụng Zalo Mini App và tích hợp) / REST API of the motcua "
    "one-stop shop, for the Zalo Mini App and integrations."
))
api.add_router("/catalog", catalog_router)
api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/signing", signing_router)
api.add_router("/national-portal", national_portal_router)
api.add_router("/addresses", addresses_router)
api.add_router("/feedback", feedback_router)
api.add_router("/ioc", ioc_router)
