"""One transition table, one locked transition function, one event per change (as `dossiers.workflow`).

`TRANSITIONS` is the only place that says which action is legal from which status and who may take it. Every
action goes through `transition()`, which locks the petition row, checks the version the caller saw, the source
status and the actor, applies the change, bumps the version, writes exactly one `FeedbackEvent` and writes the
citizen's messages to the outbox in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from motcua.directory.models import Agency, Role
from motcua.directory.selectors import has_role
from motcua.dossiers.workflow import WorkflowError
from motcua.feedback.models import TERMINAL_STATUSES, Feedback, FeedbackEvent, Status
from motcua.identity.models import User

S = Status

ACTION_LABELS = {
    "submit": _("Submit"),
    "assign": _("Classify and assign"),
    "start": _("Start handling"),
    "draft_reply": _("Draft the reply"),
    "send_back": _("Send the draft back"),
    "approve_reply": _("Approve the reply"),
    "answer": _("Send the answer to the citizen"),
    "publish": _("Publish the answer"),
    "close": _("Close"),
    "transfer": _("Transfer to another agency"),
    "merge": _("Merge into another petition (duplicate)"),
    "rate": _("Rate the answer"),
}


class Actor:
    STAFF = "staff"            # a clerk or a leader of the competent agency (triage at the front desk)
    HANDLER = "handler"        # the assignee; with no assignee a specialist of the agency; or its leader
    LEADER = "leader"          # a leader of the competent agency
    ANY_STAFF = "any_staff"    # a clerk, specialist or leader of the competent agency
    PETITIONER = "petitioner"  # the petitioner's account, or whoever holds the code and the look-up secret


@dataclass(frozen=True)
class Rule:
    sources: frozenset[Status]
    actor: str
    target: Status | None = None  # None: the status does not change
    public: bool = True           # shown on the citizen's timeline
    requires_note: bool = False


TRANSITIONS: dict[str, Rule] = {
    "assign": Rule(frozenset({S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS}), Actor.STAFF, S.ASSIGNED),
    "start": Rule(frozenset({S.ASSIGNED}), Actor.HANDLER, S.IN_PROGRESS),
    "draft_reply": Rule(frozenset({S.ASSIGNED, S.IN_PROGRESS, S.REPLY_DRAFTED}), Actor.HANDLER, S.REPLY_DRAFTED,
                        public=False),
    "send_back": Rule(frozenset({S.REPLY_DRAFTED, S.REPLY_APPROVED}), Actor.LEADER, S.IN_PROGRESS, public=False,
                      requires_note=True),
    "approve_reply": Rule(frozenset({S.REPLY_DRAFTED}), Actor.LEADER, S.REPLY_APPROVED, public=False),
    "answer": Rule(frozenset({S.REPLY_APPROVED}), Actor.ANY_STAFF, S.ANSWERED),
    "publish": Rule(frozenset({S.ANSWERED}), Actor.LEADER, S.PUBLISHED),
    "close": Rule(frozenset({S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED}), Actor.LEADER, S.CLOSED,
                  requires_note=True),
    "transfer": Rule(frozenset({S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS}), Actor.STAFF, S.RECEIVED,
                     requires_note=True),
    "merge": Rule(frozenset({S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS}), Actor.STAFF, S.MERGED),
    "rate": Rule(frozenset({S.ANSWERED, S.PUBLISHED, S.CLOSED}), Actor.PETITIONER),
}
STAFF_ACTIONS = tuple(name for name, rule in TRANSITIONS.items() if rule.actor != Actor.PETITIONER)


@dataclass
class Change:
    """What an action does besides the table's status, filled in by the action before the event is written."""

    data: dict[str, Any] = field(default_factory=dict)
    to_agency: Agency | None = None


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def legal_actions(feedback: Feedback) -> list[str]:
    """Actions the table allows from the petition's status (ignoring who asks)."""
    return [
        name for name, rule in TRANSITIONS.items()
        if feedback.status in rule.sources
        and not (name == "publish" and not feedback.consent_to_publish)
        and not (name == "rate" and (feedback.answered_at is None or feedback.rating is not None))
    ]


