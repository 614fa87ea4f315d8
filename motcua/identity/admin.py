from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.identity.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "full_name", "national_id", "phone", "is_staff", "is_active")
    search_fields = ("username", "full_name", "national_id", "phone", "email")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Citizen identity"), {"fields": ("full_name", "national_id", "phone")}),
    )


# django-otp registers its device models in the admin, showing each device's secret key: devices are enrolled
# by their owner (/dinh-danh/hai-buoc/dang-ky/) and reset by an administrator (/dinh-danh/tai-khoan-can-bo/).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
