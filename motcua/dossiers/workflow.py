"""The workflow engine: one transition table, one locked transition function, one event per change.

`TRANSITIONS` is the only place that says which action is legal from which status and who may take it. Every
action goes through `transition()`, which
1. locks the dossier row (SELECT … FOR UPDATE) and checks the version the caller saw, so that two officers
   acting on the same dossier at once cannot both succeed;
2. checks the rule: the source status, the current step's allowed actions, the actor;
3. applies the change (status, step, agency, role, assignee, clock) and bumps the version;
4. writes exactly one `DossierEvent` (seq = new version) and runs its subscribers (`effects.after_event`: the
   audit chain, messages, the national portal, the figures, the land and external-step hooks).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from motcua.catalog.cached import version_for_transition
from motcua.core import fastsql
from motcua.core.errors import UserError
from motcua.directory.cached import agencies, agency_with_function
from motcua.directory.models import Agency, Role
from motcua.directory.selectors import has_role
from motcua.dossiers import effects
from motcua.dossiers.external import SYSTEM_ACTIONS, is_external
from motcua.dossiers.models import (
    TERMINAL_STATUSES,
    Channel,
    Dossier,
    DossierEvent,
    PauseInterval,
    Status,
)
from motcua.dossiers.selectors import is_citizens_dossier
from motcua.identity.models import User

if TYPE_CHECKING:
    from motcua.dossiers.actions import Upload

S = Status
ACTIVE = frozenset(set(Status) - TERMINAL_STATUSES)


class WorkflowError(UserError):
    """An action that is not allowed now (the workflow's refusals)."""


ACTION_LABELS = {
    "submit": _("Submit"),
    "receive": _("Receive"),
    "forward": _("Forward"),
    "hand_off": _("Hand off to another agency"),
    "send_back": _("Send back"),
    "request_supplement": _("Request a supplement"),
    "supplement": _("Supplement the dossier"),
    "refuse": _("Refuse"),
    "pause_for_fees": _("Pause for the financial obligation"),
    "record_payment": _("Record the payment"),
    "approve": _("Approve"),
    "return_result": _("Return the result"),
    "withdraw": _("Withdraw"),
    "stop": _("Stop processing"),
    "cancel": _("Cancel"),
    "extend": _("Issue an apology and new date"),
    "assign": _("Assign"),
    "tax_notice": _("Record the tax notice"),
    "external_fallback": _("Switch to manual entry"),
    "auto_complete": _("Completed automatically"),
}


def action_label_vi(action: str) -> str:
    with override("vi"):
        return str(ACTION_LABELS.get(action, action))


class Actor:
    """Who may take an action."""

    STEP = "step"                # holds the current step's role in the current agency (and is its assignee, if any)
    RECEIVING_CLERK = "clerk"    # a clerk of the receiving agency (one-stop counter)
    APPLICANT = "applicant"      # the citizen who owns the dossier
    APPLICANT_OR_CLERK = "applicant_or_clerk"
    COMPETENT_LEADER = "competent_leader"
    STEP_OR_LEADER = "step_or_leader"  # the step's officer, or a leader of the current or competent agency
    PAYMENT = "payment"          # the payment platform (no actor), or a receiving clerk taking cash at the counter
    SYSTEM = "system"            # the engine itself (no actor): an automatic step whose check passed


@dataclass(frozen=True)
class Rule:
    sources: frozenset[Status]
    actor: str
    # The current step must list one of these (empty: the action is not bound to the step definition).
    step_actions: tuple[str, ...] = ()
    # Fixed target status; None when `apply` computes it (moving between steps).
    target: Status | None = None
    public: bool = True
    requires_note: bool = False


TRANSITIONS: dict[str, Rule] = {
    "receive": Rule(frozenset({S.SUBMITTED}), Actor.RECEIVING_CLERK, target=S.RECEIVED),
    "forward": Rule(frozenset({S.RECEIVED, S.PROCESSING, S.IN_OTHER_AGENCY}), Actor.STEP, ("forward", "hand_off")),
    "send_back": Rule(frozenset({S.PROCESSING, S.IN_OTHER_AGENCY, S.RESULT_READY}), Actor.STEP, ("send_back",),
                      public=False, requires_note=True),
    "request_supplement": Rule(frozenset({S.SUBMITTED, S.RECEIVED, S.PROCESSING}), Actor.STEP,
                               ("request_supplement",), target=S.AWAITING_SUPPLEMENT, requires_note=True),
    "supplement": Rule(frozenset({S.AWAITING_SUPPLEMENT}), Actor.APPLICANT_OR_CLERK),
    "refuse": Rule(frozenset({S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.IN_OTHER_AGENCY}), Actor.STEP, ("refuse",),
                   target=S.REFUSED, requires_note=True),
    "pause_for_fees": Rule(frozenset({S.PROCESSING, S.IN_OTHER_AGENCY}), Actor.STEP, ("pause_for_fees",),
                           target=S.PAUSED_FOR_FEES),
    "record_payment": Rule(frozenset({S.PAUSED_FOR_FEES}), Actor.PAYMENT),
    "approve": Rule(frozenset({S.PROCESSING}), Actor.STEP, ("approve",)),
    "return_result": Rule(frozenset({S.RESULT_READY}), Actor.STEP, ("return_result",), target=S.RETURNED),
    "withdraw": Rule(ACTIVE, Actor.APPLICANT_OR_CLERK, target=S.WITHDRAWN, requires_note=True),
    "stop": Rule(frozenset({S.RECEIVED, S.PROCESSING, S.IN_OTHER_AGENCY, S.AWAITING_SUPPLEMENT, S.PAUSED_FOR_FEES}),
                 Actor.COMPETENT_LEADER, target=S.STOPPED, requires_note=True),
    "cancel": Rule(frozenset({S.SUBMITTED, S.AWAITING_SUPPLEMENT}), Actor.RECEIVING_CLERK, target=S.CANCELLED,
                   requires_note=True),
    "extend": Rule(ACTIVE - {S.SUBMITTED}, Actor.STEP_OR_LEADER, requires_note=True),
    "assign": Rule(ACTIVE - {S.AWAITING_SUPPLEMENT}, Actor.STEP_OR_LEADER, public=False),
    # The exchange with the tax authority (motcua.taxexchange): a notice (or a changed one) while the dossier waits
    # for its financial obligation; an external step's fallback to manual entry (status unchanged).
    "tax_notice": Rule(frozenset({S.PAUSED_FOR_FEES}), Actor.STEP, ("pause_for_fees",)),
    "external_fallback": Rule(ACTIVE - {S.SUBMITTED}, Actor.STEP, public=False, requires_note=True),
    # A step with `"automatic": <check>` (catalog) is done by the engine when its check passes (effects.py).
    "auto_complete": Rule(frozenset({S.RECEIVED, S.PROCESSING, S.IN_OTHER_AGENCY}), Actor.SYSTEM),
}


# --- the verbs: which function takes each action of the table --------------------------------------------------

@dataclass(frozen=True)
class ActionInput:
    """What a person gives with an action (a staff form, once parsed): each verb takes the fields it needs."""

    actor: User | None
    expected_version: int | None = None
    at: dt.datetime | None = None
    note: str = ""
    assignee: User | None = None
    items: list[str] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)
    amount: int | None = None
    reference: str = ""
    new_due_at: dt.datetime | None = None


