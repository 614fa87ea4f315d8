from django.contrib import admin
from django.urls import include, path

from motcua.api import api
from motcua.core.health import healthz, readyz
from motcua.portal import views as portal_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", portal_views.home, name="home"),
    path("thu-tuc/", include("motcua.catalog.urls")),
    path("mot-cua/ket-noi-lien-thong/", include("motcua.integrations.urls")),
    path("", include("motcua.privacy.urls")),
    path("mot-cua/dat-dai/", include("motcua.land.urls")),
    path("mot-cua/phan-anh/", include("motcua.feedback.office_urls")),
    path("mot-cua/", include("motcua.backoffice.urls")),
    path("tra-cuu/", include("motcua.dossiers.urls")),
    path("phan-anh/", include("motcua.feedback.urls")),
    path("xac-thuc/", include("motcua.signing.urls")),
    path("bao-cao/", include("motcua.reports.urls")),
    path("thong-ke/", include("motcua.reports.public_urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("lien-thong/thue/", include("motcua.taxexchange.urls")),
    path("lien-thong/van-ban/", include("motcua.docexchange.urls")),  # edXML documents (docs/document-exchange.md)
    path("dia-chi/", include("motcua.directory.urls")),
    path("api/v1/", api.urls),
    path("dinh-danh/", include("motcua.identity.urls")),
    path("dat-dai/", include("motcua.land.portal_urls")),
    path("", include("motcua.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
