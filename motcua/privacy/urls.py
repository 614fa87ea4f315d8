from django.urls import path

from motcua.privacy import views

app_name = "privacy"
urlpatterns = [
    path("tai-khoan/", views.my_account, name="my_account"),
    path("tai-khoan/xuat-du-lieu/", views.my_export, name="my_export"),
    path("tai-khoan/rut-dong-y/", views.my_consent_withdraw, name="my_consent_withdraw"),
    path("mot-cua/ly-do-truy-cap/<str:code>/", views.reason, name="reason"),
    path("mot-cua/bao-ve-du-lieu/", views.access_log, name="access_log"),
    path("mot-cua/bao-ve-du-lieu/nhat-ky.csv", views.access_log_csv, name="access_log_csv"),
    path("mot-cua/bao-ve-du-lieu/xuat-du-lieu/", views.subject_export, name="subject_export"),
]
