from django.urls import path

from motcua.integrations import views

app_name = "integrations"
urlpatterns = [
    path("", views.connections, name="connections"),
    path("<slug:system>/<slug:queue>/<str:item_id>/gui-lai/", views.retry_item, name="retry_item"),
    path("<slug:system>/<slug:queue>/<str:item_id>/bo-qua/", views.skip_item, name="skip_item"),
]
