from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from motcua.portal.models import RegistryDataReport
from motcua.privacy.access import record_access
from motcua.privacy.models import AccessKind

REVIEW_PURPOSE = "Xem xét phản ánh thông tin sai trong CSDL dân cư"


def record_report_read(request: HttpRequest, report: RegistryDataReport, detail: str) -> None:
    """A member of staff was shown REPORT (the citizen's registry value and what they say): a logged read of that
    citizen's data (docs/privacy.md)."""
    record_access(actor=request.user, kind=AccessKind.REGISTRY_REPORT_VIEW, purpose=REVIEW_PURPOSE,
                  subject=report.user, subject_national_id=report.national_id,
                  detail=f"{detail} #{report.pk} {report.field}")


@admin.register(RegistryDataReport)
class RegistryDataReportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Staff review the citizens' reports of wrong registry data (portal.prefill) and mark them handled. The list
    shows each citizen's personal ID number and registry value, the page the comment too: both are logged reads."""

    list_display = ("created_at", "national_id", "field", "registry_value", "procedure", "status")
    list_filter = ("status", "field")
    search_fields = ("national_id",)
    readonly_fields = ("user", "national_id", "procedure", "field", "registry_value", "comment",
                       "registry_answer_id", "created_at", "updated_at")

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        report = self.get_object(request, object_id)
        if report is not None and response.status_code == 200 and request.method == "GET":
            record_report_read(request, report, "report")
        return response

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None and response.status_code == 200:
            for report in changelist.result_list:
                record_report_read(request, report, "list")
        return response
