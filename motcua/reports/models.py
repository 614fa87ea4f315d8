"""Monthly rollups of dossier events, maintained in the same transaction as each event.

One row per (month, competent agency, procedure, channel, metric) holding a count. Report pages read only these
rows; `manage.py rebuild_rollups` recomputes them from the events and must agree with the incremental ones.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.directory.models import Agency


class Metric(models.TextChoices):
    RECEIVED = "received", _("Received")
    RESOLVED_EARLY = "resolved_early", _("Resolved before the deadline")
    RESOLVED_ON_TIME = "resolved_on_time", _("Resolved on time")
    RESOLVED_LATE = "resolved_late", _("Resolved late")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ENDED_OTHERWISE = "ended_otherwise", _("Stopped or cancelled")
    DIGITISED = "digitised", _("Received with digitised documents")
    REUSED = "reused", _("Received reusing stored documents")
    SURVEYED = "surveyed", _("Rated by the applicant")
    SATISFIED = "satisfied", _("Rated satisfied or very satisfied")
    PAID = "paid", _("Fees or obligations paid")
    PAID_ONLINE = "paid_online", _("Paid online")
    RESULT_ONLINE = "result_online", _("Result returned electronically")
    # Sums, not counts (indicator 2b): working minutes each resolved dossier took, and the working minutes the law
    # allowed it, added up over the resolved dossiers of the cell.
    RESOLUTION_MINUTES = "resolution_minutes", _("Working minutes taken to resolve (sum)")
    ALLOWED_MINUTES = "allowed_minutes", _("Working minutes allowed by law (sum)")


class MonthlyRollup(models.Model):
    month = models.DateField(_("month"))  # the first day of the month, local time
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=20)
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [models.UniqueConstraint(fields=["month", "agency", "procedure", "channel", "metric"],
                                               name="rollup_unique_cell")]
        indexes = [models.Index(fields=["month", "agency"], name="rollup_month_agency")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.agency_id} {self.metric}={self.value}"


class Scorecard(models.Model):
    """A version of the Decision 766/QĐ-TTg scorecard (provinces publish their own variants): its indicators,
    their formulas over the monthly figures, and their maximum points, as data."""

    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    effective_from = models.DateField(_("effective from"))
    indicators = models.JSONField(_("indicators"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"


class ExportJob(models.Model):
    """A long export (e.g. every dossier behind a figure, to Excel) made by the job worker, with its progress."""

    class Kind(models.TextChoices):
        DOSSIERS_XLSX = "dossiers_xlsx", _("Dossier list (Excel)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE,
                                     related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    params = models.JSONField(_("parameters"), default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.state}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0


class Target(models.Model):
    """A target the province sets itself for one public figure in one year (e.g. 80 % of dossiers online in 2026),
    shown beside the figure on the public statistics page. Edited by province administrators only."""

    class Figure(models.TextChoices):
        ONLINE = "online_rate", _("Online submission (%)")
        ON_TIME = "on_time_rate", _("Resolved on time (%)")
        DIGITISATION = "digitisation_rate", _("Digitised on receipt (%)")
        ONLINE_PAYMENT = "online_payment_rate", _("Paid online (%)")
        SATISFACTION = "satisfaction_rate", _("Satisfaction (%)")

    figure = models.CharField(_("figure"), max_length=30, choices=Figure.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    basis = models.CharField(_("basis"), max_length=255, blank=True,
                             help_text=_("The plan or decision that sets it, e.g. Kế hoạch số …/KH-UBND"))

    class Meta:
        verbose_name = _("statistics target")
        verbose_name_plural = _("statistics targets")
        ordering = ["-year", "figure"]
        constraints = [models.UniqueConstraint(fields=["figure", "year"], name="target_unique_figure_year")]

    def __str__(self) -> str:
        return f"{self.get_figure_display()} {self.year}: {self.value}"
