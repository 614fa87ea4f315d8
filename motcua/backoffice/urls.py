from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.backoffice import addresses as address_views
from motcua.backoffice import views
from motcua.identity.views import ThrottledLoginView
from motcua.signing import views as signing_views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", ThrottledLoginView.as_view(template_name="backoffice/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(next_page="backoffice:login"), name="logout"),
    path("tiep-nhan/", views.intake_choose, name="intake_choose"),
    path("tiep-nhan/<str:national_code>/", views.intake, name="intake"),
    path("hang-doi/<int:agency_id>/<str:role>/", views.queue, name="queue"),
    path("cho-tiep-nhan/", views.awaiting_receipt, name="awaiting_receipt"),
    path("phe-duyet/", views.approvals, name="approvals"),
    path("dia-chi/", address_views.clerk_converter, name="addresses"),
    path("dai-dien-to-chuc/", views.representations, name="representations"),
    path("dai-dien-to-chuc/<int:representation_id>/", views.representation_decision,
         name="representation_decision"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", views.dossier_action, name="dossier_action"),
    path("ho-so/<str:code>/tra-cuu-dan-cu/", views.dossier_registry_lookup, name="dossier_registry_lookup"),
    path("ho-so/<str:code>/bao-thong-tin-sai/", views.dossier_registry_report_handled,
         name="dossier_registry_report_handled"),
    path("ho-so/<str:code>/giay-to/<int:document_id>/", views.document_download, name="document"),
    path("ho-so/<str:code>/thong-bao/<int:notice_id>/", views.notice_pdf, name="notice_pdf"),
    path("ho-so/<str:code>/phieu-kiem-soat/", views.control_sheet_pdf, name="control_sheet_pdf"),
    path("ho-so/<str:code>/ket-qua/", signing_views.upload_draft, name="upload_result"),
    path("ho-so/<str:code>/ket-qua/<int:result_id>/", signing_views.result_file, name="result_file"),
    path("ho-so/<str:code>/ket-qua/<int:result_id>/go-bo/", signing_views.remove_draft, name="remove_result"),
]
