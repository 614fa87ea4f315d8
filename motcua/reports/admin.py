from django.contrib import admin

from motcua.core.admin import ProvinceAdminEditable
from motcua.reports.models import Scorecard


@admin.register(Scorecard)
class ScorecardAdmin(ProvinceAdminEditable):
    list_display = ("name", "legal_basis", "effective_from", "is_active")
