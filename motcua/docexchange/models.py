"""Official documents exchanged with agencies outside motcua through the document exchange hub, in edXML
(docs/document-exchange.md): what we sent and its status trail, and every message the hub handed us, kept raw."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.adapters import edxml
from motcua.directory.models import Agency
from motcua.dossiers.models import Dossier, DossierDocument


class State(models.TextChoices):
    SENDING = edxml.SENDING, _("Being sent")
    SENT = edxml.SENT, _("Sent to the hub")
    RECEIVED = edxml.RECEIVED, _("Received by the agency")
    ACCEPTED = edxml.ACCEPTED, _("Accepted by the agency")
    ASSIGNED = edxml.ASSIGNED, _("Assigned to an officer")
    PROCESSING = edxml.PROCESSING, _("Being processed")
    REJECTED = edxml.REJECTED, _("Rejected by the agency")
    DONE = edxml.DONE, _("Done")
    FAILED = edxml.FAILED, _("Delivery failed")


class OutgoingDocument(models.Model):
    """One edXML document sent for a dossier: a step handed to an outside agency (`purpose` step, whose answer
    resumes the dossier) or a result sent to it (`result`). `document_id` is the envelope's DocumentId, the key
    statuses and answers refer to (ResponseFor)."""

    class Purpose(models.TextChoices):
        STEP = "step", _("Dossier step at an outside agency")
        RESULT = "result", _("Result sent to an outside agency")

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT,
                                related_name="outgoing_documents")
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.STEP)
    step_index = models.PositiveSmallIntegerField(_("step"), default=0)
    to_agency = models.ForeignKey(Agency, verbose_name=_("to agency"), on_delete=models.PROTECT, related_name="+")
    document_id = models.CharField(_("edXML DocumentId"), max_length=200, unique=True)
    code = models.CharField(_("number and notation"), max_length=100)
    subject = models.CharField(_("subject"), max_length=500)
    envelope = models.BinaryField(_("envelope as sent"))
    envelope_sha256 = models.CharField(max_length=64)
    hub_doc_id = models.CharField(_("hub message id"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SENDING)
    attempts = models.PositiveSmallIntegerField(_("send attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    state_at = models.DateTimeField(_("state since"), null=True, blank=True)
    answer = models.ForeignKey("InboundMessage", verbose_name=_("answer"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    answer_document = models.ForeignKey(DossierDocument, verbose_name=_("answer document"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    # Our verifier's verdict on each file of the answer, in order: {"document": pk, "name", "verdict" (valid,
    # invalid, unsigned; "" for a file that is not a PDF), "signer" (certificate subject), "signed_at", "problems"}.
    answer_signatures = models.JSONField(_("signatures of the answer's files"), default=list, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    resumed_at = models.DateTimeField(_("dossier resumed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing edXML document")
        verbose_name_plural = _("outgoing edXML documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One step exchange per dossier step (a job running twice makes one document); a new one after a
            # rejection is a new step entry (send-back and forward again) and gets a new sequence in its code.
            models.UniqueConstraint(fields=["dossier", "code"], name="outgoing_document_unique_code"),
        ]
        indexes = [models.Index(fields=["state", "sent_at"], name="outgoing_doc_state_sent")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_final(self) -> bool:
        return self.state in edxml.FINAL_STATES


class InboundMessage(models.Model):
    """A message the hub handed us, raw bytes first (nothing is lost, even what we cannot read), then what it
    became. `hub_doc_id` is unique: the same message fetched twice is stored once."""

    class Kind(models.TextChoices):
        DOCUMENT = "edoc", _("Document")
        STATUS = "status", _("Status")
        UNKNOWN = "unknown", _("Unreadable")

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        IGNORED = "ignored", _("Duplicate or out of order: kept, nothing changed")
        ANSWER = "answer", _("Answer attached to the dossier")
        UNMATCHED = "unmatched", _("Refers to no document of ours")
        REJECTED = "rejected", _("Malformed: rejected")

    hub_doc_id = models.CharField(_("hub message id"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_code = models.CharField(_("from agency code"), max_length=40, blank=True)
    raw = models.BinaryField(_("message as received"))
    sha256 = models.CharField(max_length=64)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error = models.TextField(_("error"), blank=True)
    document = models.ForeignKey(OutgoingDocument, verbose_name=_("our document"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="messages")
    status_code = models.CharField(_("status code"), max_length=2, blank=True)
    stated_at = models.DateTimeField(_("time in the message"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    acknowledged_at = models.DateTimeField(_("acknowledged to the hub at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbound edXML message")
        verbose_name_plural = _("inbound edXML messages")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.hub_doc_id

    @property
    def state(self) -> str:
        return edxml.STATUS_CODES.get(self.status_code, "")

    def get_state_display(self) -> str:
        state = self.state
        return str(State(state).label) if state else self.status_code


class PollSchedule(models.Model):
    """The single row that keeps one chain of periodic hub polls alive (`tasks.poll_document_exchange_task`)."""

    token = models.UUIDField(default=uuid.uuid4)
    next_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document exchange poll schedule")
        verbose_name_plural = _("document exchange poll schedules")

    def __str__(self) -> str:
        return f"edXML poll at {self.next_run_at}"
