"""motcua's URLs plus the bare ceiling views (HTTP benchmark only)."""

from django.urls import path

from bench.http_app import views
from motcua.urls import urlpatterns as motcua_urlpatterns

urlpatterns = [
    path("bare/insert", views.bare_insert),
    path("bare/read/<str:code>", views.bare_read),
    path("bare/submission-writes", views.submission_writes),
    *motcua_urlpatterns,
]
