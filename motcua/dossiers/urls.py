from django.urls import path

from motcua.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:code>/", views.lookup_detail, name="lookup_detail"),
]