@dataclass(frozen=True)
class Verb:
    """The function that takes an action (a dotted path, imported when first taken: the action modules import
    this one), and what it is given besides the dossier, actor, expected version and time: its keyword argument →
    the `ActionInput` field that fills it. `on_request` False: taken by the engine or an exchange with another
    system (its own caller), never asked for through `take`."""

    function: str
    inputs: Mapping[str, str] = field(default_factory=dict)
    on_request: bool = True


_ACTIONS = "motcua.dossiers.actions."
NOTE = MappingProxyType({"note": "note"})
REASON = MappingProxyType({"reason": "note"})

# One verb per action of TRANSITIONS, same keys (tested). A verb of `motcua.dossiers.actions` is named after its
# action (`refuse` → `refuse_dossier`, `send_back` → `send_back`). The approval signs the draft result, if there is
# one, together with the approval (`signing.actions.approve_with_result`, around `approve_dossier`).
VERBS: dict[str, Verb] = {
    "receive": Verb(_ACTIONS + "receive_dossier"),
    "forward": Verb(_ACTIONS + "forward_dossier", {"note": "note", "assignee": "assignee"}),
    "send_back": Verb(_ACTIONS + "send_back", NOTE),
    "request_supplement": Verb(_ACTIONS + "request_supplement", {"items": "items", "note": "note"}),
    "supplement": Verb(_ACTIONS + "supplement_dossier", {"uploads": "uploads", "note": "note"}),
    "refuse": Verb(_ACTIONS + "refuse_dossier", REASON),
    "pause_for_fees": Verb(_ACTIONS + "pause_for_fees", {"note": "note", "amount": "amount"}),
    "record_payment": Verb(_ACTIONS + "record_payment", {"reference": "reference"}),
    "approve": Verb("motcua.signing.actions.approve_with_result", NOTE),
    "return_result": Verb(_ACTIONS + "return_result", NOTE),
    "withdraw": Verb(_ACTIONS + "withdraw_dossier", REASON),
    "stop": Verb(_ACTIONS + "stop_dossier", REASON),
    "cancel": Verb(_ACTIONS + "cancel_dossier", REASON),
    "extend": Verb(_ACTIONS + "extend_dossier", {"reason": "note", "new_due_at": "new_due_at"}),
    "assign": Verb(_ACTIONS + "assign_dossier", {"assignee": "assignee"}),
    "tax_notice": Verb("motcua.taxexchange.actions.record_notice", on_request=False),
    "external_fallback": Verb("motcua.taxexchange.actions.fall_back_to_manual", on_request=False),
    "auto_complete": Verb("motcua.dossiers.workflow.complete_automatic_step", on_request=False),
}


