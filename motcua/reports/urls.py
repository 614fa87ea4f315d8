from django.urls import path

from motcua.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report, name="report"),
    path("ho-so/", views.drill_down, name="drill_down"),
    path("excel/", views.export_xlsx, name="export_xlsx"),
    path("chi-so-766/", views.scorecard, name="scorecard"),
]
