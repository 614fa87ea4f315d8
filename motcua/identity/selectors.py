"""Reads on accounts."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.identity.models import Organisation, Representation, User


def accounts_managed_by(actor: User) -> QuerySet[User]:
    """Staff accounts an administrator may unlock or reset: those with an active role in an agency the actor
    administers (agency administrators: their agencies and the ones below; province administrators: all)."""
    from motcua.directory.models import StaffAssignment
    from motcua.directory.selectors import ADMIN_ROLES, agencies_in_scope

    agencies = agencies_in_scope(actor, *ADMIN_ROLES)
    in_scope = StaffAssignment.objects.filter(user=OuterRef("pk"), is_active=True, agency__in=agencies)
    return User.objects.filter(Exists(in_scope))


def staff_accounts_page(actor: User) -> QuerySet[User]:
    """The accounts of `accounts_managed_by`, with whether each has enrolled a two-factor device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (accounts_managed_by(actor).exclude(pk=actor.pk).annotate(has_two_factor=Exists(enrolled))
            .order_by("username"))


def organisations_of(user: User) -> list[Organisation]:
    """The organisations USER may act for: their representations a clerk confirmed, and still valid."""
    today = timezone.localdate()
    acting = Representation.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today), user=user, status=Representation.Status.CONFIRMED)
    return list(Organisation.objects.filter(pk__in=acting.values("organisation_id")).order_by("name"))


def representations_of(user: User) -> list[Representation]:
    """All of USER's representation claims, whatever their state (for their own page)."""
    return list(user.representations.select_related("organisation").order_by("organisation__name"))
