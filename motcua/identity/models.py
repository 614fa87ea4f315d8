from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AssuranceLevel(models.IntegerChoices):
    """How sure we are of who is signed in (the VNeID account levels of Decree 69/2024/NĐ-CP).

    NONE: a self-declared identity (a Zalo-only or a password account); LEVEL_1 / LEVEL_2: the level of the
    electronic identification account the national identity provider vouched for (its `acr` claim).
    """

    NONE = 0, _("Not identified electronically")
    LEVEL_1 = 1, _("Electronic identification level 1")
    LEVEL_2 = 2, _("Electronic identification level 2")


class User(AbstractUser):
    """A person who signs in: a citizen (through VNeID / the national portal) or a member of staff.

    Staff powers do not live here: they come from `directory.StaffAssignment` rows, each scoped to one agency.
    """

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    # Personal identification number (số định danh cá nhân / CCCD), 12 digits; the key that links a VNeID sign-in.
    national_id = models.CharField(_("personal ID number"), max_length=12, blank=True, null=True, unique=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    # The level of the last sign-in through a national identity provider (what a sign-in proves is kept on its
    # session or API token: `motcua.identity.assurance`).
    assurance_level = models.PositiveSmallIntegerField(
        _("electronic identification level"), choices=AssuranceLevel.choices, default=AssuranceLevel.NONE)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_username()


class ApiToken(models.Model):
    """A bearer token of the mobile app (Zalo Mini App). Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    # What the sign-in that issued the token proved (a Zalo sign-in proves no identity level).
    assurance_level = models.PositiveSmallIntegerField(choices=AssuranceLevel.choices, default=AssuranceLevel.NONE)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.label}"


class AppSignInCode(models.Model):
    """A one-time code the web portal shows a citizen signed in there (with VNeID), typed into the Zalo Mini App to
    give it a token of the same account at the same assurance level. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="app_sign_in_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    assurance_level = models.PositiveSmallIntegerField(choices=AssuranceLevel.choices, default=AssuranceLevel.NONE)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("app sign-in code")
        verbose_name_plural = _("app sign-in codes")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class ZaloLink(models.Model):
    """A Zalo account (its app-scoped user id) linked to a citizen account, with the phone Zalo verified."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="zalo_links")
    zalo_id = models.CharField(max_length=64, unique=True)
    phone = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.zalo_id


class Organisation(models.Model):
    """A business or organisation. It acts through representative citizen accounts (its legal representative
    or people they authorise), identified by its tax code (mã số thuế = enterprise code)."""

    tax_code = models.CharField(_("tax code"), max_length=14, unique=True)
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"


class Representation(models.Model):
    """USER claims to represent ORGANISATION. Typing a valid tax code proves nothing, so a claim is pending until
    a clerk of its reviewing agency (the agency competent for business registration) confirms it; only a
    confirmed representation may act for the organisation (`identity.selectors.organisations_of`)."""

    class Kind(models.TextChoices):
        LEGAL = "legal", _("Legal representative")
        AUTHORISED = "authorised", _("Authorised person")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        CLAIM = "claim", _("Claimed by the citizen, checked by a clerk")
        BUSINESS_REGISTER = "business_register", _("Named by the national business register")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="representations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="representations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reviewing_agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("reviewing agency"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(User, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)
    # CLAIM: confirmed (or not) by a clerk; BUSINESS_REGISTER: confirmed because the register names the citizen
    # (matched by a verified personal ID); the register's answer is its evidence (`register_answers`).
    source = models.CharField(_("established by"), max_length=20, choices=Source.choices, default=Source.CLAIM)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="representation_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"
