"""Evidence of every call to an outside system, and the administrators' acts on outbound queues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.adapters import national_portal as portal
from motcua.dossiers.models import Status


class CallRecord(models.Model):
    """One attempt of one call to an outside system: digests and sizes of what was sent and received, never the
    bodies (they carry personal data). Written outside the caller's transaction (see `evidence.py`)."""

    system = models.CharField(_("system"), max_length=40, db_index=True)
    operation = models.CharField(_("operation"), max_length=80)
    # No database constraint: the record is written by its own connection, possibly before the caller's
    # transaction that created the dossier commits, and evidence outlives a deleted dossier.
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    request_sha256 = models.CharField(_("request SHA-256"), max_length=64, blank=True)
    request_size = models.PositiveIntegerField(_("request size (bytes)"), default=0)
    response_sha256 = models.CharField(_("response SHA-256"), max_length=64, blank=True)
    response_size = models.PositiveIntegerField(_("response size (bytes)"), default=0)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("call record")
        verbose_name_plural = _("call records")
        indexes = [models.Index(fields=["system", "-created_at"], name="callrecord_system_time")]

    def __str__(self) -> str:
        return f"{self.system} {self.operation} #{self.attempt} {self.status_code or self.error[:40]}"

    @property
    def succeeded(self) -> bool:
        return not self.error and self.status_code is not None and self.status_code < 400


class QueueItemAct(models.Model):
    """An administrator's act on a dead item of an outbound queue (retry or skip): who, when, why. Append-only."""

    class Kind(models.TextChoices):
        RETRY = "retry", _("Retry")
        SKIP = "skip", _("Skip")

    system = models.CharField(_("system"), max_length=40)
    queue = models.CharField(_("queue"), max_length=40)
    item_id = models.CharField(_("item"), max_length=64)
    kind = models.CharField(_("act"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("queue item act")
        verbose_name_plural = _("queue item acts")

    def __str__(self) -> str:
        return f"{self.kind} {self.queue}/{self.item_id} by {self.actor_id}"


class PortalStatusMapping(models.Model):
    """Which national-portal status (TrangThaiHoSo) a dossier status is sent as; seeded from the adapter's
    DEFAULT_STATUS_MAPPING, editable by the province in the admin (a status with no row uses the default)."""

    local_status = models.CharField(_("dossier status"), max_length=30, unique=True,
                                    choices=Status.choices)
    portal_code = models.CharField(_("national portal status"), max_length=2,
                                   choices=[(k, f"{k} - {v}") for k, v in portal.STATUS_CODES.items()])

    class Meta:
        verbose_name = _("national portal status mapping")
        verbose_name_plural = _("national portal status mappings")
        ordering = ["local_status"]

    def __str__(self) -> str:
        return f"{self.local_status} → {self.portal_code}"


class PortalReconciliation(models.Model):
    """One run of the nightly reconciliation with the national portal (`reconcile_portal.py`): which window of
    changed dossiers it covered, how far it got (resumable), and what it found and queued again."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Completed")
        PARTIAL = "partial", _("Stopped at the per-run limit; the next run continues")
        INTERRUPTED = "interrupted", _("Interrupted: the portal did not answer; the next run continues")

    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    window_start = models.DateTimeField(_("dossiers changed from"))
    window_end = models.DateTimeField(_("dossiers changed until"))
    cursor = models.PositiveBigIntegerField(_("last dossier checked"), default=0)
    checked = models.PositiveIntegerField(_("dossiers checked"), default=0)
    in_flight = models.PositiveIntegerField(_("dossiers with changes still queued"), default=0)
    missing = models.PositiveIntegerField(_("missing at the portal"), default=0)
    status_differs = models.PositiveIntegerField(_("different status"), default=0)
    dates_differ = models.PositiveIntegerField(_("different dates"), default=0)
    progress_missing = models.PositiveIntegerField(_("missing progress steps"), default=0)
    requeued = models.PositiveIntegerField(_("dossiers queued again"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    details = models.JSONField(_("differences"), default=list, blank=True)  # the first ones, for the page
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("national portal reconciliation")
        verbose_name_plural = _("national portal reconciliations")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.state}"

    @property
    def differences(self) -> int:
        return self.missing + self.status_differs + self.dates_differ + self.progress_missing


class RegistryAnswer(models.Model):
    """One answer of a national registry (the population database) to one look-up, kept as evidence: when, from
    which system, the SHA-256 of the raw answer and the normalised data it gave (docs/population.md). A look-up
    the registry did not answer is kept too (status `unavailable`): the dossier then stays unverified.

    Made before the dossier exists at counter intake (`dossier` empty), then attached to it
    (`motcua.integrations.population.attach_to_dossier`)."""

    class Status(models.TextChoices):
        FOUND = "found", _("Found in the registry")
        NOT_FOUND = "not_found", _("Not found in the registry")
        UNAVAILABLE = "unavailable", _("The registry did not answer")

    registry = models.CharField(_("registry"), max_length=40, default="population", db_index=True)
    source = models.CharField(_("source system"), max_length=40)
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="registry_answers")
    national_id = models.CharField(_("personal ID number"), max_length=12, db_index=True)
    request_id = models.CharField(_("request ID"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    answered_at = models.DateTimeField(_("time"), db_index=True)
    response_sha256 = models.CharField(_("answer SHA-256"), max_length=64, blank=True)
    response_size = models.PositiveIntegerField(_("answer size (bytes)"), default=0)
    data = models.JSONField(_("normalised data"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)

    class Meta:
        ordering = ["-answered_at", "-pk"]
        verbose_name = _("registry answer")
        verbose_name_plural = _("registry answers")
        indexes = [models.Index(fields=["dossier", "registry", "-answered_at"], name="registryanswer_dossier")]

    def __str__(self) -> str:
        number = f"{self.national_id[:3]}…{self.national_id[-3:]}"
        return f"{self.registry} {number} {self.status} {self.answered_at:%Y-%m-%d %H:%M}"


class BusinessRegisterAnswer(models.Model):
    """What the national business register answered to one look-up by enterprise code: kept as the evidence of a
    representation it granted and of a counter intake it filled (time, who asked and why, digest of the answer and
    what it said). Written by `motcua.integrations.business_register.look_up`; the call itself has its CallRecord."""

    code = models.CharField(_("enterprise code"), max_length=14, db_index=True)
    found = models.BooleanField(_("found in the register"))
    status = models.CharField(_("status"), max_length=20, blank=True)
    status_text = models.CharField(_("status in the register"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # What the register said (legal representatives with their personal ID numbers, lines, capital…).
    record = models.JSONField(_("register record"), default=dict, blank=True)
    request_id = models.CharField(_("request id (MaYeuCau)"), max_length=40)
    response_sha256 = models.CharField(_("answer SHA-256"), max_length=64)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    asked_at = models.DateTimeField(_("time"), db_index=True)
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="business_register_answers")
    representation = models.ForeignKey("identity.Representation", verbose_name=_("representation"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="register_answers")

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("business register answer")
        verbose_name_plural = _("business register answers")

    def __str__(self) -> str:
        return f"{self.code} {self.asked_at:%Y-%m-%d %H:%M} {'found' if self.found else 'not found'}"

    @property
    def representatives(self) -> list[dict[str, str]]:
        return list(self.record.get("representatives") or [])
