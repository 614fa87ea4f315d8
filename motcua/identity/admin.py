from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.identity.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "full_name", "national_id", "phone", "is_staff", "is_active")
    search_fields = ("username", "full_name", "national_id", "phone", "email")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Citizen identity"), {"fields": ("full_name", "national_id", "phone")}),
    )
