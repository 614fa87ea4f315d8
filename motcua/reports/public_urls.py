from django.urls import path

from motcua.reports import public_views

app_name = "statistics"
urlpatterns = [
    path("", public_views.public_statistics, name="public"),
    path("thong-ke.json", public_views.public_statistics_json, name="public_json"),
    path("thong-ke.csv", public_views.public_statistics_csv, name="public_csv"),
]
