from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.calendar.models import CalendarException, WorkSchedule
from motcua.core.process_cache import CALENDAR, edited
from motcua.directory.admin_access import ProvinceAdminEditable


@admin.register(CalendarException)
class CalendarExceptionAdmin(ProvinceAdminEditable):
    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        edited(CALENDAR)  # a bulk delete calls no model's delete()

    list_display = ("date", "kind", "name", "province_code", "legal_basis")
    list_filter = ("kind", "province_code")
    date_hierarchy = "date"
    search_fields = ("name", "legal_basis")


@admin.register(WorkSchedule)
class WorkScheduleAdmin(ProvinceAdminEditable):
    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        edited(CALENDAR)

    list_display = ("province_code", "sessions", "receipt_cutoff")
