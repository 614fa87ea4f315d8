"""Writes on the directory. Each action checks the actor's scope and runs in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.directory.models import Agency, Role, StaffAssignment
from motcua.directory.selectors import can_manage_staff, is_province_admin

if TYPE_CHECKING:
    from motcua.identity.models import User


@transaction.atomic
def assign_role(*, actor: User, user: User, agency: Agency, role: Role) -> StaffAssignment:
    """Give USER the ROLE in AGENCY. Idempotent: assigning an existing role re-activates it.

    Only a province administrator may create province administrators; an agency administrator may assign
    roles only within the agencies under them.
    """
    if role == Role.PROVINCE_ADMIN and not is_province_admin(actor):
        raise PermissionDenied(_("Only a province administrator may appoint province administrators."))
    if not can_manage_staff(actor, agency):
        raise PermissionDenied(_("You cannot manage staff of this agency."))
    assignment, created = StaffAssignment.objects.get_or_create(user=user, agency=agency, role=role)
    if not created and not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active"])
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return assignment


@transaction.atomic
def revoke_role(*, actor: User, assignment: StaffAssignment) -> None:
    if not can_manage_staff(actor, assignment.agency) or (
        assignment.role == Role.PROVINCE_ADMIN and not is_province_admin(actor)
    ):
        raise PermissionDenied(_("You cannot manage staff of this agency."))
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
