from django.urls import path

from motcua.feedback import views

app_name = "feedback_office"
urlpatterns = [
    path("", views.office_list, name="list"),
    path("tiep-nhan/", views.office_intake, name="intake"),
    path("<str:feedback_code>/", views.office_detail, name="detail"),
    path("<str:feedback_code>/thao-tac/<str:action>/", views.office_action, name="action"),
]
