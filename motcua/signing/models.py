"""Result documents issued on a dossier (draft PDF → PAdES-signed e-result) and the signature checks of the
documents citizens upload."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_verification_code() -> str:
    """The public, unguessable code printed as a QR on the signed result (128 bits)."""
    return secrets.token_urlsafe(16)


class ResultDocument(models.Model):
    """The result of a dossier as a PDF: uploaded as a draft, signed by the agency when the leader approves."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft, awaiting approval")
        SIGNED = "signed", _("Signed")
        REPLACED = "replaced", _("Replaced by a newer draft")
        REMOVED = "removed", _("Draft removed")

    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT,
                                related_name="result_documents")
    name = models.CharField(_("name"), max_length=255)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    draft_file = models.FileField(_("draft"), upload_to="results/drafts/%Y/%m/")
    draft_sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Printed on the signed PDF as a QR to /xac-thuc/<code>/.
    verification_code = models.CharField(max_length=32, unique=True, default=new_verification_code)
    signed_file = models.FileField(_("signed file"), upload_to="results/signed/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the signed file"), max_length=64, blank=True, db_index=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    certificate_subject = models.CharField(_("certificate subject"), max_length=500, blank=True)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=80, blank=True)
    timestamped = models.BooleanField(default=False)
    stored_document = models.ForeignKey("documents.StoredDocument", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("result document")
        verbose_name_plural = _("result documents")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            # At most one draft awaiting approval per dossier.
            models.UniqueConstraint(fields=["dossier"], condition=models.Q(state="draft"),
                                    name="result_document_one_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.name} ({self.state})"


class DocumentCheck(models.Model):
    """Our verifier's verdict on a PDF a citizen uploaded with a dossier (kept per file, shown to the clerk)."""

    class Verdict(models.TextChoices):
        VALID = "valid", _("Valid signature")
        INVALID = "invalid", _("Signature not valid")
        UNSIGNED = "unsigned", _("Not signed")

    document = models.OneToOneField("dossiers.DossierDocument", on_delete=models.CASCADE,
                                    related_name="signature_check")
    file_name = models.CharField(max_length=255)  # the file the verdict is about (a new file is checked again)
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    signer_subject = models.CharField(max_length=500, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.document_id}: {self.verdict}"
