from django.urls import path

from motcua.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report, name="report"),
    path("ho-so/", views.drill_down, name="drill_down"),
    path("excel/", views.export_xlsx, name="export_xlsx"),
    path("pdf/", views.report_pdf, name="report_pdf"),
    path("chi-so-766/", views.scorecard, name="scorecard"),
    path("chi-so-766/pdf/", views.scorecard_pdf, name="scorecard_pdf"),
    path("xuat/", views.export_start, name="export_start"),
    path("xuat/<int:job_id>/", views.export_status, name="export_status"),
    path("xuat/<int:job_id>/tai-ve/", views.export_download, name="export_download"),
]
