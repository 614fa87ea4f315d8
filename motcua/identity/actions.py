"""Writes on accounts."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.vn import mst as stdnum_mst

from motcua.core.errors import UserError
from motcua.directory.models import Agency, Role
from motcua.directory.selectors import has_role
from motcua.identity.models import AssuranceLevel, Organisation, Representation, User

NATIONAL_ID = re.compile(r"^[0-9]{12}$")


class RepresentationError(UserError):
    """A representation request that cannot be decided so."""


class SignInError(UserError):
    """A sign-in or account link that is refused."""


def sign_in_citizen(profile: dict[str, str], assurance_level: int = AssuranceLevel.NONE) -> User:
    """The account of the citizen the identity provider vouched for, created on first sign-in.

    The personal ID number links the account; name, phone and email are refreshed from the provider each time
    (the national population database is the source of truth for them), and so is the level of the citizen's
    electronic identification account (ASSURANCE_LEVEL, from the provider's `acr`).
    """
    national_id = profile.get("national_id", "")
    if not NATIONAL_ID.match(national_id):
        raise SignInError("no_national_id", "Nhà cung cấp định danh không trả về số định danh cá nhân hợp lệ.",
            "The identity provider did not return a valid personal ID number.",
        )
    for _attempt in range(2):
        try:
            with transaction.atomic():
                user, created = User.objects.select_for_update().get_or_create(
                    national_id=national_id, defaults={"username": f"cd{national_id}"}
                )
                changed = False
                for field_name in ("full_name", "phone", "email"):
                    value = profile.get(field_name, "")
                    if value and getattr(user, field_name) != value:
                        setattr(user, field_name, value)
                        changed = True
                if user.assurance_level != assurance_level:
                    user.assurance_level = assurance_level
                    changed = True
                if created:
                    user.set_unusable_password()
                    changed = True
                if changed:
                    user.save()
                return user
        except IntegrityError:
            continue  # two first sign-ins raced; the second finds the account now
    raise SignInError("account_not_created", "Không tạo được tài khoản, vui lòng thử lại.",
                      "Could not create the account; please retry.")


def representation_agency() -> Agency | None:
    """The agency whose clerks confirm representations (`MOTCUA_REPRESENTATION_AGENCY_FUNCTION`)."""
    return (Agency.objects.active().filter(function=settings.MOTCUA_REPRESENTATION_AGENCY_FUNCTION)
            .order_by("pk").first())


def register_organisation(*, representative: User, tax_code: str, name: str, address: str = "") -> Organisation:
    """Record REPRESENTATIVE's claim to be the legal representative of the organisation with TAX_CODE (checked
    with its check digit). The claim is pending until a clerk of the reviewing agency confirms it (a valid tax
    code is public, it proves nothing). Idempotent for the same person; while another person is the confirmed
    legal representative, a new claim is refused (they authorise people instead)."""
    code = stdnum_mst.compact(tax_code) if tax_code else ""
    if not stdnum_mst.is_valid(code):
        raise SignInError("bad_tax_code", "Mã số thuế không hợp lệ.", "The tax code is not valid.")
    with transaction.atomic():
        organisation, _created = Organisation.objects.get_or_create(
            tax_code=code, defaults={"name": name.strip(), "address": address.strip()})
        others = (organisation.representations.exclude(user=representative)
                  .filter(kind=Representation.Kind.LEGAL, status=Representation.Status.CONFIRMED))
        if others.exists():
            raise SignInError("legal_representative_exists",
                              "Tổ chức này đã có người đại diện theo pháp luật trên hệ thống.",
                              "This organisation already has a legal representative here.")
        Representation.objects.get_or_create(
            user=representative, organisation=organisation,
            defaults={"kind": Representation.Kind.LEGAL, "reviewing_agency": representation_agency()})
    return organisation


def decide_representation(representation: Representation, *, actor: User, confirm: bool,
                          note: str = "") -> Representation:
    """A clerk of the representation's reviewing agency confirms it, or rejects it with a reason. Confirming a
    legal representative is refused while another person is the organisation's confirmed one."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=representation.organisation_id).first()
        current = Representation.objects.select_for_update(of=("self",)).select_related("reviewing_agency").get(
            pk=representation.pk)
        if current.reviewing_agency is None or not has_role(actor, current.reviewing_agency, Role.CLERK):
            raise RepresentationError("forbidden",
                                      "Chỉ công chức Bộ phận Một cửa của cơ quan có thẩm quyền được xác nhận.",
                                      "Only a one-stop clerk of the competent agency may decide.")
        if current.status != Representation.Status.PENDING:
            raise RepresentationError("already_decided", "Yêu cầu này đã được xử lý.",
                                      "This request has already been decided.")
        if not confirm and not note.strip():
            raise RepresentationError("reason_required", "Vui lòng nhập lý do từ chối.",
                                      "Please give the reason for the rejection.")
        if confirm and current.kind == Representation.Kind.LEGAL and Representation.objects.filter(
                organisation_id=current.organisation_id, kind=Representation.Kind.LEGAL,
                status=Representation.Status.CONFIRMED).exclude(pk=current.pk).exists():
            raise RepresentationError("legal_representative_exists",
                                      "Tổ chức này đã có người đại diện theo pháp luật được xác nhận.",
                                      "This organisation already has a confirmed legal representative.")
        current.status = Representation.Status.CONFIRMED if confirm else Representation.Status.REJECTED
        current.decided_by, current.decided_at = actor, timezone.now()
        current.decision_note = note.strip()
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return current


# --- Two-factor sign-in and sign-in delays (docs/security.md) --------------------------------------------------

BACKUP_CODE_COUNT = 10
security_log = logging.getLogger("motcua.security")


class AccountAdminError(UserError):
    """The actor may not manage this account."""


def start_totp_enrolment(user: User) -> TOTPDevice:
    """The device USER is setting up: a new secret, not usable until a code from it is confirmed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)


def confirm_totp_device(user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm DEVICE with a code it produced; on success it replaces any earlier device of USER, and USER gets
    fresh one-time backup codes (returned, shown once; stored as given by django-otp's static device)."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token.strip()):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        backup = StaticDevice.objects.create(user=user, name="Mã dự phòng", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    security_log.info("two-factor device enrolled for user %s", user.pk)
    return codes


def _check_manages(actor: User, user: User) -> None:
    from motcua.identity.selectors import accounts_managed_by

    if actor.pk == user.pk or not accounts_managed_by(actor).filter(pk=user.pk).exists():
        raise AccountAdminError("forbidden", "Bạn không quản lý tài khoản này.", "You do not manage this account.")


def reset_two_factor(*, actor: User, user: User) -> None:
    """An administrator of one of USER's agencies removes USER's devices and backup codes (a lost phone): USER
    enrols a new device at the next sign-in."""
    _check_manages(actor, user)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    security_log.warning("two-factor devices of user %s reset by user %s", user.pk, actor.pk)


def unlock_sign_in(*, actor: User, user: User) -> None:
    """An administrator of one of USER's agencies lifts USER's sign-in delays (every address) and the wait
    between wrong codes on USER's devices."""
    from motcua.identity.throttling import unlock_account

    _check_manages(actor, user)
    unlock_account(user.get_username())
    for device in list(TOTPDevice.objects.filter(user=user)) + list(StaticDevice.objects.filter(user=user)):
        device.throttle_reset()
    security_log.warning("sign-in of user %s unlocked by user %s", user.pk, actor.pk)
