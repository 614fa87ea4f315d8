from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "backoffice"
urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="admin/login.html"), name="login"),
]
