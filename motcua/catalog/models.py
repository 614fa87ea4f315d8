"""Administrative procedures (thủ tục hành chính), versioned.

A `Procedure` is the stable identity (its national code, e.g. 1.001193) and what this province configures
about it (which agencies handle it, whether it is offered). Its content — time limit, fees, documents, e-form,
process — lives in immutable `ProcedureVersion` rows; a dossier stays pinned to the version it was submitted
under, and a change of content makes a new version.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.process_cache import CATALOG, EditedArea
from motcua.core.text import fold, sort_key
from motcua.directory.models import Agency
from motcua.identity.models import AssuranceLevel


class ProcedureLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")


class ServiceLevel(models.TextChoices):
    """Online service levels of Decree 42/2022/NĐ-CP (replacing the four levels of Circular 22/2019)."""

    FULL_ONLINE = "toan_trinh", _("Fully online")
    PARTLY_ONLINE = "mot_phan", _("Partly online")
    COUNTER_ONLY = "truc_tiep", _("At the counter only")


class TimeUnit(models.TextChoices):
    """Most procedures count working days; a few laws say plain days (e.g. 15 ngày for a construction permit)."""

    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class Field(models.Model):
    """A field of administration (lĩnh vực), e.g. Đất đai, Hộ tịch."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    national_code = models.CharField(
        _("national field code"), max_length=40, blank=True, db_index=True,
        help_text=_("MALINHVUC in the national procedures database (matched by the catalog sync)."),
    )

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def published(self) -> ProcedureQuerySet:
        return self.filter(is_active=True, current_version__isnull=False)

    def search(self, query: str) -> ProcedureQuerySet:
        """The procedures matching QUERY, most relevant first (typos and everyday keywords included).

        Apply other filters before this: the ranking keeps the best `selectors.RESULT_LIMIT` matches.
        """
        from motcua.catalog.selectors import search_procedures  # the selector imports this module

        return search_procedures(self, query)  # type: ignore[return-value]


