from django.urls import path

from motcua.land import portal_views

app_name = "land_portal"
urlpatterns = [
    path("dien-tu-csdl/<str:national_code>/<int:index>/", portal_views.fill_from_land_database, name="fill"),
]
