from django.apps import AppConfig


class WorkflowBenchConfig(AppConfig):
    name = "bench.workflow_app"
    label = "workflow_bench"
    default_auto_field = "django.db.models.BigAutoField"
