"""Reads for the back office: who a member of staff is where, which dossiers they see, their work queues.

The staff scope (`directory.selectors.StaffScope`) and what it sees (`dossiers.selectors.visible_dossiers`) live
below the apps whose staff pages use them (`privacy.staff.staff_view`); they are re-exported here.
Visibility: a member of staff sees a dossier when its current, receiving or competent agency is one where they
hold a working role (clerk, specialist, leader), or when it was ever handed to such an agency (a `DossierEvent`
whose `to_agency` is theirs). Everything else does not exist for them (the views answer 404).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Least

from motcua.calendar.service import WorkingCalendar
from motcua.directory.models import Agency, Role, StaffAssignment
from motcua.directory.selectors import WORK_ROLES, StaffScope, staff_scope
from motcua.dossiers.models import CLOCK_STOPPED_STATUSES, Dossier, Status
from motcua.dossiers.selectors import visible_dossier, visible_dossiers
from motcua.dossiers.workflow import ACTIVE, WorkflowError, legal_actions, resolve_step_agency
from motcua.dossiers.workflow import may_take as workflow_may_take
from motcua.identity.models import Representation, User

# The actions the back office offers, in the order the detail page lists them.
BACKOFFICE_ACTIONS = (
    "receive", "forward", "approve", "return_result", "request_supplement", "supplement", "pause_for_fees",
    "record_payment", "assign", "extend", "send_back", "refuse", "withdraw", "stop", "cancel",
)
# A queue shows what is being worked on; dossiers awaiting receipt have their own list.
QUEUE_STATUSES = frozenset(ACTIVE - {Status.SUBMITTED})
# "Due soon": due within this many working days after today.
SOON_WORKING_DAYS = 2
# Large JSON columns the lists never show.
LIST_DEFERRED = (
    "form_data", "procedure_version__eform_schema", "procedure_version__required_documents",
    "procedure_version__fees", "procedure_version__legal_basis",
)


def search_dossiers(scope: StaffScope, query: str, limit: int = 50) -> list[Dossier]:
    """Visible dossiers whose code or applicant (name, ID number, phone) contains QUERY."""
    query = query.strip()
    if not query:
        return []
    matches = visible_dossiers(scope).filter(
        Q(code__icontains=query) | Q(applicant_name__icontains=query) | Q(applicant_id_number=query)
        | Q(applicant_phone=query)
    )
    return list(_for_lists(matches).order_by("-submitted_at")[:limit])


# --- actions ---------------------------------------------------------------------------------------

def may_take(scope: StaffScope, dossier: Dossier, action: str) -> bool:
    """Whether the user may take ACTION on DOSSIER in the back office: one of the back office's actions, and
    allowed by the workflow table's actor rule (`workflow.may_take`, the single source of that rule)."""
    return action in BACKOFFICE_ACTIONS and workflow_may_take(dossier, action, scope.user)


def available_actions(scope: StaffScope, dossier: Dossier) -> list[str]:
    """The actions legal now that this user may take, in the detail page's order."""
    legal = set(legal_actions(dossier))
    return [action for action in BACKOFFICE_ACTIONS if action in legal and may_take(scope, dossier, action)]


def staff_holding(agency: Agency | None, role: str) -> QuerySet[User]:
    """Active users holding ROLE in AGENCY (candidates for a named assignment)."""
    if agency is None:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True, assignments__agency=agency, assignments__role=role,
                            assignments__is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


def next_step_staff(dossier: Dossier) -> QuerySet[User]:
    """Who may be named when the dossier is forwarded: holders of the next step's role in its agency."""
    index = dossier.step_index + 1
    if index >= len(dossier.steps):
        return User.objects.none()
    try:
        agency = resolve_step_agency(dossier, index)
    except WorkflowError:
        return User.objects.none()
    return staff_holding(agency, dossier.steps[index]["role"])


def next_step(dossier: Dossier) -> tuple[str, Agency | None] | None:
    """The name of the step a forward leads to and the agency that acts there (None after the last step)."""
    index = dossier.step_index + 1
    if index >= len(dossier.steps):
        return None
    step = dossier.steps[index]
    try:
        agency: Agency | None = resolve_step_agency(dossier, index)
    except WorkflowError:
        agency = None
    return str(step.get("name") or step.get("key", "")), agency


def current_step_staff(dossier: Dossier) -> QuerySet[User]:
    return staff_holding(dossier.current_agency, dossier.current_role)


# --- queues ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Queue:
    agency: Agency
    role: str

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


@dataclass(frozen=True)
class QueueCounts:
    total: int
    overdue: int
    due_today: int


@dataclass(frozen=True)
class Deadlines:
    """The instants that separate the badges, computed once per page on the province's working calendar."""

    now: dt.datetime
    end_of_today: dt.datetime
    end_of_soon: dt.datetime

    @classmethod
    def at(cls, now: dt.datetime) -> Deadlines:
        calendar = WorkingCalendar.for_province()
        today = now.astimezone(calendar.tz).date()
        soon_day = calendar.add_working_days(today, SOON_WORKING_DAYS)
        midnight = dt.time(0, 0)
        return cls(
            now=now,
            end_of_today=dt.datetime.combine(today + dt.timedelta(days=1), midnight, tzinfo=calendar.tz),
            end_of_soon=dt.datetime.combine(soon_day + dt.timedelta(days=1), midnight, tzinfo=calendar.tz),
        )

    def state(self, dossier: Dossier) -> str:
        """overdue, today, soon, paused, or "" (on track / finished / not yet received)."""
        if dossier.is_terminal or dossier.status == Status.SUBMITTED:
            return ""
        if dossier.status in CLOCK_STOPPED_STATUSES:
            return "paused"
        due = urgent_at(dossier)
        if due is None:
            return ""
        if due < self.now:
            return "overdue"
        if due < self.end_of_today:
            return "today"
        if due < self.end_of_soon:
            return "soon"
        return ""


