"""Administration: invoices, payments, receipts, gateway callbacks and reconciliation reports, read-only (they
change only through the payment actions), visible to administrators within their agencies."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from motcua.core.i18n import localized
from motcua.directory.admin_access import is_any_admin
from motcua.directory.models import Role
from motcua.directory.selectors import agencies_in_scope, is_province_admin
from motcua.payments.models import GatewayCallback, Invoice, InvoiceLine, Payment, Receipt, ReconciliationReport


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    dossier_path: str | None = None  # how to reach the dossier, to limit agency administrators to their own

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if self.dossier_path is None or is_province_admin(request.user):
            return queryset if self.dossier_path is not None or is_province_admin(request.user) else queryset.none()
        scope = agencies_in_scope(request.user, Role.AGENCY_ADMIN)
        return queryset.filter(Q(**{f"{self.dossier_path}__receiving_agency__in": scope})
                               | Q(**{f"{self.dossier_path}__competent_agency__in": scope}))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_any_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_any_admin(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class InvoiceLineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = ("position", "name", "unit_amount", "quantity", "amount", "exemption")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class PaymentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Payment
    extra = 0
    can_delete = False
    fields = ("txn_ref", "provider", "method", "amount", "state", "paid_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    dossier_path = "dossier"
    list_display = ("number", "dossier", "purpose", "total", "paid_amount", "state", "created_at")
    list_filter = ("state", "purpose")
    search_fields = ("number", "dossier__code")
    inlines = [InvoiceLineInline, PaymentInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    dossier_path = "invoice__dossier"
    list_display = ("txn_ref", "invoice", "provider", "method", "amount", "state", "provider_txn_no", "created_at")
    list_filter = ("state", "provider", "method")
    search_fields = ("txn_ref", "provider_txn_no", "invoice__number", "invoice__dossier__code")
    date_hierarchy = "created_at"


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    dossier_path = "payment__invoice__dossier"
    list_display = ("number", "payment", "issued_at")
    search_fields = ("number", "payment__txn_ref")


@admin.register(GatewayCallback)
class GatewayCallbackAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "provider", "kind", "txn_ref", "verified", "answer_code", "remote_addr")
    list_filter = ("provider", "kind", "verified", "answer_code")
    search_fields = ("txn_ref",)


@admin.register(ReconciliationReport)
class ReconciliationReportAdmin(ReadOnlyAdmin):
    list_display = ("day", "provider", "payments_checked", "matched", "settled", "mismatch_count", "created_at")
    list_filter = ("provider",)
    date_hierarchy = "day"
    readonly_fields = ("day", "provider", "payments_checked", "matched", "settled", "mismatch_list", "created_at")
    fields = readonly_fields

    @admin.display(description=_("mismatches"))
    def mismatch_count(self, obj: ReconciliationReport) -> int:
        return len(obj.mismatches)

    @admin.display(description=_("mismatches"))
    def mismatch_list(self, obj: ReconciliationReport) -> str:
        return format_html_join("", "<p><strong>{}</strong> {} — {}</p>", (
            (m["kind"], m.get("txn_ref") or m.get("invoice", ""), localized(m))
            for m in obj.mismatches
        )) or "—"
