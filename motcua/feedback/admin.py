from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.feedback.models import FeedbackKind, NationalPetition


@admin.register(FeedbackKind)
class FeedbackKindAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The province edits the kinds and their legal deadlines (working days)."""

    list_display = ("code", "name", "deadline_days", "legal_basis", "is_active")
    search_fields = ("code", "name")


@admin.register(NationalPetition)
class NationalPetitionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Petitions pulled from the national petitions system (PAKN). A HELD one (unknown agency code, unreadable item)
    waits here with its reason and everything the national system sent: correct its agency code (the e-ID code of
    the competent agency) and run «Tạo lại phản ánh» (motcua.feedback.national_petitions.release_held)."""

    list_display = ("national_id", "state", "agency_code", "reason", "feedback", "acknowledged_at", "answer_state")
    list_filter = ("state", "answer_state")
    search_fields = ("national_id", "agency_code")
    readonly_fields = ("national_id", "state", "reason", "payload", "feedback", "pulled_at", "acknowledged_at",
                       "answer_state", "answer_attempts", "answer_next_at", "answer_error", "answer_sent_at")
    actions = ("create_again",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Create the petition again (after correcting the agency code)"))
    def create_again(self, request: HttpRequest, queryset: QuerySet[NationalPetition]) -> None:
        from motcua.feedback.national_petitions import release_held

        created = held = 0
        for record in queryset.filter(state=NationalPetition.State.HELD):
            if release_held(record):
                created += 1
            else:
                held += 1
        self.message_user(request, _("%(created)d created, %(held)d still held (see the reason).")
                          % {"created": created, "held": held})