def verb_function(action: str) -> Callable[..., Dossier]:
    """The function that takes ACTION (see VERBS)."""
    function: Callable[..., Dossier] = import_string(VERBS[action].function)
    return function


def take(action: str, dossier: Dossier, given: ActionInput) -> Dossier:
    """Take ACTION on DOSSIER through its verb, with what GIVEN holds for it. The verb (and `transition`) decide
    whether it is legal and allowed; an action that is not taken on request is unknown here."""
    verb = VERBS.get(action)
    if verb is None or not verb.on_request:
        raise WorkflowError("unknown_action", f"Thao tác không hợp lệ: {action}.", f"Unknown action: {action}.")
    return verb_function(action)(
        dossier, actor=given.actor, expected_version=given.expected_version, at=given.at,
        **{name: getattr(given, source) for name, source in verb.inputs.items()},
    )


@dataclass
class Change:
    """What an action does besides the table's status: filled in by the action before the event is written."""

    target: Status | None = None
    step_index: int | None = None
    assignee: User | None = None  # a named officer at the step being entered
    agency: Agency | None = None  # the agency of step_index, when the action has already resolved it
    data: dict[str, Any] = field(default_factory=dict)


def legal_actions(dossier: Dossier) -> list[str]:
    """Actions the table allows from the dossier's status and step (ignoring who asks)."""
    step_actions = set(dossier.current_step.get("actions", []))
    return [
        name for name, rule in TRANSITIONS.items()
        if dossier.status in rule.sources and (not rule.step_actions or step_actions & set(rule.step_actions))
        and not (name == "forward" and dossier.step_index >= len(dossier.steps) - 1)
        and not (name == "send_back" and dossier.step_index == 0)
        and not (name == "external_fallback" and not is_external(dossier.current_step))
        and not (name == "auto_complete" and (not dossier.current_step.get("automatic")
                                              or dossier.step_index >= len(dossier.steps) - 1))
    ]


