"""The citizen's personal data store (kho dữ liệu cá nhân): every document they submitted and every result
issued to them, kept with its kind and validity, so that a later dossier can reuse it instead of a new upload."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredDocument(models.Model):
    class Source(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted by the citizen")
        RESULT = "result", _("Result issued")
        DIGITISED = "digitised", _("Digitised at the counter")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
                              related_name="stored_documents")
    kind = models.CharField(_("kind"), max_length=50, help_text=_("The required-document code it answers."))
    name = models.CharField(_("name"), max_length=255)
    file = models.FileField(_("file"), upload_to="store/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored document")
        verbose_name_plural = _("stored documents")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["owner", "kind", "sha256"], name="stored_document_unique")]

    def __str__(self) -> str:
        return self.name
