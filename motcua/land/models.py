"""Land procedures: what the land database said about a dossier's parcel, and the change written back to it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ParcelCheck(models.Model):
    """One look-up of a dossier's parcel in the land database and what it found: the parcel (a snapshot), and the
    flags for the clerk (applicant not a holder, restrictions). The latest one of a dossier is the one shown."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the land database")
        CLEAR = "clear", _("Checked, nothing to flag")
        FLAGGED = "flagged", _("Checked, flagged for the clerk")
        NOT_FOUND = "not_found", _("Parcel not found in the land database")
        UNAVAILABLE = "unavailable", _("Land database unavailable: check by hand")
        NO_KEY = "no_key", _("The e-form names no parcel")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="parcel_checks")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PENDING)
    parcel_key = models.JSONField(_("parcel looked up"), default=dict, blank=True)
    parcel = models.JSONField(_("parcel"), default=dict, blank=True)
    # [{"code", "severity": "block" | "warn", "vi", "en"}]
    flags = models.JSONField(_("flags"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("parcel check")
        verbose_name_plural = _("parcel checks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.state}"

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return [flag for flag in self.flags if flag.get("severity") == "block"]


class LandWriteBack(models.Model):
    """The change (biến động) a dossier's approval writes to the land database: an outbox row, written in the
    approval's transaction and sent after commit by the job worker, retried with the same request id (the land
    database applies it once) until sent, or failed after the last attempt (a dead item on the connections page)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Written to the land database")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")
        MANUAL = "manual", _("Entered by hand by the land office")

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="land_write_back")
    request_id = models.CharField(_("request id"), max_length=64, unique=True)
    kind = models.CharField(_("kind of change"), max_length=30)
    payload = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING,
                             db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    reference = models.CharField(_("land database reference"), max_length=80, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("land database write-back")
        verbose_name_plural = _("land database write-backs")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.state} {self.reference}"
