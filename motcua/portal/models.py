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
