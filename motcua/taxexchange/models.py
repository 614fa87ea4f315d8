"""The electronic exchange between the land registration office, the tax authority and the treasury for a dossier's
financial obligations (docs/land-tax-exchange.md): the transfer form sent, the tax notices received (each revision
kept), the payment confirmations received (each copy counted, applied once)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier


class Source(models.TextChoices):
    PUSH = "push", _("Pushed by the outside system")
    POLL = "poll", _("Fetched by polling")
    MANUAL = "manual", _("Entered by staff (manual path)")
    PAYMENT = "payment", _("Payment platform confirmation")


class TaxTransfer(models.Model):
    """One cadastral information transfer form (phiếu chuyển thông tin) of a dossier to the tax authority.
    `number` is our reference and the send's idempotency key; one transfer per dossier."""

    class State(models.TextChoices):
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent, awaiting the tax notice")
        NOTIFIED = "notified", _("Tax notice received")
        PAID = "paid", _("Obligation paid")
        MANUAL = "manual", _("Manual path (staff enter the notice)")

    dossier = models.OneToOneField(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT,
                                   related_name="tax_transfer")
    number = models.CharField(_("form number"), max_length=80, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENDING)
    payload = models.JSONField(_("form as sent"), default=dict)
    attempts = models.PositiveSmallIntegerField(_("send attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    manual_reason = models.TextField(_("why the manual path"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The step the exchange belongs to (the dossier's step index when it was started).
    step_index = models.PositiveSmallIntegerField(_("step"), default=0)

    class Meta:
        verbose_name = _("tax information transfer")
        verbose_name_plural = _("tax information transfers")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "sent_at"], name="taxtransfer_state_sent")]

    def __str__(self) -> str:
        return self.number


class TaxNotice(models.Model):
    """A tax notice (thông báo nộp tiền) as received; a changed amount arrives as a new revision of the same number,
    and the newest revision is the one to pay (`is_current`)."""

    transfer = models.ForeignKey(TaxTransfer, verbose_name=_("transfer"), on_delete=models.PROTECT,
                                 related_name="notices")
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT,
                                related_name="tax_notices")
    number = models.CharField(_("notice number"), max_length=60)
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    lines = models.JSONField(_("amounts per obligation"), default=list)  # [{code, name, amount}]
    total = models.PositiveBigIntegerField(_("total (VND)"))
    deadline = models.DateField(_("pay by"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    treasury_account = models.CharField(_("treasury account"), max_length=60, blank=True)
    tax_office = models.CharField(_("tax office"), max_length=200, blank=True)
    source = models.CharField(_("received by"), max_length=10, choices=Source.choices)
    document_sha256 = models.CharField(_("document SHA-256"), max_length=64, blank=True)
    is_current = models.BooleanField(_("current"), default=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("tax notice")
        verbose_name_plural = _("tax notices")
        ordering = ["dossier", "received_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number", "revision"],
                                               name="taxnotice_unique_revision")]

    def __str__(self) -> str:
        return f"{self.number}#{self.revision}"


class TaxPaymentConfirmation(models.Model):
    """A payment confirmation (chứng từ) from the treasury or the tax authority, or the payment platform's, for a
    notice. One row per distinct payment (`key`): copies of it only raise `copies`; it pays once."""

    notice = models.ForeignKey(TaxNotice, verbose_name=_("notice"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="confirmations")
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT,
                                related_name="tax_confirmations")
    key = models.CharField(_("confirmation key"), max_length=140, unique=True)
    notice_number = models.CharField(_("notice number"), max_length=60)
    document_number = models.CharField(_("treasury document number"), max_length=60, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    paid_at = models.DateTimeField(_("paid at"))
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    file_url = models.CharField(_("receipt document"), max_length=500, blank=True)
    source = models.CharField(_("received by"), max_length=10, choices=Source.choices)
    copies = models.PositiveIntegerField(_("copies received"), default=1)
    applied = models.BooleanField(_("settled the obligation"), default=False)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("tax payment confirmation")
        verbose_name_plural = _("tax payment confirmations")
        ordering = ["dossier", "received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.notice_number} {self.amount}"


class PollSchedule(models.Model):
    """The single row that keeps one chain of periodic polls of the tax authority and the treasury alive (see
    `tasks.poll_tax_authority_task`), as `notifications.SweepSchedule` does for the outbox sweep."""

    token = models.UUIDField(default=uuid.uuid4)
    next_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tax poll schedule")
        verbose_name_plural = _("tax poll schedules")

    def __str__(self) -> str:
        return f"tax poll at {self.next_run_at}"
