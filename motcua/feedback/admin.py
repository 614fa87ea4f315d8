from django.contrib import admin

from motcua.feedback.models import FeedbackKind


@admin.register(FeedbackKind)
class FeedbackKindAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The province edits the kinds and their legal deadlines (working days)."""

    list_display = ("code", "name", "deadline_days", "legal_basis", "is_active")
    search_fields = ("code", "name")
