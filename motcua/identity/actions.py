"""Writes on accounts."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from stdnum.vn import mst as stdnum_mst

from motcua.directory.models import Agency, Role
from motcua.directory.selectors import has_role
from motcua.identity.models import AssuranceLevel, Organisation, Representation, User

NATIONAL_ID = re.compile(r"^[0-9]{12}$")


class RepresentationError(Exception):
    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} ({message_en})")
        self.message_vi = message_vi
        self.message_en = message_en


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
        raise SignInError("Mã số thuế không hợp lệ.", "The tax code is not valid.")
    with transaction.atomic():
        organisation, _created = Organisation.objects.get_or_create(
            tax_code=code, defaults={"name": name.strip(), "address": address.strip()})
        others = (organisation.representations.exclude(user=representative)
                  .filter(kind=Representation.Kind.LEGAL, status=Representation.Status.CONFIRMED))
        if others.exists():
            raise SignInError("Tổ chức này đã có người đại diện theo pháp luật trên hệ thống.",
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
            raise RepresentationError("Chỉ công chức Bộ phận Một cửa của cơ quan có thẩm quyền được xác nhận.",
                                      "Only a one-stop clerk of the competent agency may decide.")
        if current.status != Representation.Status.PENDING:
            raise RepresentationError("Yêu cầu này đã được xử lý.", "This request has already been decided.")
        if not confirm and not note.strip():
            raise RepresentationError("Vui lòng nhập lý do từ chối.", "Please give the reason for the rejection.")
        if confirm and current.kind == Representation.Kind.LEGAL and Representation.objects.filter(
                organisation_id=current.organisation_id, kind=Representation.Kind.LEGAL,
                status=Representation.Status.CONFIRMED).exclude(pk=current.pk).exists():
            raise RepresentationError("Tổ chức này đã có người đại diện theo pháp luật được xác nhận.",
                                      "This organisation already has a confirmed legal representative.")
        current.status = Representation.Status.CONFIRMED if confirm else Representation.Status.REJECTED
        current.decided_by, current.decided_at = actor, timezone.now()
        current.decision_note = note.strip()
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return current


def organisations_of(user: User) -> list[Organisation]:
    """The organisations USER may act for: their representations a clerk confirmed, and still valid."""
    today = timezone.localdate()
    acting = Representation.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today), user=user, status=Representation.Status.CONFIRMED)
    return list(Organisation.objects.filter(pk__in=acting.values("organisation_id")).order_by("name"))


def representations_of(user: User) -> list[Representation]:
    """All of USER's representation claims, whatever their state (for their own page)."""
    return list(user.representations.select_related("organisation").order_by("organisation__name"))
