"""Read-only admin pages of the exchanged documents and messages (evidence, never edited)."""

from django.contrib import admin
from django.http import HttpRequest

from motcua.docexchange.models import InboundMessage, OutgoingDocument


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(_ReadOnly):
    list_display = ("code", "dossier", "to_agency", "purpose", "state", "attempts", "sent_at", "answered_at")
    list_filter = ("state", "purpose")
    search_fields = ("code", "document_id", "dossier__code", "to_agency__eid_code")
    exclude = ("envelope",)


@admin.register(InboundMessage)
class InboundMessageAdmin(_ReadOnly):
    list_display = ("hub_doc_id", "kind", "from_code", "status_code", "outcome", "received_at", "acknowledged_at")
    list_filter = ("kind", "outcome")
    search_fields = ("hub_doc_id", "from_code", "document__code", "document__dossier__code")
    exclude = ("raw",)
