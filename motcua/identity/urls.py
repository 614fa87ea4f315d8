from django.urls import path

from motcua.identity import views

app_name = "identity"
urlpatterns = [
    path("<slug:provider>/", views.oidc_login, name="oidc_login"),
    path("<slug:provider>/callback/", views.oidc_callback, name="oidc_callback"),
]
