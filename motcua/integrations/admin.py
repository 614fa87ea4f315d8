from django.contrib import admin
from django.http import HttpRequest

from motcua.integrations.models import (
    CallRecord,
    PortalReconciliation,
    PortalStatusMapping,
    QueueItemAct,
    RegistryAnswer,
)


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CallRecord)
class CallRecordAdmin(_ReadOnly):
    list_display = ("created_at", "system", "operation", "dossier_code", "attempt", "status_code", "duration_ms",
                    "error")
    list_filter = ("system", "status_code", ("created_at", admin.DateFieldListFilter))
    search_fields = ("system", "operation", "dossier__code", "=status_code", "error")
    date_hierarchy = "created_at"
    list_select_related = ("dossier",)
    readonly_fields = [field.name for field in CallRecord._meta.fields]

    @admin.display(description="dossier", ordering="dossier__code")
    def dossier_code(self, obj: CallRecord) -> str:
        return obj.dossier.code if obj.dossier_id and obj.dossier else ""


@admin.register(QueueItemAct)
class QueueItemActAdmin(_ReadOnly):
    list_display = ("created_at", "system", "queue", "item_id", "kind", "actor", "reason")
    list_filter = ("system", "kind")
    search_fields = ("item_id", "reason", "actor__username")
    readonly_fields = [field.name for field in QueueItemAct._meta.fields]


@admin.register(PortalStatusMapping)
class PortalStatusMappingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("local_status", "portal_code")
    list_editable = ("portal_code",)


@admin.register(PortalReconciliation)
class PortalReconciliationAdmin(_ReadOnly):
    list_display = ("started_at", "state", "checked", "in_flight", "missing", "status_differs", "dates_differ",
                    "progress_missing", "requeued", "errors")
    list_filter = ("state",)
    date_hierarchy = "started_at"
    readonly_fields = [field.name for field in PortalReconciliation._meta.fields]


@admin.register(RegistryAnswer)
class RegistryAnswerAdmin(_ReadOnly):
    """The evidence of registry look-ups, without the personal data they returned (shown to staff only on the
    dossier page, where the read is logged)."""

    list_display = ("answered_at", "registry", "source", "status", "dossier", "actor", "response_sha256")
    list_filter = ("registry", "status", ("answered_at", admin.DateFieldListFilter))
    search_fields = ("dossier__code", "request_id", "response_sha256")
    date_hierarchy = "answered_at"
    list_select_related = ("dossier", "actor")
    exclude = ("data", "national_id")
    readonly_fields = [field.name for field in RegistryAnswer._meta.fields if field.name not in ("data", "national_id")]
