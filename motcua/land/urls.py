from django.urls import path

from motcua.land import views

app_name = "land"
urlpatterns = [
    path("tra-cuu-thua-dat/", views.lookup, name="lookup"),
    path("ho-so/<str:code>/tra-cuu-lai/", views.check_again, name="check_again"),
    path("ho-so/<str:code>/da-xem-canh-bao/", views.acknowledge, name="acknowledge"),
    path("ho-so/<str:code>/nhap-tay/", views.manual_write_back, name="manual_write_back"),
]
