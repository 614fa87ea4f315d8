"""Who may act where: every staff permission is a role held in an agency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from motcua.directory.models import Agency, AgencyQuerySet, Role, StaffAssignment

if TYPE_CHECKING:
    from motcua.identity.models import User

# Roles whose scope covers the agency's whole subtree; the other roles act only in their own agency.
SUBTREE_ROLES = frozenset({Role.AGENCY_ADMIN})
ADMIN_ROLES = frozenset({Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN})


def _active_assignments(user: Any) -> list[StaffAssignment]:
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[StaffAssignment] | None = getattr(user, "_motcua_assignments", None)
    if cached is None:
        cached = list(
            StaffAssignment.objects.filter(user=user, is_active=True, agency__is_active=True).select_related("agency")
        )
        user._motcua_assignments = cached
    return cached


def roles_of(user: Any) -> set[str]:
    return {a.role for a in _active_assignments(user)}


def agencies_in_scope(user: Any, *roles: Role) -> AgencyQuerySet:
    """The agencies where USER may act in one of ROLES (any role if none given).

    A province administrator's scope is every agency; an agency administrator's is the agency and all units
    under it; clerks, specialists and leaders act only in the agency they are assigned to.
    """
    if not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    wanted = set(roles) or set(Role)
    assignments = [a for a in _active_assignments(user) if a.role in wanted]
    if any(a.role == Role.PROVINCE_ADMIN for a in assignments):
        return Agency.objects.all()
    condition = Q(pk__in=[a.agency_id for a in assignments if a.role not in SUBTREE_ROLES])
    for assignment in assignments:
        if assignment.role in SUBTREE_ROLES:
            condition |= Q(path__startswith=assignment.agency.path)
    if not assignments:
        return Agency.objects.none()
    return Agency.objects.filter(condition)


def has_role(user: Any, agency: Agency, role: Role) -> bool:
    """Whether AGENCY is in `agencies_in_scope(user, role)`, decided from the user's cached assignments (no query:
    the workflow asks this several times per transition)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_superuser", False):
        return True
    for assignment in _active_assignments(user):
        if assignment.role != role:
            continue
        if role == Role.PROVINCE_ADMIN:
            return True
        if role in SUBTREE_ROLES:
            if agency.path.startswith(assignment.agency.path):
                return True
        elif assignment.agency_id == agency.pk:
            return True
    return False


def is_province_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or Role.PROVINCE_ADMIN in roles_of(user)


def can_manage_staff(user: Any, agency: Agency) -> bool:
    return agencies_in_scope(user, *ADMIN_ROLES).filter(pk=agency.pk).exists()


# --- the staff scope: where a member of staff works (the back office and every app's staff pages) ---------------

# The roles that work on dossiers; administrators administer, they do not thereby act on dossiers.
WORK_ROLES = (Role.CLERK, Role.SPECIALIST, Role.LEADER)


@dataclass(frozen=True)
class StaffScope:
    """The agencies where one user holds each working role (read once per request)."""

    user: User
    agencies_by_role: dict[str, frozenset[int]]

    def has(self, agency_id: int | None, role: str) -> bool:
        return agency_id is not None and agency_id in self.agencies_by_role.get(role, frozenset())

    @property
    def agency_ids(self) -> frozenset[int]:
        return frozenset().union(*self.agencies_by_role.values())

    @property
    def has_working_role(self) -> bool:
        return bool(self.agency_ids)

    def agencies_for(self, role: Role) -> frozenset[int]:
        return self.agencies_by_role.get(role, frozenset())


def staff_scope(user: Any) -> StaffScope:
    by_role = {
        role.value: frozenset(agencies_in_scope(user, role).values_list("pk", flat=True)) for role in WORK_ROLES
    }
    return StaffScope(user=user, agencies_by_role=by_role)
