"""Writes on the catalog. Import is all-or-nothing: every problem is reported and nothing is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import get_language

from motcua.catalog.eforms import with_property_order
from motcua.catalog.models import Field, Procedure, ProcedureVersion, split_keywords
from motcua.catalog.schemas import Problem, validate_record
from motcua.core.process_cache import CATALOG, edited
from motcua.directory.models import Agency

# Keys of a record that describe this province's set-up rather than the procedure's content.
_CONFIG_KEYS = frozenset({"competent_agencies", "keywords"})


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


@dataclass(frozen=True)
class RowError:
    """A problem located where the user can find it: record N of a JSON file, or a sheet row of a workbook.

    Every text exists in Vietnamese and English; `place`, `column` and `message` give the one of the language
    the user chose, so the screen never shows both.
    """

    location: str
    field: str
    code: str
    message_vi: str
    message_en: str
    location_en: str = ""
    column_vi: str = ""
    column_en: str = ""

    @property
    def place(self) -> str:
        return (self.location_en or self.location) if _english() else self.location

    @property
    def column(self) -> str:
        return (self.column_en or self.field) if _english() else (self.column_vi or self.field)

    @property
    def message(self) -> str:
        return self.message_en if _english() else self.message_vi

    def __str__(self) -> str:
        where = f"{self.place}, {self.column}" if self.column else self.place
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Place:
    """Where a value of a record came from, as the user can find it (see `Locator`)."""

    location_vi: str
    location_en: str
    field: str
    column_vi: str = ""
    column_en: str = ""

    def error(self, problem: Problem) -> RowError:
        return RowError(self.location_vi, self.field, problem.code, problem.message_vi, problem.message_en,
                        self.location_en, self.column_vi, self.column_en)


class CatalogImportError(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s); nothing was imported")
        self.errors = errors


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


# Maps a record's index and a JSON path inside it to a place the user can find (a sheet row, record N of a file).
Locator = Callable[[int, dict[str, Any], str], Place]


def _default_locator(index: int, record: dict[str, Any], path: str) -> Place:
    code = record.get("national_code", "?") if isinstance(record, dict) else "?"
    return Place(f"Thủ tục thứ {index + 1} ({code})", f"Record {index + 1} ({code})", path)


def content_hash(record: dict[str, Any]) -> str:
    content = {k: v for k, v in record.items() if k not in _CONFIG_KEYS}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def import_catalog(
    records: list[dict[str, Any]], *, locate: Locator = _default_locator,
    known_problems: Mapping[int, Sequence[Problem]] | None = None, file_errors: Sequence[RowError] = (),
) -> ImportReport:
    """Create or update procedures from exchange records.

    KNOWN_PROBLEMS (per record index) and FILE_ERRORS are what the file reader already found (cells that are
    not numbers, rows for a code that is not in the file): they are reported in the same pass as the records'
    own problems, so that the user sees everything wrong at once and fixes it in one go.

    A record whose content equals the procedure's current version changes nothing, so importing the same file
    twice is harmless; different content becomes a new version, and the old one stays for the dossiers
    pinned to it.
    """
    agencies = {a.eid_code: a for a in Agency.objects.all()}
    functions = {a.function for a in agencies.values() if a.function and a.is_active}
    errors: list[RowError] = []
    seen_codes: dict[str, int] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append(locate(index, {}, "").error(Problem(
                "", "not_object", "Bản ghi phải là một đối tượng JSON.", "A record must be a JSON object.",
            )))
            continue
        problems = validate_record(record, agency_codes=set(agencies), agency_functions=functions,
                                   known=(known_problems or {}).get(index, ()))
        code = record.get("national_code")
        if isinstance(code, str):
            if code in seen_codes:
                problems.append(Problem(
                    "national_code", "duplicate_code",
                    f"Mã thủ tục {code} xuất hiện hai lần (lần đầu ở thủ tục thứ {seen_codes[code] + 1}).",
                    f"Procedure code {code} appears twice (first in record {seen_codes[code] + 1}).",
                ))
            seen_codes.setdefault(code, index)
        errors.extend(locate(index, record, problem.path).error(problem) for problem in problems)
    errors.extend(file_errors)
    if errors:
        raise CatalogImportError(errors)

    report = ImportReport()
    with transaction.atomic():
        for record in records:
            _upsert(normalize_record(record), agencies, report)
        edited(CATALOG)  # competent agencies set without a save of the procedure, too
    return report


def normalize_record(record: dict[str, Any]) -> dict[str, Any]:
    """Write numbers of days one way ("10", "0.5") so that equal content always hashes equally."""
    result = dict(record)
    result["statutory_days"] = _days_text(Decimal(str(record["statutory_days"])))
    result.setdefault("statutory_unit", "working_days")
    if not result.get("min_assurance_level"):
        result.pop("min_assurance_level", None)  # 0 is the default: absent, so earlier versions hash the same
    definition = dict(record["process_definition"])
    definition["steps"] = [
        {**step, "days": _days_text(Decimal(str(step["days"])))} for step in definition["steps"]
    ]
    result["process_definition"] = definition
    result["eform_schema"] = with_property_order(record.get("eform_schema") or {})
    return result


def _upsert(record: dict[str, Any], agencies: dict[str, Agency], report: ImportReport) -> None:
    field_obj, _created = Field.objects.get_or_create(
        code=record["field_code"], defaults={"name": record["field_name"]}
    )
    if field_obj.name != record["field_name"]:
        field_obj.name = record["field_name"]
        field_obj.save(update_fields=["name"])
    procedure = (
        Procedure.objects.select_for_update(of=("self",)).select_related("current_version")
        .filter(national_code=record["national_code"]).first()
    )
    digest = content_hash(record)
    if procedure is None:
        procedure = Procedure(national_code=record["national_code"])
        report.created.append(record["national_code"])
    elif procedure.current_version and procedure.current_version.content_hash == digest:
        report.unchanged.append(record["national_code"])
        if "competent_agencies" in record:
            procedure.competent_agencies.set([agencies[c] for c in record["competent_agencies"]])
        if "keywords" in record and procedure.keyword_list != split_keywords(", ".join(record["keywords"])):
            procedure.keywords = ", ".join(record["keywords"])
            procedure.save()
        return
    else:
        report.new_versions.append(record["national_code"])
    procedure.name = record["name"]
    procedure.field = field_obj
    procedure.level = record["level"]
    procedure.service_level = record["service_level"]
    if "keywords" in record:
        procedure.keywords = ", ".join(record["keywords"])
    procedure.save()
    number = (procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        name=record["name"],
        level=record["level"],
        service_level=record["service_level"],
        competent_authority=record["competent_authority"],
        statutory_days=Decimal(str(record["statutory_days"])),
        statutory_unit=record.get("statutory_unit", "working_days"),
        time_rule=record.get("time_rule", ""),
        fees=record.get("fees", []),
        required_documents=record.get("required_documents", []),
        eform_schema=record.get("eform_schema", {}),
        result_type=record["result_type"],
        legal_basis=record.get("legal_basis", []),
        process_definition=record["process_definition"],
        source_url=record.get("source_url", ""),
        effective_from=dt.date.fromisoformat(record["effective_from"]),
        min_assurance_level=record.get("min_assurance_level", 0),
        content_hash=digest,
    )
    procedure.current_version = version
    procedure.save()
    if "competent_agencies" in record:
        procedure.competent_agencies.set([agencies[c] for c in record["competent_agencies"]])


def export_record(procedure: Procedure) -> dict[str, Any]:
    """The exchange record of PROCEDURE's current version (the inverse of import)."""
    version = procedure.current_version
    if version is None:
        raise ValueError(f"{procedure.national_code} has no version to export")
    record: dict[str, Any] = {
        "national_code": procedure.national_code,
        "name": version.name,
        "field_code": procedure.field.code,
        "field_name": procedure.field.name,
        "level": version.level,
        "service_level": version.service_level,
        "competent_authority": version.competent_authority,
        "competent_agencies": sorted(procedure.competent_agencies.values_list("eid_code", flat=True)),
        "keywords": procedure.keyword_list,
        "statutory_days": _days_text(version.statutory_days),
        "statutory_unit": version.statutory_unit,
        "time_rule": version.time_rule,
        "fees": version.fees,
        "required_documents": version.required_documents,
        "eform_schema": version.eform_schema,
        "result_type": version.result_type,
        "legal_basis": version.legal_basis,
        "process_definition": version.process_definition,
        "source_url": version.source_url,
        "effective_from": version.effective_from.isoformat(),
    }
    if version.min_assurance_level:
        record["min_assurance_level"] = version.min_assurance_level
    return record


def _days_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def export_catalog() -> list[dict[str, Any]]:
    procedures = (
        Procedure.objects.filter(current_version__isnull=False)
        .select_related("field", "current_version").prefetch_related("competent_agencies")
        .order_by("national_code")
    )
    return [export_record(p) for p in procedures]
