"""Administrative units, agencies and staff roles.

Units and agencies carry effective dates: the map changed on 2025-07-01 (63 → 34 provinces, districts abolished)
and keeps changing, and old dossiers, ID numbers and addresses still name the old units.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.process_cache import CATALOG, DIRECTORY, EditedArea
from motcua.core.text import fold
from motcua.directory.validators import validate_eid_code

# The two-tier local government took effect on this day (Resolutions 202/2025/QH15 and the 34 NQ-UBTVQH15).
REFORM_2025 = dt.date(2025, 7, 1)


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District (before 2025-07-01)")
    COMMUNE = "commune", _("Commune / ward / special zone")


class AdministrativeUnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def valid_on(self, day: dt.date) -> AdministrativeUnitQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def current(self) -> AdministrativeUnitQuerySet:
        return self.filter(valid_to__isnull=True)


class AdministrativeUnit(models.Model):
    """A province, (legacy) district or commune, valid over [valid_from, valid_to]."""

    code = models.CharField(_("code"), max_length=10, help_text=_("National statistics code, zero-padded."))
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=200)
    unit_type = models.CharField(_("type"), max_length=40, help_text=_("Tỉnh, Thành phố, Phường, Xã, Đặc khu…"))
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Last day of validity."))
    search_text = models.CharField(max_length=400, editable=False, db_index=False)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="unit_unique_code_per_version"),
        ]
        indexes = [models.Index(fields=["level", "valid_to", "code"], name="unit_level_current_code")]

    def __str__(self) -> str:
        if self.valid_to:
            return f"{self.name} ({self.code}, {_('until')} {self.valid_to:%d/%m/%Y})"
        return f"{self.name} ({self.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)


class UnitSuccession(models.Model):
    """One old unit merged (wholly or partly) into a new one on a given day."""

    class Kind(models.TextChoices):
        WHOLE = "whole", _("Whole territory")
        PART = "part", _("Part of the territory")

    predecessor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("old unit"), on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("new unit"), on_delete=models.CASCADE, related_name="predecessions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    is_default = models.BooleanField(
        _("default successor"), default=True, help_text=_("Where a split unit's addresses go unless known otherwise.")
    )
    effective_on = models.DateField(_("effective on"), default=REFORM_2025)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.name} → {self.successor.name}"


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Province department")
    DEPARTMENT_UNIT = "department_unit", _("Unit under a department")
    CENTRAL_BRANCH = "central_branch", _("Local branch of a central agency")
    COMMUNE = "commune", _("Commune People's Committee")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active(self) -> AgencyQuerySet:
        return self.filter(is_active=True)


class Agency(EditedArea):
    """An agency that receives or handles dossiers, identified by its e-ID code (mã định danh điện tử).

    The e-ID code follows Decision 20/2020/QĐ-TTg as amended by Decision 09/2025/QĐ-TTg:
    four dot-separated levels `LLL.LL.LL.Hnn` (level 1 `Hnn` is the province).
    `function` names what the agency does (e.g. "tax", "land_registration") so that process definitions can
    hand a dossier to "the tax authority" of whichever province runs the procedure.
    """

    eid_code = models.CharField(_("e-ID code"), max_length=40, unique=True, validators=[validate_eid_code],
                                help_text=_("Like 000.00.00.H19 (Decision 20/2020/QĐ-TTg)."))
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=AgencyLevel.choices)
    function = models.SlugField(
        _("function"), max_length=50, blank=True, help_text=_("e.g. land_registration, tax, treasury, civil_status")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent agency"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    admin_unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="agencies"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # An agency that does not use motcua (a ministry, another province's department): its steps are sent to it as
    # edXML documents through the document exchange hub and its answers come back the same way
    # (docs/document-exchange.md). It has no staff here.
    is_external = models.BooleanField(
        _("outside motcua"), default=False,
        help_text=_("Reached through the document exchange hub (edXML), not a user of this system."))
    valid_from = models.DateField(_("valid from"), default=REFORM_2025)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    # Materialised ancestry "/<id>/<id>/…/" so that "this agency and everything under it" is one indexed query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = AgencyQuerySet.as_manager()
    CACHE_AREAS = (DIRECTORY, CATALOG)  # kept per process, also as a procedure's competent agency

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {}
        old_path = self.path
        self.path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    def subtree(self) -> AgencyQuerySet:
        return Agency.objects.filter(path__startswith=self.path)


class Role(models.TextChoices):
    """What a member of staff may do, always within the agencies of their assignment."""

    CLERK = "clerk", _("One-stop counter clerk")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader / approver")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    PROVINCE_ADMIN = "province_admin", _("Province administrator")


class StaffAssignment(models.Model):
    """User U holds role R in agency A. A user may hold several (e.g. clerk at two counters)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="assignment_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"
