from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.portal import views, wizard_views
from motcua.signing import views as signing_views

app_name = "portal"
urlpatterns = [
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(next_page="home"), name="logout"),
    path("nop-ho-so/<str:national_code>/", wizard_views.start, name="apply"),
    path("nop-ho-so/<str:national_code>/buoc/<int:index>/", wizard_views.page, name="apply_page"),
    path("nop-ho-so/<str:national_code>/kiem-tra/", wizard_views.check, name="apply_check"),
    path("nop-ho-so/<str:national_code>/mot-trang/", views.submit, name="submit"),
    path("nop-ho-so/<str:national_code>/bao-thong-tin-sai/", wizard_views.report_registry_data,
         name="report_registry_data"),
    path("nop-ho-so/<str:national_code>/dong-y-dien-san/", wizard_views.prefill_consent, name="prefill_consent"),
    path("nop-ho-so/da-nop/<str:code>/", views.submitted, name="submitted"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("to-chuc/", views.organisations, name="organisations"),
    path("ho-so-cua-toi/<str:code>/", views.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("ho-so-cua-toi/<str:code>/rut/", views.withdraw, name="withdraw"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", views.survey, name="survey"),
    path("ho-so-cua-toi/<str:code>/van-ban/<int:notice_id>/", views.notice_pdf, name="notice_pdf"),
    path("ho-so-cua-toi/<str:code>/giay-to/<int:document_id>/", views.my_document, name="my_document"),
    path("kho-du-lieu/<int:document_id>/", views.stored_document, name="stored_document"),
    path("ho-so-cua-toi/<str:code>/ket-qua/<int:result_id>/", signing_views.my_result, name="result"),
]
