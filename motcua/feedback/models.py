"""Petitions and feedback (phản ánh, kiến nghị) about a procedure, a dossier or an agency.

Every status change goes through `feedback.workflow.transition`, which locks the row, checks the single transition
table and writes exactly one `FeedbackEvent`. Nothing else writes `status`.

Counting for Decision 766 (`statistics.indicator_counts`): 5a "handled on time" = petitions answered by their due
time (`on_time`, set when answered); 5b "satisfaction in handling" = those of them not rated 1–2. Merged duplicates
(`merged_into` set) are not counted on their own.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.directory.models import Agency


class FeedbackKind(models.Model):
    """A kind of petition with its legal deadline in working days (edited by the province in the admin)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    deadline_days = models.PositiveSmallIntegerField(_("deadline (working days)"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("kind of petition")
        verbose_name_plural = _("kinds of petition")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.deadline_days})"


class Subject(models.TextChoices):
    PROCEDURE = "procedure", _("An administrative procedure")
    DOSSIER = "dossier", _("A dossier")
    AGENCY = "agency", _("An agency or its staff")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the counter")
    APP = "app", _("Mobile app")
    NATIONAL_PORTAL = "national_portal", _("National portal")


class Classification(models.TextChoices):
    UNCLASSIFIED = "", _("Not classified yet")
    PHAN_ANH = "phan_anh", _("Feedback on conduct or handling (phản ánh)")
    KIEN_NGHI = "kien_nghi", _("Recommendation on a regulation (kiến nghị)")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the petition rules")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Classified and assigned")
    IN_PROGRESS = "in_progress", _("Being handled")
    REPLY_DRAFTED = "reply_drafted", _("Reply drafted")
    REPLY_APPROVED = "reply_approved", _("Reply approved by a leader")
    ANSWERED = "answered", _("Answered")
    PUBLISHED = "published", _("Answered and published")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another petition")


TERMINAL_STATUSES = frozenset({Status.PUBLISHED, Status.CLOSED, Status.MERGED})


class Feedback(models.Model):
    code = models.CharField(_("petition code"), max_length=60, unique=True)
    lookup_secret = models.CharField(_("look-up code"), max_length=32)
    kind = models.ForeignKey(FeedbackKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("about"), max_length=20, choices=Subject.choices)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    dossier_code = models.CharField(_("dossier code"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    classification = models.CharField(_("classification"), max_length=20, choices=Classification.choices,
                                      blank=True, default="")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True,
                              default=Status.RECEIVED)
    version = models.PositiveIntegerField(default=0)
    # The petitioner: an account (signed in) and/or the details written on the form.
    petitioner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("petitioner account"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    petitioner_name = models.CharField(_("name"), max_length=200)
    petitioner_phone = models.CharField(_("phone"), max_length=20, blank=True)
    petitioner_email = models.EmailField(_("email"), blank=True)
    petitioner_address = models.CharField(_("address"), max_length=300, blank=True)
    consent_to_publish = models.BooleanField(_("agrees to publication of the answer"), default=False)
    # The agency that must answer, and the member of its staff handling it.
    agency = models.ForeignKey(Agency, verbose_name=_("competent agency"), on_delete=models.PROTECT,
                               related_name="+")
    received_by_agency = models.ForeignKey(Agency, verbose_name=_("receiving agency"), on_delete=models.PROTECT,
                                           related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("answer due"))
    reply = models.TextField(_("reply"), blank=True)
    reply_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reply approved by"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_title = models.CharField(_("published title"), max_length=200, blank=True)
    published_content = models.TextField(_("published content (personal data masked)"), blank=True)
    published_reply = models.TextField(_("published reply (personal data masked)"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="duplicates")
    rating = models.PositiveSmallIntegerField(_("citizen's rating (1-5)"), null=True, blank=True)
    rating_comment = models.CharField(_("citizen's comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    request_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"], name="feedback_agency_status"),
                   models.Index(fields=["received_at"], name="feedback_received_at")]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                                   name="feedback_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES


class FeedbackEvent(models.Model):
    """One append-only line of a petition's history (seq = the petition's version after the change)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    from_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("petition event")
        verbose_name_plural = _("petition events")
        ordering = ["feedback", "seq"]
        constraints = [models.UniqueConstraint(fields=["feedback", "seq"], name="feedback_event_unique_seq")]

    def __str__(self) -> str:
        return f"{self.feedback_id}#{self.seq} {self.action}"


class FeedbackSequence(models.Model):
    """The daily number of petitions per receiving agency (locked inside the creating transaction)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="feedback_sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.value}"


class NationalPetition(models.Model):
    """A petition pulled from the national portal's petitions system (PAKN), keyed by its national ID (unique: a
    petition pulled twice is one). `motcua.feedback.national_petitions` writes it; `feedback` is the local
    petition, or empty while HELD for the province admin (unknown agency code, unreadable item) with `reason`."""

    class State(models.TextChoices):
        CREATED = "created", _("Created as a petition")
        HELD = "held", _("Held for the province admin")

    class AnswerState(models.TextChoices):
        NONE = "", _("Not answered yet")
        PENDING = "pending", _("Answer waiting to be sent")
        SENT = "sent", _("Answer sent")

    national_id = models.CharField(_("national petition ID"), max_length=60, unique=True)
    agency_code = models.CharField(_("agency code (MADONVI)"), max_length=60, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    reason = models.CharField(_("why it is held"), max_length=300, blank=True)
    payload = models.JSONField(_("what the national system sent"), default=dict)
    feedback = models.OneToOneField(Feedback, verbose_name=_("petition"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="national")
    pulled_at = models.DateTimeField(_("pulled at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answer_state = models.CharField(_("answer"), max_length=10, choices=AnswerState.choices, blank=True,
                                    default="")
    answer_attempts = models.PositiveSmallIntegerField(_("answer attempts"), default=0)
    answer_next_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    answer_error = models.CharField(_("last error"), max_length=500, blank=True)
    answer_sent_at = models.DateTimeField(_("answer sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("petition from the national portal")
        verbose_name_plural = _("petitions from the national portal")
        ordering = ["-pulled_at", "-pk"]

    def __str__(self) -> str:
        return self.national_id


class NationalPetitionPoll(models.Model):
    """The one row of the periodic pull chain (like `taxexchange.PollSchedule`): the job holding TOKEN continues."""

    token = models.UUIDField(default=uuid.uuid4)
    next_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"pull {self.next_run_at}"
