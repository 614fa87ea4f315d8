from django.urls import path

from motcua.signing import views

app_name = "signing"
urlpatterns = [
    path("", views.verify_page, name="verify"),
    path("crl/demo-ca.crl", views.demo_crl, name="demo_crl"),
    path("<str:code>/", views.verify_code, name="verify_code"),
]
