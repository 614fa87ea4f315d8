"""Who read a citizen's personal data, when, on which dossier and why, and what the citizen agreed to (Decree
13/2023/NĐ-CP on personal data protection). `DataAccess` is append-only: rows are written by
`motcua.privacy.access.record_access` and removed only by the retention purge (`motcua.privacy.retention`)."""

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
    OUT_OF_SCOPE = "out_of_scope", _("Access outside own agency, with a reason")
    LAND_VIEW = "land_view", _("Land database record read (parcel holders)")
    REGISTRY_REPORT_VIEW = "registry_report_view", _("Report of wrong registry data opened")


class Purpose(models.TextChoices):
    """The purposes the application itself records (a caller may also pass its own words)."""

    PROCESSING = "processing", _("Handling the dossier")
    INTAKE = "intake", _("Receiving the dossier")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the agency's dossiers (reason given)")
    SUBJECT_REQUEST = "subject_request", _("The person's request for their data")
    REPORT_EXPORT = "report_export", _("Statistics export")


class DataAccess(models.Model):
    """One read of one person's data by a member of staff (or by a system acting for them)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("read by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    # What the reader was acting as (shown to the citizen instead of the reader's name): their role and agency.
    actor_role = models.CharField(_("reader's role"), max_length=20, blank=True)
    actor_agency = models.ForeignKey("directory.Agency", verbose_name=_("reader's agency"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    # Whose data: the citizen's account when known, and the personal ID number (kept even without an account, so a
    # citizen who signs in later sees the reads made before).
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("data subject"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="data_accesses")
    subject_national_id = models.CharField(_("personal ID number"), max_length=12, blank=True, db_index=True)
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("what was read"), max_length=40, choices=AccessKind.choices)
    purpose = models.CharField(_("purpose of the read"), max_length=300)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # The dossier is not one of the reader's agency's: read under a reason typed first (`purpose`).
    out_of_scope = models.BooleanField(_("outside own agency"), default=False)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        indexes = [
            models.Index(fields=["subject", "-at"], name="dataaccess_subject_time"),
            # Coalescing and the reason grant look a reader's recent reads of one dossier up.
            models.Index(fields=["actor", "dossier", "kind", "-at"], name="dataaccess_actor_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.kind}"

    @property
    def purpose_label(self) -> str:
        """The purpose in the reader's language when it is one of `Purpose`, else as typed."""
        return str(Purpose(self.purpose).label) if self.purpose in Purpose.values else self.purpose


class ConsentPurpose(models.TextChoices):
    POPULATION_LOOKUP = "population_lookup", _("Look-up in the national population database")
    VNEID_PREFILL = "vneid_prefill", _("Filling in forms from the national population database after VNeID sign-in")
    BUSINESS_LOOKUP = "business_lookup", _("Look-up in the national business register")


class Consent(models.Model):
    """A person agreed that their data be looked up or used for PURPOSE, after being shown the notice of
    `motcua.privacy.consents` (its version and a digest of the text kept). Withdrawn consents stay, marked."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online, by the person")
        COUNTER = "counter", _("At the counter, recorded by the clerk")

    subject = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("data subject"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="consents")
    subject_national_id = models.CharField(_("personal ID number"), max_length=12, blank=True, db_index=True)
    purpose = models.CharField(_("purpose of the consent"), max_length=40, choices=ConsentPurpose.choices)
    channel = models.CharField(_("how it was given"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    notice_version = models.CharField(_("notice version"), max_length=20)
    notice_sha256 = models.CharField(_("notice SHA-256"), max_length=64)
    language = models.CharField(_("language shown"), max_length=10, blank=True)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["subject_national_id", "purpose", "-given_at"], name="consent_lookup")]

    def __str__(self) -> str:
        return f"{self.subject_national_id or self.subject_id} {self.purpose} {self.given_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
