"""A permission mixin for the admin driven by motcua roles rather than Django's model permissions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.directory.selectors import ADMIN_ROLES, is_province_admin, roles_of


def is_any_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(getattr(user, "is_superuser", False)) or bool(roles_of(user) & ADMIN_ROLES)


class ProvinceAdminEditable(admin.ModelAdmin):  # type: ignore[type-arg]
    """Reference data: every administrator may read it; only province administrators change it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_any_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_any_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_province_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_province_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_province_admin(request.user)