def resolve_step_agency(dossier: Dossier, index: int) -> Agency:
    """The agency that acts at step INDEX: the receiving or competent agency, or the one with that function."""
    target = dossier.steps[index]["agency"]
    if target == "receiving":
        return dossier.receiving_agency
    if target == "competent":
        return dossier.competent_agency
    agency = agency_with_function(target)
    if agency is None:
        raise WorkflowError(
            "no_agency", f"Không có cơ quan nào thực hiện chức năng «{target}».",
            f"No agency has the function “{target}”.",
        )
    return agency


def status_at_step(dossier: Dossier, index: int, agency: Agency) -> Status:
    """The status a dossier has while at step INDEX (outside the pauses)."""
    step = dossier.steps[index]
    if agency not in (dossier.competent_agency, dossier.receiving_agency):
        return S.IN_OTHER_AGENCY
    last = index == len(dossier.steps) - 1
    if last and "return_result" in step["actions"] and "approve" not in step["actions"]:
        return S.RESULT_READY
    return S.PROCESSING if index > 0 else S.RECEIVED


def may_take(dossier: Dossier, action: str, actor: User | None) -> bool:
    """Whether ACTOR is someone the table lets take ACTION on DOSSIER (whether it is legal now is separate:
    see `legal_actions`). The one place that reads the table's actor rules; the back office asks it too."""
    rule = TRANSITIONS.get(action)
    if rule is None:
        return False
    if rule.actor == Actor.SYSTEM:
        return actor is None
    if actor is None:  # the payment platform, or the system itself at an external step (dossiers/external.py)
        return rule.actor == Actor.PAYMENT or (action in SYSTEM_ACTIONS and is_external(dossier.current_step))
    is_applicant = is_citizens_dossier(actor, dossier)
    clerk = has_role(actor, dossier.receiving_agency, Role.CLERK)
    if rule.actor in (Actor.RECEIVING_CLERK, Actor.PAYMENT):
        return clerk
    if rule.actor == Actor.APPLICANT:
        return is_applicant
    if rule.actor == Actor.APPLICANT_OR_CLERK:
        return is_applicant or clerk
    competent_leader = has_role(actor, dossier.competent_agency, Role.LEADER)
    if rule.actor == Actor.COMPETENT_LEADER:
        return competent_leader
    on_step = has_role(actor, dossier.current_agency, Role(dossier.current_role)) and (
        dossier.assignee_id is None or dossier.assignee_id == actor.pk
    )
    if rule.actor == Actor.STEP:
        return on_step
    return on_step or competent_leader or has_role(actor, dossier.current_agency, Role.LEADER)


def _check_actor(dossier: Dossier, rule: Rule, action: str, actor: User | None) -> None:
    if not may_take(dossier, action, actor):
        raise WorkflowError(
            "forbidden", "Bạn không có quyền thực hiện thao tác này trên hồ sơ.",
            "You may not take this action on this dossier.",
        )