def may_take(feedback: Feedback, action: str, actor: User | None, *, holds_secret: bool = False) -> bool:
    """Whether ACTOR may take ACTION on FEEDBACK (legality now is separate: `legal_actions`)."""
    rule = TRANSITIONS.get(action)
    if rule is None:
        return False
    if rule.actor == Actor.PETITIONER:
        return holds_secret or (actor is not None and feedback.petitioner_id is not None
                                and feedback.petitioner_id == actor.pk)
    if actor is None:
        return False
    agency = feedback.agency
    leader = has_role(actor, agency, Role.LEADER)
    if rule.actor == Actor.LEADER:
        return leader
    if rule.actor == Actor.STAFF:
        return leader or has_role(actor, agency, Role.CLERK)
    if rule.actor == Actor.ANY_STAFF:
        return leader or has_role(actor, agency, Role.CLERK) or has_role(actor, agency, Role.SPECIALIST)
    # HANDLER
    if leader:
        return True
    if feedback.assignee_id is not None:
        return feedback.assignee_id == actor.pk
    return has_role(actor, agency, Role.SPECIALIST)


def is_staff_of(actor: User, agency: Agency) -> bool:
    return any(has_role(actor, agency, role) for role in (Role.CLERK, Role.SPECIALIST, Role.LEADER))


def transition(
    feedback_id: int,
    action: str,
    *,
    actor: User | None,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
    holds_secret: bool = False,
    apply: Callable[[Feedback, Change], None] | None = None,
) -> tuple[Feedback, FeedbackEvent]:
    """Take ACTION on the petition; see the module docstring. APPLY makes the action's own changes (reply text,
    new agency, masked publication…) on the locked row and may raise WorkflowError (nothing is then written)."""
    from motcua.feedback.messages import feedback_variables
    from motcua.notifications.actions import enqueue_for_feedback_event

    rule = TRANSITIONS.get(action)
    if rule is None:
        raise WorkflowError("unknown_action", f"Thao tác không hợp lệ: {action}.", f"Unknown action: {action}.")
    now = at or timezone.now()
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().select_related("agency", "kind").get(pk=feedback_id)
        if expected_version is not None and feedback.version != expected_version:
            raise WorkflowError("stale", "Phản ánh vừa được người khác xử lý; vui lòng tải lại trang.",
                                "Someone else has just acted on this petition; please reload.")
        if action not in legal_actions(feedback):
            with override("vi"):
                label_vi, status_vi = action_label(action), str(feedback.get_status_display())
            raise WorkflowError("illegal", f"Không thể «{label_vi}» khi phản ánh ở trạng thái «{status_vi}».",
                                f"“{action}” is not allowed while the petition is “{feedback.status}”.")
        if rule.requires_note and not note.strip():
            raise WorkflowError("note_required", "Vui lòng nhập lý do.", "Please give a reason.")
        if not may_take(feedback, action, actor, holds_secret=holds_secret):
            raise WorkflowError("forbidden", "Bạn không có quyền thực hiện thao tác này trên phản ánh.",
                                "You may not take this action on this petition.")
        from_status, from_agency = feedback.status, feedback.agency
        change = Change()
        if apply is not None:
            apply(feedback, change)
        target = rule.target or Status(feedback.status)
        if target in TERMINAL_STATUSES and feedback.closed_at is None:
            feedback.closed_at = now
        feedback.status = target
        feedback.version += 1
        feedback.save()
        event = FeedbackEvent.objects.create(
            feedback=feedback, seq=feedback.version, action=action, from_status=from_status, to_status=target,
            actor=actor, from_agency=from_agency, to_agency=change.to_agency or feedback.agency, note=note,
            is_public=rule.public, data=change.data, created_at=now,
        )
        enqueue_for_feedback_event(event, feedback_variables)
    return feedback, event


def record_creation(feedback: Feedback, *, actor: User | None, at: dt.datetime, note: str = "") -> FeedbackEvent:
    """The first event of a new petition (inside the creating transaction)."""
    from motcua.feedback.messages import feedback_variables
    from motcua.notifications.actions import enqueue_for_feedback_event

    feedback.version = 1
    feedback.save(update_fields=["version"])
    event = FeedbackEvent.objects.create(
        feedback=feedback, seq=1, action="submit", from_status="", to_status=feedback.status, actor=actor,
        to_agency=feedback.agency, note=note, is_public=True, data={"due_at": feedback.due_at.isoformat()},
        created_at=at,
    )
    enqueue_for_feedback_event(event, feedback_variables)
    return event
