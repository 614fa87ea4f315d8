from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from motcua.core.process_cache import CATALOG, DIRECTORY, edited
from motcua.directory.actions import assign_role
from motcua.directory.admin_access import ProvinceAdminEditable, is_any_admin
from motcua.directory.models import AdministrativeUnit, Agency, Role, StaffAssignment, UnitSuccession
from motcua.directory.selectors import ADMIN_ROLES, agencies_in_scope, can_manage_staff, is_province_admin


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ProvinceAdminEditable):
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level", "valid_to")
    search_fields = ("code", "name", "search_text")
    raw_id_fields = ("parent",)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ProvinceAdminEditable):
    list_display = ("predecessor", "successor", "kind", "is_default", "effective_on")
    list_filter = ("kind",)
    raw_id_fields = ("predecessor", "successor")
    search_fields = ("predecessor__name", "successor__name", "predecessor__code", "successor__code")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "eid_code", "level", "function", "parent", "is_active")
    list_filter = ("level", "function", "is_active")
    search_fields = ("name", "eid_code", "short_name")
    raw_id_fields = ("admin_unit",)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Agency]) -> None:
        super().delete_queryset(request, queryset)
        edited(DIRECTORY, CATALOG)  # a bulk delete calls no model's delete()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agency]:
        return agencies_in_scope(request.user, *ADMIN_ROLES)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_any_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_any_admin(request) and (obj is None or can_manage_staff(request.user, obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_province_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_province_admin(request.user)


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "agency", "role", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name", "agency__name")
    raw_id_fields = ("user",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[StaffAssignment]:
        return StaffAssignment.objects.filter(agency__in=agencies_in_scope(request.user, *ADMIN_ROLES))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "agency":
            kwargs["queryset"] = agencies_in_scope(request.user, *ADMIN_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not is_province_admin(request.user):
            kwargs["choices"] = [c for c in Role.choices if c[0] != Role.PROVINCE_ADMIN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_any_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_any_admin(request) and (obj is None or can_manage_staff(request.user, obj.agency))

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_any_admin(request)

    def save_model(self, request: HttpRequest, obj: StaffAssignment, form: ModelForm[Any], change: bool) -> None:
        if change:
            if not can_manage_staff(request.user, obj.agency) or (
                obj.role == Role.PROVINCE_ADMIN and not is_province_admin(request.user)
            ):
                raise PermissionDenied
            super().save_model(request, obj, form, change)
            return
        assignment = assign_role(
            actor=request.user, user=obj.user, agency=obj.agency, role=Role(obj.role)  # type: ignore[arg-type]
        )
        obj.pk = assignment.pk