class Procedure(EditedArea):
    CACHE_AREAS = (CATALOG,)

    national_code = models.CharField(
        _("national code"), max_length=40, unique=True,
        help_text=_("Code in the national TTHC database, e.g. 1.001193."),
    )
    name = models.CharField(_("name"), max_length=500)
    field = models.ForeignKey(Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="procedures")
    level = models.CharField(_("level"), max_length=10, choices=ProcedureLevel.choices)
    service_level = models.CharField(_("online service level"), max_length=10, choices=ServiceLevel.choices)
    competent_agencies = models.ManyToManyField(
        Agency, verbose_name=_("agencies handling it in this province"), blank=True, related_name="procedures"
    )
    current_version = models.ForeignKey(
        "ProcedureVersion", verbose_name=_("current version"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    is_active = models.BooleanField(_("offered"), default=True)
    keywords = models.TextField(
        _("search keywords"), blank=True,
        help_text=_("Everyday words people search with, separated by commas or new lines "
                    "(e.g. sổ đỏ, sang tên, làm giấy khai sinh)."),
    )
    search_text = models.TextField(editable=False, default="")
    sort_key = models.CharField(max_length=1200, editable=False, default="", db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return f"{self.national_code} — {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the folded search text (and its trigram index) in step with the name and keywords on every save."""
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "sort_key"}
        super().save(*args, **kwargs)

    @property
    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)

    def refresh_search_text(self) -> None:
        authority = self.current_version.competent_authority if self.current_version else ""
        keywords = " ".join(self.keyword_list)
        self.search_text = fold(f"{self.name} {self.national_code} {self.field.name} {authority} {keywords}")
        self.sort_key = sort_key(self.name)[:1200]


def split_keywords(text: str) -> list[str]:
    """Keywords written one per line or separated by commas/semicolons, stripped, without repeats."""
    seen: dict[str, None] = {}
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        if part.strip():
            seen.setdefault(" ".join(part.split()), None)
    return list(seen)


class ProcedureVersion(EditedArea):
    """The content of a procedure from a given day. Never edited after creation: import a new version."""

    CACHE_AREAS = (CATALOG,)

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=500)
    level = models.CharField(_("level"), max_length=10, choices=ProcedureLevel.choices)
    service_level = models.CharField(_("online service level"), max_length=10, choices=ServiceLevel.choices)
    competent_authority = models.CharField(_("competent authority"), max_length=500)
    statutory_days = models.DecimalField(
        _("statutory time (days)"), max_digits=6, decimal_places=2,
        help_text=_("0 means within the day of receipt."),
    )
    statutory_unit = models.CharField(
        _("unit of the statutory time"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    time_rule = models.TextField(_("time limit as published"), blank=True)
    fees = models.JSONField(_("fees and charges"), default=list, blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    eform_schema = models.JSONField(_("e-form (JSON Schema)"), default=dict, blank=True)
    result_type = models.CharField(_("result"), max_length=500)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    process_definition = models.JSONField(_("process definition"), default=dict)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    effective_from = models.DateField(_("effective from"))
    # The lowest electronic identification level (identity.AssuranceLevel) of a citizen applying online.
    min_assurance_level = models.PositiveSmallIntegerField(
        _("minimum electronic identification level"), choices=AssuranceLevel.choices, default=AssuranceLevel.NONE)
    content_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.national_code} v{self.number}"

    @property
    def is_same_day(self) -> bool:
        return self.statutory_days == Decimal(0)

    @property
    def total_fee(self) -> int:
        """Sum of fixed fee lines, in VND (per-item lines depend on the dossier)."""
        return sum(int(line.get("amount", 0)) for line in self.fees if line.get("kind", "fixed") == "fixed")

    @property
    def steps(self) -> list[dict[str, Any]]:
        steps: list[dict[str, Any]] = self.process_definition.get("steps", [])
        return steps


class NationalProcedure(models.Model):
    """The last record pulled from the national procedures database (CSDL TTHC) for one national code.

    A snapshot, written by the catalog sync (motcua/integrations/catalog_sync.py): what the portal said, which
    catalog keys differ from the local version it was compared with, and when its content was applied here.
    """

    national_code = models.CharField(_("national code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=500)
    record = models.JSONField(_("national record"), default=dict)
    digest = models.CharField(_("content digest"), max_length=64)
    content_since = models.DateTimeField(_("content first seen"))
    fetched_at = models.DateTimeField(_("pulled at"))
    status = models.CharField(_("national status"), max_length=10, blank=True)
    # GUESSED fields of the national record (docs/integrations-national-portal.md, "Catalog sync").
    decided_on = models.DateField(_("publication decision date"), null=True, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    published_on = models.DateField(_("published on the national database"), null=True, blank=True)
    compared_version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("compared with version"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    differences = models.JSONField(_("differing keys"), default=list, blank=True)
    applied_digest = models.CharField(max_length=64, blank=True)
    applied_at = models.DateTimeField(_("published locally at"), null=True, blank=True)

    class Meta:
        verbose_name = _("national procedure record")
        verbose_name_plural = _("national procedure records")
        ordering = ["national_code"]

    def __str__(self) -> str:
        return f"{self.national_code} — {self.name}"


class CatalogSyncAct(models.Model):
    """Audit of the catalog sync: who pulled or applied which national record, and what came of it. Append-only."""

    class Kind(models.TextChoices):
        PULL = "pull", _("Pulled")
        APPLY = "apply", _("Applied")

    kind = models.CharField(_("act"), max_length=10, choices=Kind.choices)
    national_code = models.CharField(_("national code"), max_length=40, db_index=True)
    digest = models.CharField(_("content digest"), max_length=64, blank=True)
    differences = models.JSONField(_("differing keys"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=40, blank=True)
    version = models.ForeignKey(ProcedureVersion, verbose_name=_("version"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("catalog sync act")
        verbose_name_plural = _("catalog sync acts")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.national_code} {self.outcome}"
