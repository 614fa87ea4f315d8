"""Stored files and the citizen's personal data store (kho dữ liệu cá nhân).

`Blob` is one uploaded content, kept once under its SHA-256 (`cas/ab/cd/<sha256>`) and scanned once for
malware. `StoredDocument` is an entry of a citizen's data store: every document they submitted, every result
issued to them and every paper document digitised for them at the counter, kept with its kind and validity so
that a later dossier can reuse it instead of a new upload."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScanState(models.TextChoices):
    PENDING = "pending", _("Scanning for viruses")  # đang quét
    CLEAN = "clean", _("Checked, no virus found")
    INFECTED = "infected", _("Rejected: infected with malware")  # bị từ chối: nhiễm mã độc
    FAILED = "failed", _("Could not be scanned; please upload it again")
    NOT_SCANNED = "not_scanned", _("Not scanned (no virus scanner configured)")


# States whose content may be served (a scanner-less deployment serves unscanned files; it is configuration).
SERVABLE_STATES = frozenset({ScanState.CLEAN, ScanState.NOT_SCANNED})


def cas_name(sha256: str) -> str:
    """Where a content with this digest lives in the storage."""
    return f"cas/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class Blob(models.Model):
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(_("content type"), max_length=100)
    scan_state = models.CharField(_("virus scan"), max_length=20, choices=ScanState.choices,
                                  default=ScanState.PENDING)
    scan_signature = models.CharField(_("malware found"), max_length=255, blank=True)
    scan_attempts = models.PositiveSmallIntegerField(default=0)
    scan_error = models.CharField(max_length=500, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        indexes = [models.Index(fields=["scan_state"], name="blob_scan_state")]

    def __str__(self) -> str:
        return self.sha256

    @property
    def storage_name(self) -> str:
        return cas_name(self.sha256)

    @property
    def is_servable(self) -> bool:
        return self.scan_state in SERVABLE_STATES


class ScannedFileMixin:
    """Scan state of a row that points at a `Blob` (rows made before content addressing have none)."""

    blob: Blob | None

    @property
    def scan_state(self) -> str:
        return self.blob.scan_state if self.blob is not None else ScanState.NOT_SCANNED

    @property
    def scan_label(self) -> str:
        return str(ScanState(self.scan_state).label)

    @property
    def is_servable(self) -> bool:
        return self.scan_state in SERVABLE_STATES


class StoredDocument(ScannedFileMixin, models.Model):
    class Source(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted by the citizen")
        RESULT = "result", _("Result issued")
        DIGITISED = "digitised", _("Digitised at the counter")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
                              related_name="stored_documents")
    kind = models.CharField(_("kind"), max_length=50, help_text=_("The required-document code it answers."))
    name = models.CharField(_("name"), max_length=255)
    file = models.FileField(_("file"), upload_to="store/%Y/%m/")
    blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
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
