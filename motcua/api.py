"""The REST API (Django Ninja). OpenAPI schema at /api/v1/openapi.json, documentation at /api/v1/docs."""

from ninja import NinjaAPI

from motcua.dossiers.api import router as dossiers_router

api = NinjaAPI(title="motcua API", version="1", urls_namespace="api", description=(
    "API của hệ thống một cửa điện tử motcua / REST API of the motcua one-stop shop."
))
api.add_router("/dossiers", dossiers_router)
