from django.urls import path

from motcua.docexchange import views

app_name = "docexchange"
urlpatterns = [
    path("<str:code>/gui-ket-qua/", views.send_result, name="send_result"),
]
