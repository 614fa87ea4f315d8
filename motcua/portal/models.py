"""Drafts of online applications, so that a long form can be saved and resumed (GOV.UK "save and come back")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure


class FormDraft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    applicant = models.JSONField(default=dict)
    form_data = models.JSONField(default=dict)
    # slot code → id of a StoredDocument (a file uploaded on the documents page, or one chosen for reuse)
    documents = models.JSONField(default=dict)
    reused = models.JSONField(default=list, help_text="Slots whose document was chosen from the data store.")
    idempotency_key = models.CharField(max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application draft")
        verbose_name_plural = _("application drafts")
        constraints = [models.UniqueConstraint(fields=["user", "procedure"], name="one_draft_per_procedure")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.procedure_id}"


class RegistryDataReport(models.Model):
    """A citizen says a piece of their data from the national population database, filled into an online form, is
    wrong. The registry stays the source (the form keeps its value); staff see the report and send the citizen to
    the police of their commune, who correct the registry. One open report per citizen, piece of data and value:
    sending it again changes the comment (idempotent)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting review")
        HANDLED = "handled", _("Handled")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("citizen"), on_delete=models.CASCADE,
                             related_name="registry_data_reports")
    national_id = models.CharField(_("personal ID number"), max_length=12)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")
    field = models.CharField(_("data reported wrong"), max_length=40)
    registry_value = models.CharField(_("value in the registry"), max_length=300)
    comment = models.TextField(_("what the citizen says"), max_length=1000, blank=True)
    registry_answer_id = models.PositiveBigIntegerField(_("registry answer"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report of wrong registry data")
        verbose_name_plural = _("reports of wrong registry data")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "field", "registry_value"],
                                               condition=models.Q(status="open"), name="one_open_report_per_value")]

    def __str__(self) -> str:
        return f"{self.national_id} {self.field}"
