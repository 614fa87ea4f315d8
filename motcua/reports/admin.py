from django.contrib import admin

from motcua.directory.admin_access import ProvinceAdminEditable
from motcua.reports.models import Scorecard, Target


@admin.register(Scorecard)
class ScorecardAdmin(ProvinceAdminEditable):
    list_display = ("name", "legal_basis", "effective_from", "is_active")


@admin.register(Target)
class TargetAdmin(ProvinceAdminEditable):
    list_display = ("figure", "year", "value", "basis")
    list_filter = ("year",)
