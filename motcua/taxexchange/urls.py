from django.urls import path

from motcua.taxexchange import views

app_name = "taxexchange"
urlpatterns = [
    # Pushed by the tax authority / treasury (bearer token MOTCUA_TAX_AUTHORITY_INBOUND_TOKEN).
    path("thong-bao/", views.notice_push, name="notice_push"),
    path("chung-tu/", views.receipt_push, name="receipt_push"),
    # The tax office's staff: the manual path (type the notice).
    path("nhap-thong-bao/<str:code>/", views.manual_notice, name="manual_notice"),
]
