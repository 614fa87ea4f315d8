"""Who read a citizen's personal data, when, on which dossier and why (Decree 13/2023/NĐ-CP on personal data
protection). Append-only: rows are written by `motcua.privacy.access.record_access` and removed only by the
retention purge."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    POPULATION_LOOKUP = "population_lookup", _("Look-up in the national population database")
    BUSINESS_LOOKUP = "business_lookup", _("Look-up in the national business register")
    DOSSIER_VIEW = "dossier_view", _("Dossier opened")
    DOCUMENT_VIEW = "document_view", _("Document opened or downloaded")
    REGISTRY_EVIDENCE_VIEW = "registry_evidence_view", _("Registry answer opened")
    EXPORT = "export", _("Personal data exported")


class DataAccess(models.Model):
    """One read of one person's data by a member of staff (or by a system acting for them)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("read by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    # Whose data: the citizen's account when known, and the personal ID number (kept even without an account, so a
    # citizen who signs in later sees the reads made before).
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("data subject"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="data_accesses")
    subject_national_id = models.CharField(_("personal ID number"), max_length=12, blank=True, db_index=True)
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("what was read"), max_length=40, choices=AccessKind.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        indexes = [models.Index(fields=["subject", "-at"], name="dataaccess_subject_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.kind}"
