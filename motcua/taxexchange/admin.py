"""Read-only admin pages of the exchange's records (what was sent and received is evidence, never edited)."""

from django.contrib import admin
from django.http import HttpRequest

from motcua.taxexchange.models import TaxNotice, TaxPaymentConfirmation, TaxTransfer


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(TaxTransfer)
class TaxTransferAdmin(_ReadOnly):
    list_display = ("number", "state", "attempts", "sent_at", "created_at")
    list_filter = ("state",)
    search_fields = ("number", "dossier__code")


@admin.register(TaxNotice)
class TaxNoticeAdmin(_ReadOnly):
    list_display = ("number", "revision", "dossier", "total", "deadline", "source", "is_current", "received_at")
    list_filter = ("source", "is_current")
    search_fields = ("number", "dossier__code", "payment_reference")


@admin.register(TaxPaymentConfirmation)
class TaxPaymentConfirmationAdmin(_ReadOnly):
    list_display = ("notice_number", "document_number", "dossier", "amount", "copies", "applied", "received_at")
    list_filter = ("source", "applied")
    search_fields = ("notice_number", "document_number", "dossier__code")
