from django.urls import path

from motcua.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.submit, name="submit"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/<str:feedback_code>/", views.lookup_detail, name="lookup_detail"),
    path("da-tra-loi/", views.published, name="published"),
]
