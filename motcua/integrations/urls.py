from django.urls import path

from motcua.integrations import catalog_views, views

app_name = "integrations"
urlpatterns = [
    path("", views.connections, name="connections"),
    path("thu-tuc/", catalog_views.catalog_sync_page, name="catalog_sync"),
    path("thu-tuc/tai-ve/", catalog_views.catalog_pull, name="catalog_pull"),
    path("thu-tuc/ap-dung/", catalog_views.catalog_apply, name="catalog_apply"),
    path("<slug:system>/<slug:queue>/<str:item_id>/gui-lai/", views.retry_item, name="retry_item"),
    path("<slug:system>/<slug:queue>/<str:item_id>/bo-qua/", views.skip_item, name="skip_item"),
]
