"""Dossiers (hồ sơ), their append-only event log, documents, pauses and the notices issued on them.

Every status change goes through `dossiers.workflow.transition`, which locks the row, checks the single
transition table and writes exactly one `DossierEvent`. Nothing else writes `status`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.directory.models import Agency
from motcua.documents.models import ScannedFileMixin, ScanState


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the counter")
    POSTAL = "postal", _("By post")
    NATIONAL_PORTAL = "national_portal", _("National public-service portal")


class Status(models.TextChoices):
    """The lifecycle. Names shown to citizens and staff in Vietnamese through the translation files."""

    SUBMITTED = "submitted", _("Submitted, awaiting receipt")
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Awaiting supplement")
    PAUSED_FOR_FEES = "paused_for_fees", _("Awaiting financial obligation")
    IN_OTHER_AGENCY = "in_other_agency", _("At a coordinating agency")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STOPPED = "stopped", _("Processing stopped")
    CANCELLED = "cancelled", _("Cancelled")


TERMINAL_STATUSES = frozenset({Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.CANCELLED})
# The statutory clock does not run in these statuses.
CLOCK_STOPPED_STATUSES = frozenset({Status.SUBMITTED, Status.AWAITING_SUPPLEMENT, Status.PAUSED_FOR_FEES})


class Outcome(models.TextChoices):
    EARLY = "early", _("Before the deadline")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=60, unique=True)
    lookup_secret = models.CharField(_("look-up code"), max_length=32)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT,
                                  related_name="dossiers")
    procedure_version = models.ForeignKey(ProcedureVersion, verbose_name=_("procedure version"),
                                          on_delete=models.PROTECT, related_name="dossiers")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, db_index=True)
    # Applicant: a signed-in citizen (online) and/or the details written on the form.
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant account"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="dossiers")
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_number = models.CharField(_("ID number / tax code"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    # Set when a representative files for a business or organisation (the applicant fields then describe it).
    organisation = models.ForeignKey("identity.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="dossiers")
    form_data = models.JSONField(_("e-form data"), default=dict, blank=True)
    return_method = models.CharField(_("how to return the result"), max_length=20, default="counter")
    postal_tracking = models.CharField(_("postal tracking number"), max_length=40, blank=True)
    external_id = models.CharField(_("national portal id"), max_length=80, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    request_fingerprint = models.CharField(max_length=64, blank=True)

    receiving_agency = models.ForeignKey(Agency, verbose_name=_("receiving agency"), on_delete=models.PROTECT,
                                         related_name="received_dossiers")
    competent_agency = models.ForeignKey(Agency, verbose_name=_("competent agency"), on_delete=models.PROTECT,
                                         related_name="competent_dossiers")
    # Where the dossier is now: the step of the pinned process definition, its agency and role, its assignee.
    step_index = models.PositiveSmallIntegerField(_("step"), default=0)
    current_agency = models.ForeignKey(Agency, verbose_name=_("current agency"), on_delete=models.PROTECT,
                                       related_name="current_dossiers")
    current_role = models.CharField(_("current role"), max_length=20)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="assigned_dossiers")
    version = models.PositiveIntegerField(default=0, help_text="Bumped by every transition (optimistic check).")

    submitted_at = models.DateTimeField(_("submitted at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    extended_due_at = models.DateTimeField(_("new appointment"), null=True, blank=True)
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_due_at = models.DateTimeField(_("step due at"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    result_ready_at = models.DateTimeField(_("result ready at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["current_agency", "status", "due_at"], name="dossier_queue"),
            models.Index(fields=["applicant", "-submitted_at"], name="dossier_applicant"),
            # Indicator 1d: the dossiers an agency received in a period (a range scan, not the whole table).
            models.Index(fields=["competent_agency", "received_at"], name="dossier_received"),
            # "Overdue now" in the reports: open dossiers whose clock runs, by the date that binds them (the new
            # appointment of an apology letter, else the due date); a range scan reads only the overdue ones.
            models.Index(Coalesce("extended_due_at", "due_at"), "competent_agency",
                         condition=models.Q(finished_at__isnull=True, paused_at__isnull=True),
                         include=["extended_due_at", "due_at"],  # so that the count reads the index alone
                         name="dossier_running_deadline"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def steps(self) -> list[dict[str, Any]]:
        return self.procedure_version.steps

    @property
    def current_step(self) -> dict[str, Any]:
        return self.steps[self.step_index]

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def effective_due_at(self) -> Any:
        return self.extended_due_at or self.due_at


class DossierEvent(models.Model):
    """One change of a dossier: append-only; the audit trail, the citizen's timeline and the reports' source."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("number"))
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    from_step = models.SmallIntegerField(null=True)
    to_step = models.SmallIntegerField(null=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(default=True, help_text="Shown on the public look-up timeline.")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_event_unique_seq")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"

    def get_to_status_label(self) -> str:
        return str(Status(self.to_status).label)


class DossierDocument(ScannedFileMixin, models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    slot = models.CharField(_("required document"), max_length=50, blank=True)
    name = models.CharField(_("name"), max_length=255)
    file = models.FileField(_("file"), upload_to="dossiers/%Y/%m/", blank=True)
    # The stored content (content-addressed, with its virus-scan state); empty for a paper-only entry.
    blob = models.ForeignKey("documents.Blob", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    is_supplement = models.BooleanField(default=False)
    # Scanned from paper at the counter by a clerk (the digitisation rate of the reports counts these).
    is_digitised = models.BooleanField(_("digitised at the counter"), default=False)
    # Taken from the citizen's personal data store instead of a new upload (a national KPI counts these).
    reused_from = models.ForeignKey("documents.StoredDocument", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="reuses")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")

    def __str__(self) -> str:
        return self.name

    @property
    def counts_as_digitised(self) -> bool:
        """An electronic copy that came with the dossier (an upload or a counter scan, not a reuse from the data
        store), not rejected by the virus scan."""
        if self.scan_state in (ScanState.INFECTED, ScanState.FAILED):
            return False
        return self.is_digitised or (bool(self.file) and not self.reused_from_id)


class PauseInterval(models.Model):
    """A stretch of time the statutory clock did not run (supplement, financial obligation)."""

    class Kind(models.TextChoices):
        SUPPLEMENT = "supplement", _("Supplement")
        FEES = "fees", _("Financial obligation")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.started_at:%d/%m/%Y}"


class Notice(models.Model):
    """A form issued on a dossier (Circular 03/2025/TT-VPCP set): the PDF is rendered from this row."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt and appointment slip")
        SUPPLEMENT = "supplement", _("Request to supplement the dossier")
        REFUSAL = "refusal", _("Refusal")
        APOLOGY = "apology", _("Apology and extension letter")
        STOP = "stop", _("Notice of stopping")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(blank=True)
    items = models.JSONField(default=list, blank=True)
    # The appointment this notice gives: a receipt's (the first one's, or the new one issued when a supplement
    # completed the dossier and restarted the clock), or an apology letter's new date.
    new_due_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    issued_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["issued_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind}"


class DossierSequence(models.Model):
    """The last dossier number given by an agency on a day; locked while a code is drawn (no gaps, no twins)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.value}"


class PortalSync(models.Model):
    """A status change queued for the national public-service portal (sent by the integrations worker)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")  # an administrator gave up on a failed item (who and why below)

    class Origin(models.TextChoices):
        EVENT = "event", _("Dossier event")
        RECONCILE = "reconcile", _("Nightly reconciliation")  # re-sent because the portal's copy differed

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="portal_syncs")
    # One row per public event, plus a row each time the reconciliation re-sends that event.
    event = models.ForeignKey(DossierEvent, on_delete=models.CASCADE, related_name="portal_syncs")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.EVENT)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    payload = models.JSONField(default=dict)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # none: due now (backoff after a failure)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    skipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    skipped_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            # An event is waiting to be sent at most once: a second reconciliation run (or two at once) cannot
            # queue it again while the first copy is unfinished.
            models.UniqueConstraint(fields=["event"], condition=models.Q(state__in=["pending", "failed"]),
                                    name="portal_sync_one_open_per_event"),
        ]
        indexes = [  # the nightly reconciliation's window: rows queued or sent since its last run
            models.Index(fields=["created_at"], name="portal_sync_created"),
            models.Index(fields=["sent_at"], name="portal_sync_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.state}"


SURVEY_SCALE = [
    (5, _("Very satisfied")),
    (4, _("Satisfied")),
    (3, _("Neutral")),
    (2, _("Dissatisfied")),
    (1, _("Very dissatisfied")),
]


@dataclass(frozen=True)
class SurveyQuestion:
    """A survey question and the answers that fit it. Answers are stored as 1 to 5, higher is better, so that a
    yes/no answer (5 / 1) and a five-level one read the same way in the figures."""

    key: str
    label: Any
    answers: tuple[tuple[int, Any], ...]

    @property
    def values(self) -> frozenset[int]:
        return frozenset(value for value, _label in self.answers)


# The criteria citizens rate after the result is returned (as on the national portal's satisfaction survey,
# Decision 766/QĐ-TTg group 5), each with the answers its wording asks for.
SURVEY = (
    SurveyQuestion("overall", _("Overall, how satisfied are you with how your dossier was handled?"),
                   tuple(SURVEY_SCALE)),
    SurveyQuestion("information", _("Was the information about the procedure clear and complete?"),
                   ((5, _("Yes, clear and complete")), (3, _("Partly")), (1, _("No")))),
    SurveyQuestion("timeliness", _("Was the result returned on time?"),
                   ((5, _("Yes, on time or early")), (1, _("No, it was late")))),
    SurveyQuestion("staff", _("How were the officers' attitude and guidance?"),
                   ((5, _("Very good")), (4, _("Good")), (3, _("Acceptable")), (2, _("Poor")), (1, _("Very poor")))),
    SurveyQuestion("online", _("How easy was it to submit and follow the dossier?"),
                   ((5, _("Very easy")), (4, _("Easy")), (3, _("Neither easy nor difficult")), (2, _("Difficult")),
                    (1, _("Very difficult")))),
)
SURVEY_QUESTIONS = [(question.key, question.label) for question in SURVEY]


class SurveyResponse(models.Model):
    """One satisfaction survey per dossier, after the result is returned: answered here, or on the national portal
    and forwarded by it (the first one received is kept)."""

    class Source(models.TextChoices):
        LOCAL = "local", _("This system")
        NATIONAL_PORTAL = "national_portal", _("National public-service portal")

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="survey")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    answers = models.JSONField(default=dict)
    overall = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    source = models.CharField(_("answered on"), max_length=20, choices=Source.choices, default=Source.LOCAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.overall}"