def transition(
    dossier_id: int,
    action: str,
    *,
    actor: User | None,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
    apply: Callable[[Dossier, Change], None] | None = None,
) -> tuple[Dossier, DossierEvent]:
    """Take ACTION on the dossier; see the module docstring. APPLY fills in the step move and the clock."""
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise WorkflowError("unknown_action", f"Thao tác không hợp lệ: {action}.", f"Unknown action: {action}.")
    now = at or timezone.now()
    with transaction.atomic():
        # The row alone, locked: a join of the six tables here cost 2.3 ms of PostgreSQL planning per step.
        # What the transition reads of the procedure and the agencies comes after, by key (kept per process).
        # A fixed statement: `select_for_update().get()` spent more in building the query than in running it.
        dossier = fastsql.get(Dossier, dossier_id, lock=True)
        _load_related(dossier)
        before = _columns(dossier)
        if expected_version is not None and dossier.version != expected_version:
            raise WorkflowError(
                "stale", "Hồ sơ vừa được người khác xử lý; vui lòng tải lại trang.",
                "Someone else has just acted on this dossier; please reload.",
            )
        if action not in legal_actions(dossier):
            raise WorkflowError(
                "illegal", f"Không thể «{action_label_vi(action)}» khi hồ sơ ở trạng thái «{_status_vi(dossier)}».",
                f"“{action}” is not allowed while the dossier is “{dossier.status}”.",
            )
        if rule.requires_note and not note.strip():
            raise WorkflowError("note_required", "Vui lòng nhập lý do.", "Please give a reason.")
        _check_actor(dossier, rule, action, actor)

        from_status, from_step = dossier.status, dossier.step_index
        actor_agency = _agency_of(actor, dossier)  # before the move: a forward is taken by the sending agency
        change = Change(target=rule.target)
        if apply is not None:
            apply(dossier, change)
        if change.step_index is not None and change.step_index != dossier.step_index:
            _enter_step(dossier, change.step_index, now, change.agency)
        if change.assignee is not None:
            if not has_role(change.assignee, dossier.current_agency, Role(dossier.current_role)):
                raise WorkflowError("bad_assignee", "Người được giao không có vai trò phù hợp tại cơ quan này.",
                                    "The assignee does not hold this step's role in this agency.")
            dossier.assignee = change.assignee
            change.data["assignee"] = change.assignee.pk
        if change.target is None:
            raise WorkflowError("no_target", "Thao tác không xác định được trạng thái mới.", "No target status.")
        if change.target in TERMINAL_STATUSES:
            # Every ending closes the file: no clock, no open pause.
            dossier.finished_at = now
            dossier.paused_at = None
            PauseInterval.objects.filter(dossier=dossier, ended_at__isnull=True).update(ended_at=now)
        if change.target == S.RESULT_READY and from_status != S.RESULT_READY:
            dossier.result_ready_at = now
        elif from_status == S.RESULT_READY and change.target not in TERMINAL_STATUSES | {S.RESULT_READY}:
            dossier.result_ready_at = None  # sent back: the result is not ready any more
        dossier.status = change.target
        dossier.version += 1
        # Only the columns this action changed: the statement is shorter and cannot overwrite a column that
        # another writer (not holding this row's lock, e.g. a scan result) changed meanwhile.
        # Fixed-shape statements (motcua.core.fastsql): building them through the ORM cost more than running them.
        fastsql.update(dossier, _changed(dossier, before))
        _note_deadlines(dossier, before, change.data)
        event = DossierEvent(
            dossier=dossier, seq=dossier.version, action=action, from_status=from_status, to_status=dossier.status,
            from_step=from_step, to_step=dossier.step_index, actor=actor,
            actor_agency=actor_agency, to_agency=dossier.current_agency, note=note,
            is_public=rule.public, data=change.data, created_at=now,
        )
        fastsql.insert(event)
        effects.after_event(dossier, event)  # audit, messages, national portal, figures, hooks (dossiers/effects.py)
        if (action in ("receive", "forward") and dossier.step_index != from_step) or action == "auto_complete":
            dossier = complete_automatic_step(dossier, at=now) or dossier
    return dossier, event


# --- automatic steps --------------------------------------------------------------------------------------------

def complete_automatic_step(dossier: Dossier, *, at: dt.datetime | None = None) -> Dossier | None:
    """If the dossier is at an automatic step whose check passes, complete it as the system (one `auto_complete`
    event carrying the check's evidence, then the next step); None when there is nothing to do. Called by
    `transition` when a step is entered, and after a new registry answer."""
    check = effects.automatic_check(str(dossier.current_step.get("automatic") or ""))
    if check is None or "auto_complete" not in legal_actions(dossier):
        return None
    found = check(dossier)
    if found is None:
        return None
    evidence = dict(found)
    note = str(evidence.pop("note", ""))

    def apply(d: Dossier, change: Change) -> None:
        change.step_index = d.step_index + 1
        change.agency = resolve_step_agency(d, change.step_index)
        change.target = status_at_step(d, change.step_index, change.agency)
        change.data.update(step=d.steps[change.step_index]["key"], automatic=d.current_step["automatic"],
                           completed_step=d.current_step["key"], **evidence)

    return transition(dossier.pk, "auto_complete", actor=None, note=note, at=at, apply=apply)[0]


