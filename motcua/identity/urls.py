from django.urls import path

from motcua.identity import views

app_name = "identity"
urlpatterns = [
    # Before the providers' slug patterns, which would otherwise take these paths.
    path("hai-buoc/", views.two_factor_verify, name="two_factor_verify"),
    path("hai-buoc/dang-ky/", views.two_factor_enrol, name="two_factor_enrol"),
    path("tai-khoan-can-bo/", views.staff_accounts, name="staff_accounts"),
    path("tai-khoan-can-bo/<int:user_id>/mo-khoa/", views.staff_account_unlock, name="staff_account_unlock"),
    path("tai-khoan-can-bo/<int:user_id>/dat-lai-hai-buoc/", views.staff_account_reset_two_factor,
         name="staff_account_reset_two_factor"),
    path("ma-ung-dung/", views.app_code, name="app_code"),
    path("<slug:provider>/", views.oidc_login, name="oidc_login"),
    path("<slug:provider>/callback/", views.oidc_callback, name="oidc_callback"),
]
