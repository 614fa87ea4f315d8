from django.contrib import admin

from motcua.calendar.models import CalendarException, WorkSchedule
from motcua.core.admin import ProvinceAdminEditable


@admin.register(CalendarException)
class CalendarExceptionAdmin(ProvinceAdminEditable):
    list_display = ("date", "kind", "name", "province_code", "legal_basis")
    list_filter = ("kind", "province_code")
    date_hierarchy = "date"
    search_fields = ("name", "legal_basis")


@admin.register(WorkSchedule)
class WorkScheduleAdmin(ProvinceAdminEditable):
    list_display = ("province_code", "sessions", "receipt_cutoff")