def _status_vi(dossier: Dossier) -> str:
    with override("vi"):
        return str(dossier.get_status_display())


def _load_related(dossier: Dossier) -> None:
    """The procedure version (without its e-form, documents, fees and legal basis: large JSON a transition
    does not need; an action that does reads it when it asks), the procedure and the dossier's agencies — kept
    per process and forgotten on an edit (motcua.core.process_cache): they change a few times a year."""
    dossier.procedure_version = version_for_transition(dossier.procedure_version_id)
    if dossier.procedure_version.procedure_id == dossier.procedure_id:
        dossier.procedure = dossier.procedure_version.procedure
    found = agencies({dossier.receiving_agency_id, dossier.competent_agency_id, dossier.current_agency_id} - {None})
    for name in ("receiving_agency", "competent_agency", "current_agency"):
        if (pk := getattr(dossier, f"{name}_id")) is not None:
            setattr(dossier, name, found[pk])


def _columns(dossier: Dossier) -> dict[str, Any]:
    """The dossier's column values, JSON ones copied deeply (an action may change them in place)."""
    return {f.attname: copy.deepcopy(value) if isinstance(value := getattr(dossier, f.attname), dict | list)
            else value for f in Dossier._meta.concrete_fields}


def _note_deadlines(dossier: Dossier, before: dict[str, Any], data: dict[str, Any]) -> None:
    """On the event, the deadlines this move set (the step's on entering a step or resuming after a pause, the
    dossier's at receipt or when a pause moved it), in UTC: the look-up shows each step with its deadline."""
    for name in ("step_due_at", "due_at"):
        value = getattr(dossier, name)
        if value is not None and value != before.get(name) and not dossier.is_terminal:
            data.setdefault(name, value.astimezone(dt.UTC).isoformat())


def _changed(dossier: Dossier, before: dict[str, Any]) -> list[str]:
    return [name for name, value in before.items() if getattr(dossier, name) != value]


def _enter_step(dossier: Dossier, index: int, now: dt.datetime, agency: Agency | None = None) -> None:
    from motcua.dossiers.deadlines import calendar_for, step_due

    agency = agency or resolve_step_agency(dossier, index)
    dossier.step_index = index
    dossier.current_agency = agency
    dossier.current_role = dossier.steps[index]["role"]
    dossier.assignee = None
    dossier.step_started_at = now
    dossier.step_due_at = step_due(calendar_for(dossier), dossier, now)


def _agency_of(actor: User | None, dossier: Dossier) -> Agency | None:
    if actor is None:
        return None
    for agency in (dossier.current_agency, dossier.receiving_agency, dossier.competent_agency):
        if has_role(actor, agency, Role.CLERK) or has_role(actor, agency, Role.SPECIALIST) or has_role(
            actor, agency, Role.LEADER
        ):
            return agency
    return None


def record_creation(
    dossier: Dossier, *, action: str, actor: User | None, at: dt.datetime, note: str = ""
) -> DossierEvent:
    """The first event of a new dossier (inside the creating transaction)."""
    if dossier.version != 1:  # submit_dossier writes the row with it
        dossier.version = 1
        dossier.save(update_fields=["version"])
    # A citizen submitting online acts for no agency: no query of staff assignments (roles are granted by
    # directory.actions.assign_role, which makes the user staff).
    citizen = dossier.channel == Channel.ONLINE and actor is not None and not (actor.is_staff or actor.is_superuser)
    event = DossierEvent(
        dossier=dossier, seq=1, action=action, from_status="", to_status=dossier.status, from_step=None,
        to_step=dossier.step_index, actor=actor, actor_agency=None if citizen else _agency_of(actor, dossier),
        to_agency=dossier.current_agency, note=note, is_public=True, created_at=at,
    )
    fastsql.insert(event)
    effects.after_event(dossier, event, creation=True)
    return event
