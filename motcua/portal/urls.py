from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.portal import views

app_name = "portal"
urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(next_page="home"), name="logout"),
    path("nop-ho-so/<str:national_code>/", views.submit, name="submit"),
    path("nop-ho-so/da-nop/<str:code>/", views.submitted, name="submitted"),
]
