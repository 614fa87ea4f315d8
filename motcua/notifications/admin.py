"""Administration: province administrators edit the message templates; administrators read the outbox of the
agencies they administer and may send a failed message again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from motcua.core.i18n import in_language, localized
from motcua.directory.admin_access import ProvinceAdminEditable, is_any_admin
from motcua.directory.models import Role
from motcua.directory.selectors import agencies_in_scope, is_province_admin
from motcua.notifications.actions import retry_now
from motcua.notifications.models import Channel, DeliveryAttempt, MessageTemplate, OutboundMessage
from motcua.notifications.models import Status as MessageStatus
from motcua.notifications.rendering import VARIABLES, TemplateError, check_names, unknown_placeholders


class MessageTemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MessageTemplate
        fields = ["kind", "channel", "is_active", "subject", "body", "zns_template_id", "zns_params"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        for field in ("subject", "body"):
            unknown = unknown_placeholders(cleaned.get(field) or "")
            if unknown:
                self.add_error(field, localized(TemplateError(unknown)))
        params = cleaned.get("zns_params") or []
        if not isinstance(params, list) or not all(isinstance(name, str) for name in params):
            self.add_error("zns_params", in_language("Phải là danh sách tên biến, ví dụ [\"ma_ho_so\"].",
                                                     "Must be a list of variable names, e.g. [\"ma_ho_so\"]."))
        else:
            try:
                check_names(params)
            except TemplateError as exc:
                self.add_error("zns_params", localized(exc))
        channel = cleaned.get("channel")
        if channel in (Channel.EMAIL, Channel.SMS) and not (cleaned.get("body") or "").strip():
            self.add_error("body", in_language("Vui lòng nhập nội dung tin.", "Please enter the text of the message."))
        if channel == Channel.EMAIL and not (cleaned.get("subject") or "").strip():
            self.add_error("subject", in_language("Vui lòng nhập tiêu đề thư.", "Please enter the subject."))
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ProvinceAdminEditable):
    form = MessageTemplateForm
    list_display = ("kind", "channel", "is_active", "zns_template_id", "updated_at")
    list_filter = ("channel", "is_active", "kind")
    readonly_fields = ("variables_help",)
    fields = ("kind", "channel", "is_active", "subject", "body", "zns_template_id", "zns_params", "variables_help")

    @admin.display(description=_("Variables you may use"))
    def variables_help(self, obj: MessageTemplate | None = None) -> str:
        return format_html_join("", "<div><code>{{{}}}</code> — {}</div>",
                                ((name, str(label)) for name, label in VARIABLES.items()))


class DeliveryAttemptInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("number", "outcome", "detail", "started_at", "finished_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("created_at", "dossier", "kind", "channel", "recipient", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "kind")
    search_fields = ("dossier__code", "recipient", "uid")
    date_hierarchy = "created_at"
    inlines = [DeliveryAttemptInline]
    actions = ["send_again"]
    readonly_fields = ("uid", "dossier", "event", "feedback_event", "kind", "channel", "recipient", "subject", "body",
                       "zns_template_id", "template_data", "status", "attempts", "next_attempt_at", "enqueued_at",
                       "claimed_at", "sent_at", "provider_message_id", "last_error", "created_at")
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboundMessage]:
        queryset = super().get_queryset(request).select_related("dossier")
        if is_province_admin(request.user):
            return queryset
        scope = agencies_in_scope(request.user, Role.AGENCY_ADMIN)
        return queryset.filter(Q(dossier__receiving_agency__in=scope) | Q(dossier__competent_agency__in=scope)
                               | Q(feedback_event__feedback__agency__in=scope))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_any_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_any_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_send_again_permission(self, request: HttpRequest) -> bool:
        return is_any_admin(request)

    @admin.action(description=_("Send the failed messages again"), permissions=["send_again"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        count = sum(retry_now(message) for message in queryset.filter(status=MessageStatus.FAILED))
        self.message_user(request, in_language(f"Đã xếp lại {count} tin để gửi.", f"{count} messages queued again."),
                          messages.SUCCESS)
