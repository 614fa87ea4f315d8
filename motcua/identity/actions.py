"""Writes on accounts."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from motcua.identity.models import User

NATIONAL_ID = re.compile(r"^[0-9]{12}$")


class SignInError(Exception):
    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} ({message_en})")
        self.message_vi = message_vi
        self.message_en = message_en


def sign_in_citizen(profile: dict[str, str]) -> User:
    """The account of the citizen the identity provider vouched for, created on first sign-in.

    The personal ID number links the account; name, phone and email are refreshed from the provider each time
    (the national population database is the source of truth for them).
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
                if created:
                    user.set_unusable_password()
                    changed = True
                if changed:
                    user.save()
                return user
        except IntegrityError:
            continue  # two first sign-ins raced; the second finds the account now
    raise SignInError("Không tạo được tài khoản, vui lòng thử lại.", "Could not create the account; please retry.")
