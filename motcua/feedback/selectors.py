"""Reads on petitions: the public look-up by code and secret, the staff's lists, the published answers."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from motcua.dossiers.lookup import _secret_matches
from motcua.feedback.models import Feedback, FeedbackEvent, Status


def lookup_path(feedback: Feedback) -> str:
    return reverse("feedback:lookup_detail", args=[feedback.code]) + "?" + urlencode({"s": feedback.lookup_secret})


def lookup_url(feedback: Feedback) -> str:
    return str(settings.MOTCUA_PUBLIC_URL).rstrip("/") + lookup_path(feedback)


def find(code: str, secret: str) -> Feedback | None:
    """The petition with CODE if SECRET matches, else None — whether the code exists or not (constant time)."""
    code = code.strip().upper()[:60]
    secret = secret.strip().upper().replace(" ", "").replace("-", "")[:32]
    feedback = Feedback.objects.select_related("agency", "kind", "merged_into").filter(code=code).first()
    if not _secret_matches(feedback.lookup_secret if feedback else None, secret):
        return None
    return feedback


def public_events(feedback: Feedback) -> QuerySet[FeedbackEvent]:
    return feedback.events.filter(is_public=True).select_related("to_agency").order_by("seq")


def for_staff(agency_ids: frozenset[int] | set[int], *, status: str = "", query: str = "") -> QuerySet[Feedback]:
    """Petitions of the agencies where the member of staff works, open ones first by deadline."""
    rows = Feedback.objects.filter(agency_id__in=agency_ids).select_related("agency", "kind", "assignee")
    if status:
        rows = rows.filter(status=status)
    if query.strip():
        rows = rows.filter(Q(code__icontains=query.strip()) | Q(title__icontains=query.strip()))
    return rows.order_by("closed_at", "due_at", "pk")


def published() -> QuerySet[Feedback]:
    """Answers published with the petitioner's agreement (masked columns only are shown)."""
    return (Feedback.objects.filter(status=Status.PUBLISHED, published_at__isnull=False)
            .select_related("agency").only("code", "published_title", "published_content", "published_reply",
                                           "published_at", "agency__name", "received_at", "answered_at")
            .order_by("-published_at", "-pk"))
