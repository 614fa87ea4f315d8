"""Writes on accounts."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from stdnum.vn import mst as stdnum_mst

from motcua.identity.models import AssuranceLevel, Organisation, Representation, User

NATIONAL_ID = re.compile(r"^[0-9]{12}$")


class SignInError(Exception):
    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} ({message_en})")
        self.message_vi = message_vi
        self.message_en = message_en


def sign_in_citizen(profile: dict[str, str], assurance_level: int = AssuranceLevel.NONE) -> User:
    """The account of the citizen the identity provider vouched for, created on first sign-in.

    The personal ID number links the account; name, phone and email are refreshed from the provider each time
    (the national population database is the source of truth for them), and so is the level of the citizen's
    electronic identification account (ASSURANCE_LEVEL, from the provider's `acr`).
    """
    national_id = profile.get("national_id", "")
    if not NATIONAL_ID.match(national_id):
        raise SignInError(
            "Nhà cung cấp định danh không trả về số định danh cá nhân hợp lệ.",
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
    raise SignInError("Không tạo được tài khoản, vui lòng thử lại.", "Could not create the account; please retry.")


def register_organisation(*, representative: User, tax_code: str, name: str, address: str = "") -> Organisation:
    """Record that REPRESENTATIVE is the legal representative of the organisation with TAX_CODE (checked with
    its check digit). Idempotent for the same person; another person needs an authorisation instead."""
    code = stdnum_mst.compact(tax_code) if tax_code else ""
    if not stdnum_mst.is_valid(code):
        raise SignInError("Mã số thuế không hợp lệ.", "The tax code is not valid.")
    with transaction.atomic():
        organisation, _created = Organisation.objects.get_or_create(
            tax_code=code, defaults={"name": name.strip(), "address": address.strip()})
        others = organisation.representations.exclude(user=representative).filter(kind=Representation.Kind.LEGAL)
        if others.exists():
            raise SignInError("Tổ chức này đã có người đại diện theo pháp luật trên hệ thống.",
                              "This organisation already has a legal representative here.")
        Representation.objects.get_or_create(user=representative, organisation=organisation,
                                             defaults={"kind": Representation.Kind.LEGAL})
    return organisation


def organisations_of(user: User) -> list[Organisation]:
    today = timezone.localdate()
    return list(Organisation.objects.filter(
        representations__user=user).filter(
        Q(representations__valid_until__isnull=True) | Q(representations__valid_until__gte=today)).distinct())
