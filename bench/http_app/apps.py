from django.apps import AppConfig


class HttpBenchConfig(AppConfig):
    name = "bench.http_app"
    label = "http_bench"
    default_auto_field = "django.db.models.BigAutoField"