def urgent_at(dossier: Dossier) -> dt.datetime | None:
    """The earlier of the step's due time and the dossier's (possibly extended) appointment."""
    value = getattr(dossier, "urgent_at", None)
    if isinstance(value, dt.datetime):
        return value
    candidates = [d for d in (dossier.step_due_at, dossier.effective_due_at) if d is not None]
    return min(candidates) if candidates else None


def _with_urgency(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    effective_due = Coalesce("extended_due_at", "due_at", output_field=DateTimeField())
    return dossiers.annotate(
        urgent_at=Least(
            Coalesce("step_due_at", effective_due, output_field=DateTimeField()),
            Coalesce(effective_due, "step_due_at", output_field=DateTimeField()),
            output_field=DateTimeField(),
        ),
        paused_rank=Case(When(status__in=list(CLOCK_STOPPED_STATUSES), then=Value(1)), default=Value(0),
                         output_field=IntegerField()),
    )


def _for_lists(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.select_related("procedure_version", "current_agency", "assignee").defer(*LIST_DEFERRED)


def _by_urgency(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Running clocks first, the most urgent first (overdue, then due today, then due soon); paused ones last."""
    return _for_lists(_with_urgency(dossiers)).order_by(
        "paused_rank", F("urgent_at").asc(nulls_last=True), "submitted_at", "pk"
    )


def queues_of(user: Any) -> list[Queue]:
    """Each (agency, working role) the user holds, as one queue."""
    assignments = (
        StaffAssignment.objects.filter(user=user, is_active=True, agency__is_active=True, role__in=WORK_ROLES)
        .select_related("agency")
        .order_by("agency__name", "role")
    )
    order = {role.value: i for i, role in enumerate(WORK_ROLES)}
    return sorted((Queue(a.agency, a.role) for a in assignments), key=lambda q: (q.agency.name, order[q.role]))


def find_queue(user: Any, agency_id: int, role: str) -> Queue | None:
    return next((q for q in queues_of(user) if q.agency.pk == agency_id and q.role == role), None)


def queue_dossiers(queue: Queue, user: Any) -> QuerySet[Dossier]:
    """The dossiers at QUEUE's agency and role, assigned to USER or to nobody, the most urgent first."""
    return _by_urgency(
        Dossier.objects.filter(current_agency=queue.agency, current_role=queue.role, status__in=list(QUEUE_STATUSES))
        .filter(Q(assignee__isnull=True) | Q(assignee=user))
    )


def count_by_urgency(dossiers: QuerySet[Dossier], deadlines: Deadlines) -> QueueCounts:
    running = Q(paused_rank=0)
    totals = dossiers.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=running & Q(urgent_at__lt=deadlines.now)),
        due_today=Count("pk", filter=running & Q(urgent_at__gte=deadlines.now,
                                                 urgent_at__lt=deadlines.end_of_today)),
    )
    return QueueCounts(total=totals["total"], overdue=totals["overdue"], due_today=totals["due_today"])


def awaiting_receipt(scope: StaffScope) -> QuerySet[Dossier]:
    """Dossiers submitted online (or through the national portal) that a clerk of the user's agencies must
    receive, the longest waiting first."""
    return _for_lists(
        Dossier.objects.filter(status=Status.SUBMITTED, receiving_agency__in=scope.agencies_for(Role.CLERK))
    ).order_by("submitted_at", "pk")


def approval_queue(scope: StaffScope) -> QuerySet[Dossier]:
    """Dossiers at a leader's step in the agencies where the user is a leader, the most urgent first."""
    return _by_urgency(
        Dossier.objects.filter(current_role=Role.LEADER, current_agency__in=scope.agencies_for(Role.LEADER),
                               status__in=list(QUEUE_STATUSES))
    )


def clerk_agencies(scope: StaffScope) -> QuerySet[Agency]:
    return Agency.objects.active().filter(pk__in=scope.agencies_for(Role.CLERK)).order_by("name")


def with_states(dossiers: Iterable[Dossier], deadlines: Deadlines) -> list[tuple[Dossier, str]]:
    return [(dossier, deadlines.state(dossier)) for dossier in dossiers]


def representation_requests(scope: StaffScope) -> QuerySet[Representation]:
    """Citizens' claims to represent a business that this clerk's agencies review, pending first, then the
    latest decided."""
    return (Representation.objects.filter(reviewing_agency__in=scope.agencies_for(Role.CLERK))
            .select_related("user", "organisation", "decided_by").prefetch_related("register_answers")
            .order_by(Case(When(status=Representation.Status.PENDING, then=0), default=1), "-requested_at", "pk"))


__all__ = ["WORK_ROLES", "StaffScope", "staff_scope", "visible_dossier", "visible_dossiers"]  # re-exported
