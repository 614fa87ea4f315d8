from django.urls import path

from motcua.directory import views

app_name = "addresses"
urlpatterns = [
    path("chuyen-doi/", views.converter, name="converter"),
]
