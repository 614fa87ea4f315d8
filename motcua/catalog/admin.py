from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from motcua.catalog.actions import CatalogImportError, export_catalog, import_catalog
from motcua.catalog.models import CatalogSyncAct, Field, NationalProcedure, Procedure, ProcedureVersion
from motcua.catalog.transfer import CatalogFileError, dump_json, import_workbook, load_json, write_workbook
from motcua.core.process_cache import CATALOG, edited
from motcua.directory.admin_access import ProvinceAdminEditable
from motcua.directory.selectors import is_province_admin


@admin.register(Field)
class FieldAdmin(ProvinceAdminEditable):
    list_display = ("code", "name", "national_code")
    search_fields = ("code", "name", "national_code")


class ProcedureVersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProcedureVersion
    fields = ("number", "name", "statutory_days", "effective_from", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(ProvinceAdminEditable):
    list_display = ("national_code", "name", "field", "level", "service_level", "is_active")
    list_filter = ("level", "service_level", "field", "is_active")
    search_fields = ("national_code", "name", "search_text")
    filter_horizontal = ("competent_agencies",)
    readonly_fields = ("current_version",)
    fields = ("national_code", "name", "field", "level", "service_level", "competent_agencies", "keywords",
              "is_active", "current_version")
    inlines = [ProcedureVersionInline]
    change_list_template = "admin/catalog/procedure/change_list.html"

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        edited(CATALOG)  # the competent agencies are set after the procedure's save

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        edited(CATALOG)  # a bulk delete calls no model's delete()

    def get_urls(self) -> list[URLPattern]:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="catalog_procedure_import"),
            path("export.json", self.admin_site.admin_view(self.export_json), name="catalog_procedure_export_json"),
            path("export.xlsx", self.admin_site.admin_view(self.export_xlsx), name="catalog_procedure_export_xlsx"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not is_province_admin(request.user):
            return HttpResponse(status=403)
        errors: list[Any] = []
        upload = request.FILES.get("file") if request.method == "POST" else None
        if upload is not None:
            try:
                if (upload.name or "").lower().endswith(".xlsx"):
                    report = import_workbook(upload)
                else:
                    report = import_catalog(load_json(upload.read()))
            except (CatalogFileError, CatalogImportError) as exc:
                errors = exc.errors
            else:
                messages.success(request, _(
                    "Imported: %(created)d new, %(versions)d new versions, %(same)d unchanged."
                ) % {"created": len(report.created), "versions": len(report.new_versions),
                     "same": len(report.unchanged)})
                return redirect("admin:catalog_procedure_changelist")
        context = {**self.admin_site.each_context(request), "title": _("Import procedures"), "errors": errors,
                   "opts": self.model._meta}
        return render(request, "admin/catalog/procedure/import.html", context, status=400 if errors else 200)

    def export_json(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(dump_json(export_catalog()), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="thu-tuc.json"'
        return response

    def export_xlsx(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(
            write_workbook(export_catalog()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="thu-tuc.xlsx"'
        return response


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ProvinceAdminEditable):
    """Versions are immutable: they are created by import and read here."""

    list_display = ("procedure", "number", "statutory_days", "effective_from", "created_at")
    search_fields = ("procedure__national_code", "name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnlyCatalogSync(ProvinceAdminEditable):
    """Written by the catalog sync (motcua/integrations/catalog_sync.py) only: read here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NationalProcedure)
class NationalProcedureAdmin(_ReadOnlyCatalogSync):
    list_display = ("national_code", "name", "fetched_at", "differences", "applied_at", "status")
    search_fields = ("national_code", "name")


@admin.register(CatalogSyncAct)
class CatalogSyncActAdmin(_ReadOnlyCatalogSync):
    list_display = ("created_at", "kind", "national_code", "outcome", "actor")
    list_filter = ("kind", "outcome")
    search_fields = ("national_code", "actor__username")
