"""Fees and payments: an invoice per dossier (and purpose), its lines, payments at the counter or through a
gateway, receipts, the gateways' callbacks as received, and the daily reconciliation reports.

Amounts are whole Vietnamese đồng (integers). Gateways count in hundredths (VNPay: vnp_Amount = VND × 100):
the conversion happens in the provider adapters only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Dossier


class Provider(models.TextChoices):
    VNPAY = "vnpay", _("VNPay")
    PAYGOV = "paygov", _("National payment platform")
    COUNTER = "counter", _("At the counter")
    TREASURY = "treasury", _("State Treasury (tax e-payment)")  # confirmed by the treasury / tax authority


class Invoice(models.Model):
    """What the applicant owes on a dossier for one purpose, computed from the pinned procedure version's fees
    (or, for a financial obligation, the amount the competent authority notified)."""

    class Purpose(models.TextChoices):
        FEES = "fees", _("Fees and charges")
        OBLIGATION = "obligation", _("Financial obligation")

    class State(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("invoice number"), max_length=80, unique=True)
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="invoices")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    procedure_version = models.ForeignKey(ProcedureVersion, verbose_name=_("fee schedule of"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    total = models.PositiveBigIntegerField(_("total (VND)"))
    paid_amount = models.PositiveBigIntegerField(_("paid (VND)"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.UNPAID)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["dossier", "purpose"], name="invoice_unique_purpose")]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> int:
        if self.state != self.State.UNPAID:
            return 0
        return max(self.total - self.paid_amount, 0)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("line"))
    name = models.CharField(_("item"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20)
    unit_amount = models.PositiveBigIntegerField(_("unit amount (VND)"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    exemption = models.CharField(_("exemption"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class Payment(models.Model):
    """One payment, or one attempt to pay online. `txn_ref` is our order reference at the gateway."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    class Method(models.TextChoices):
        ONLINE = "online", _("Online")
        CASH = "cash", _("Cash")
        CARD = "card", _("Card at the counter")

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT,
                                related_name="payments")
    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    txn_ref = models.CharField(_("order reference"), max_length=100, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    create_date = models.CharField(_("gateway create date"), max_length=14, blank=True)
    expire_date = models.CharField(_("gateway expire date"), max_length=14, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    provider_txn_no = models.CharField(_("gateway transaction number"), max_length=100, blank=True)
    bank_code = models.CharField(_("bank"), max_length=30, blank=True)
    card_type = models.CharField(_("card type"), max_length=30, blank=True)
    response_code = models.CharField(_("gateway response code"), max_length=10, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # The payment page a gateway gave for this attempt (national payment platform: the init answer's URL), so a
    # second click goes to the same page instead of opening the same reference twice.
    gateway_url = models.TextField(_("gateway payment page"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    request_fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A gateway transaction pays one payment only (failed ones may share a number such as "0").
            models.UniqueConstraint(fields=["provider", "provider_txn_no"],
                                    condition=models.Q(state="succeeded") & ~models.Q(provider_txn_no=""),
                                    name="payment_unique_gateway_transaction"),
        ]
        indexes = [models.Index(fields=["provider", "created_at"], name="payment_provider_day")]

    def __str__(self) -> str:
        return f"{self.txn_ref} {self.amount} {self.state}"


class Receipt(models.Model):
    """The electronic receipt of a successful payment (rendered as PDF on request)."""

    number = models.CharField(_("receipt number"), max_length=40, unique=True)
    payment = models.OneToOneField(Payment, verbose_name=_("payment"), on_delete=models.PROTECT,
                                   related_name="receipt")
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number


class GatewayCallback(models.Model):
    """Every callback, return and query answer from a gateway, as received (secure hash left out)."""

    class Kind(models.TextChoices):
        IPN = "ipn", _("Server notification (IPN)")
        RETURN = "return", _("Browser return")
        QUERY = "query", _("Transaction query")

    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    txn_ref = models.CharField(_("order reference"), max_length=100, blank=True, db_index=True)
    params = models.JSONField(_("parameters"), default=dict)
    verified = models.BooleanField(_("signature valid"), default=False)
    answer_code = models.CharField(_("our answer"), max_length=10, blank=True)
    answer_message = models.CharField(_("our answer's message"), max_length=200, blank=True)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="callbacks")
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("gateway callback")
        verbose_name_plural = _("gateway callbacks")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.provider} {self.kind} {self.txn_ref} → {self.answer_code}"


class ReconciliationReport(models.Model):
    """Invoices and payments of one day compared with what the gateway says; every difference is listed."""

    day = models.DateField(_("day"))
    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    payments_checked = models.PositiveIntegerField(_("payments checked"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    settled = models.PositiveIntegerField(_("settled by the reconciliation"), default=0)
    mismatches = models.JSONField(_("mismatches"), default=list, blank=True)
    created_at = models.DateTimeField(_("made at"))

    class Meta:
        verbose_name = _("reconciliation report")
        verbose_name_plural = _("reconciliation reports")
        ordering = ["-day", "provider"]
        constraints = [models.UniqueConstraint(fields=["day", "provider"], name="reconciliation_unique_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.provider}: {len(self.mismatches)}"
