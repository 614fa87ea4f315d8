"""Who must sign in with a second factor (TOTP from an authenticator app, or a one-time backup code).

Leaders, agency and province administrators and superusers always; the roles in `MOTCUA_TWO_FACTOR_ROLES` too
(e.g. clerks and specialists). `TwoFactorMiddleware` enforces it on every page after the password: a member of
staff who must use it, or who enrolled a device anyway, reaches nothing but the code page (or the enrolment
page), sign-out and the language switch until the session is verified. Citizens sign in with VNeID / the
national portal and are not concerned. `MOTCUA_TWO_FACTOR_OPTIONAL` (demo only) stops requiring enrolment.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp import user_has_device

ALWAYS_REQUIRED_ROLES = frozenset({"leader", "agency_admin", "province_admin"})


def required_roles() -> frozenset[str]:
    return ALWAYS_REQUIRED_ROLES | frozenset(settings.MOTCUA_TWO_FACTOR_ROLES)


def must_enrol(user: Any) -> bool:
    """USER must have a two-factor device (their role requires it)."""
    from motcua.directory.models import StaffAssignment

    if settings.MOTCUA_TWO_FACTOR_OPTIONAL:
        return False
    if user.is_superuser:
        return True
    return StaffAssignment.objects.filter(user_id=user.pk, is_active=True, role__in=required_roles()).exists()


def pending(user: Any) -> str:
    """What USER still has to do in this session: "verify" (give a code), "enrol" (set up a device) or ""."""
    if not user.is_authenticated or not (user.is_staff or user.is_superuser):
        return ""  # citizens; staff roles are granted by directory.actions.assign_role, which sets is_staff
    if user.is_verified():
        return ""
    if user_has_device(user, confirmed=True):
        return "verify"
    return "enrol" if must_enrol(user) else ""
