"""The REST API (Django Ninja). OpenAPI schema at /api/v1/openapi.json, documentation at /api/v1/docs."""

from ninja import NinjaAPI

from motcua.catalog.api import router as catalog_router
from motcua.dossiers.api import router as dossiers_router
from motcua.identity.api import router as auth_router
from motcua.portal.api import router as me_router
from motcua.signing.api import router as signing_router

api = NinjaAPI(title="motcua API", version="1", urls_namespace="api", description=(
    "API của hệ thống một cửa điện tử motcua (cho ứng dụng Zalo Mini App và tích hợp) / REST API of the motcua "
    "one-stop shop, for the Zalo Mini App and integrations."
))
api.add_router("/catalog", catalog_router)
api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/signing", signing_router)
