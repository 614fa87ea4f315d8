from django.contrib import admin

from motcua.portal.models import RegistryDataReport


@admin.register(RegistryDataReport)
class RegistryDataReportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Staff review the citizens' reports of wrong registry data (portal.prefill) and mark them handled."""

    list_display = ("created_at", "national_id", "field", "registry_value", "procedure", "status")
    list_filter = ("status", "field")
    search_fields = ("national_id",)
    readonly_fields = ("user", "national_id", "procedure", "field", "registry_value", "comment",
                       "registry_answer_id", "created_at", "updated_at")
