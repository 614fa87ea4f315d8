"""Staff act only within their agencies; administrators manage only the agencies under them."""

import pytest
from django.core.exceptions import PermissionDenied

from motcua.directory.actions import assign_role, revoke_role
from motcua.directory.models import Role, StaffAssignment
from motcua.directory.selectors import agencies_in_scope, can_manage_staff, has_role


def test_clerk_acts_only_at_own_counter(clerk, demo_agencies):
    assert has_role(clerk, demo_agencies["service_center"], Role.CLERK)
    assert not has_role(clerk, demo_agencies["tran_bien"], Role.CLERK)
    assert not has_role(clerk, demo_agencies["service_center"], Role.LEADER)
    assert list(agencies_in_scope(clerk)) == [demo_agencies["service_center"]]


def test_specialist_and_leader_are_scoped_to_the_land_office(specialist, leader, demo_agencies):
    land_office = demo_agencies["land_office"]
    assert has_role(specialist, land_office, Role.SPECIALIST)
    assert not has_role(specialist, demo_agencies["tax"], Role.SPECIALIST)
    assert has_role(leader, land_office, Role.LEADER)
    assert not has_role(leader, demo_agencies["environment"], Role.LEADER)  # the parent is not in scope


def test_agency_admin_covers_the_subtree_only(agency_admin, demo_agencies):
    scope = set(agencies_in_scope(agency_admin, Role.AGENCY_ADMIN))
    assert scope == {demo_agencies["environment"], demo_agencies["land_office"]}
    assert can_manage_staff(agency_admin, demo_agencies["land_office"])
    assert not can_manage_staff(agency_admin, demo_agencies["tax"])
    # Administering is not acting: the admin may not process land dossiers.
    assert not has_role(agency_admin, demo_agencies["land_office"], Role.SPECIALIST)


def test_province_admin_scope_is_every_agency(province_admin, demo_agencies):
    assert set(agencies_in_scope(province_admin, Role.PROVINCE_ADMIN)) == set(demo_agencies.values())


def test_citizen_and_anonymous_have_no_scope(citizen, demo_agencies):
    from django.contrib.auth.models import AnonymousUser

    assert not agencies_in_scope(citizen).exists()
    assert not agencies_in_scope(AnonymousUser()).exists()


def test_inactive_assignment_gives_nothing(clerk, demo_agencies):
    StaffAssignment.objects.filter(user=clerk).update(is_active=False)
    clerk.refresh_from_db()
    assert not has_role(clerk, demo_agencies["service_center"], Role.CLERK)


def test_agency_admin_assigns_within_scope_only(agency_admin, citizen, demo_agencies):
    assignment = assign_role(actor=agency_admin, user=citizen, agency=demo_agencies["land_office"],
                             role=Role.SPECIALIST)
    again = assign_role(actor=agency_admin, user=citizen, agency=demo_agencies["land_office"], role=Role.SPECIALIST)
    assert assignment.pk == again.pk
    citizen.refresh_from_db()
    assert citizen.is_staff
    with pytest.raises(PermissionDenied):
        assign_role(actor=agency_admin, user=citizen, agency=demo_agencies["tax"], role=Role.SPECIALIST)
    with pytest.raises(PermissionDenied):
        assign_role(actor=agency_admin, user=citizen, agency=demo_agencies["land_office"], role=Role.PROVINCE_ADMIN)


def test_clerk_cannot_assign_or_revoke(clerk, specialist, demo_agencies):
    with pytest.raises(PermissionDenied):
        assign_role(actor=clerk, user=specialist, agency=demo_agencies["service_center"], role=Role.CLERK)
    with pytest.raises(PermissionDenied):
        revoke_role(actor=clerk, assignment=StaffAssignment.objects.get(user=specialist))


def test_revoked_role_no_longer_scopes(province_admin, specialist, demo_agencies):
    revoke_role(actor=province_admin, assignment=StaffAssignment.objects.get(user=specialist))
    specialist.refresh_from_db()
    assert not has_role(specialist, demo_agencies["land_office"], Role.SPECIALIST)
