"""Messages to applicants (email, SMS, Zalo ZNS) kept in an outbox, and the templates they are written from.

An `OutboundMessage` row is written in the same transaction as the `DossierEvent` it tells about, and delivered
after commit by the job engine (see docs/notifications.md for the delivery guarantees). Its content is rendered
when it is written, so that what was sent stays on record even if an administrator edits the template later.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    ZNS = "zns", _("Zalo ZNS")


class Kind(models.TextChoices):
    """The dossier events an applicant is told about."""

    RECEIVED = "received", _("Dossier received")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    PAUSED_FOR_FEES = "paused_for_fees", _("Paused for the financial obligation")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")
    EXTENDED = "extended", _("Late: apology and new date")
    REFUSED = "refused", _("Refused")
    # Petitions (motcua.feedback)
    FEEDBACK_RECEIVED = "feedback_received", _("Petition received")
    FEEDBACK_TRANSFERRED = "feedback_transferred", _("Petition transferred to another agency")
    FEEDBACK_ANSWERED = "feedback_answered", _("Petition answered")
    FEEDBACK_MERGED = "feedback_merged", _("Petition merged with the same petition")


class MessageTemplate(models.Model):
    """The text of one kind of message on one channel, in Vietnamese; administrators edit it.

    Placeholders are written {name}; the names allowed are listed in `notifications.rendering.VARIABLES`.
    For Zalo ZNS the text lives at Zalo (a template approved there): this row gives its id and which variables
    to send as its parameters.
    """

    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    is_active = models.BooleanField(_("active"), default=True)
    subject = models.CharField(_("subject (email)"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    zns_template_id = models.CharField(_("Zalo ZNS template id"), max_length=40, blank=True)
    zns_params = models.JSONField(_("Zalo ZNS parameters"), default=list, blank=True,
                                  help_text=_("Names of the variables sent as the ZNS template's parameters."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["kind", "channel"]
        constraints = [models.UniqueConstraint(fields=["kind", "channel"], name="message_template_unique_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.get_channel_display()}"


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundMessage(models.Model):
    """One message to one recipient on one channel about one dossier event or one petition event (the outbox)."""

    uid = models.UUIDField(_("message id"), default=uuid.uuid4, unique=True, editable=False,
                           help_text=_("Also sent to the provider as its idempotency key."))
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE,
                                related_name="messages", null=True, blank=True)
    event = models.ForeignKey(DossierEvent, verbose_name=_("dossier event"), on_delete=models.CASCADE,
                              related_name="messages", null=True, blank=True)
    # A petition's event instead (motcua.feedback): exactly one of `event` and `feedback_event` is set.
    feedback_event = models.ForeignKey("feedback.FeedbackEvent", verbose_name=_("petition event"),
                                       on_delete=models.CASCADE, related_name="messages", null=True, blank=True)
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254,
                                 help_text=_("Email address, or phone number as 84xxxxxxxxx."))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    zns_template_id = models.CharField(_("Zalo ZNS template id"), max_length=40, blank=True)
    template_data = models.JSONField(_("template parameters"), default=dict, blank=True)
    variables = models.JSONField(_("variables"), default=dict, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    enqueued_at = models.DateTimeField(_("handed to the job engine at"), null=True, blank=True)
    job_id = models.CharField(_("job id"), max_length=64, blank=True, editable=False)  # its last delivery job
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A message is never sent twice for one event: one row per event, channel and recipient.
            models.UniqueConstraint(fields=["event", "channel", "recipient"], name="outbound_message_once_per_event"),
            models.UniqueConstraint(fields=["feedback_event", "channel", "recipient"],
                                    name="outbound_message_once_per_feedback_event"),
            models.CheckConstraint(
                condition=models.Q(event__isnull=False, feedback_event__isnull=True)
                | models.Q(event__isnull=True, feedback_event__isnull=False),
                name="outbound_message_one_event"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["channel", "recipient", "sent_at"], name="outbox_recipient_rate"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} ({self.get_kind_display()})"


class DeliveryAttempt(models.Model):
    """One try at handing a message to its provider, kept for the record."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Accepted by the provider")
        RETRY = "retry", _("Temporary failure, will retry")
        FAILED = "failed", _("Permanent failure")
        INTERRUPTED = "interrupted", _("Worker stopped during delivery")

    message = models.ForeignKey(OutboundMessage, on_delete=models.CASCADE, related_name="delivery_attempts")
    number = models.PositiveSmallIntegerField(_("attempt"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    detail = models.TextField(_("detail"), blank=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["message", "number", "pk"]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.number} {self.outcome}"


class SweepSchedule(models.Model):
    """The single row that keeps one chain of periodic outbox sweeps alive (see `tasks.sweep_outbox_task`)."""

    token = models.UUIDField(default=uuid.uuid4)
    next_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sweep at {self.next_run_at}"
