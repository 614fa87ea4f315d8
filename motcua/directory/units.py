"""Load the shipped administrative-units fixture into the database (idempotent)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from motcua.core.text import fold
from motcua.directory.addresses import forget_index
from motcua.directory.models import AdministrativeUnit, UnitLevel, UnitSuccession

FIXTURE_PATH = Path(__file__).parent / "fixtures" / "admin_units_2025.json"
LEGACY_VALID_FROM = dt.date(2008, 8, 1)  # the 63-province map: Hà Tây merged into Hà Nội on 2008-08-01


def read_fixture(path: Path = FIXTURE_PATH) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write_fixture(data: dict[str, Any], path: Path = FIXTURE_PATH) -> None:
    """One list row per line, so that a change of the map shows as a readable diff."""
    lines = ["{"]
    items = list(data.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        if isinstance(value, list) and value and isinstance(value[0], list):
            rows = ",\n".join("    " + json.dumps(row, ensure_ascii=False) for row in value)
            lines.append(f"  {json.dumps(key)}: [\n{rows}\n  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class LoadReport:
    units_created: int
    successions_created: int


@transaction.atomic
def load_units(data: dict[str, Any] | None = None) -> LoadReport:
    """Create the units and successions of the fixture that are not in the database yet."""
    data = data or read_fixture()
    reform = dt.date.fromisoformat(data["reform_date"])
    legacy_to = dt.date.fromisoformat(data["legacy_valid_to"])
    ids: dict[tuple[str, str, dt.date], int] = {
        (level, code, valid_from): pk
        for level, code, valid_from, pk in AdministrativeUnit.objects.values_list("level", "code", "valid_from", "pk")
    }
    created = 0

    def create(level: str, rows: list[list[str]], valid_from: dt.date, valid_to: dt.date | None,
               parent_level: str | None, parent_index: int | None) -> None:
        nonlocal created
        new = []
        for row in rows:
            code = row[0]
            if (level, code, valid_from) in ids:
                continue
            name, short, kind = row[-3], row[-2], row[-1]
            parent_id = ids[(parent_level, row[parent_index], valid_from)] if parent_level and parent_index else None
            new.append(AdministrativeUnit(
                level=level, code=code, name=name, short_name=short, unit_type=kind, parent_id=parent_id,
                valid_from=valid_from, valid_to=valid_to, search_text=fold(f"{name} {code}"),
            ))
        AdministrativeUnit.objects.bulk_create(new, batch_size=2000)
        created += len(new)
        for unit in AdministrativeUnit.objects.filter(level=level, valid_from=valid_from).values_list(
            "code", "pk"
        ):
            ids[(level, unit[0], valid_from)] = unit[1]

    create(UnitLevel.PROVINCE, data["legacy_provinces"], LEGACY_VALID_FROM, legacy_to, None, None)
    create(UnitLevel.DISTRICT, data["legacy_districts"], LEGACY_VALID_FROM, legacy_to, UnitLevel.PROVINCE, 1)
    create(UnitLevel.COMMUNE, data["legacy_communes"], LEGACY_VALID_FROM, legacy_to, UnitLevel.DISTRICT, 1)
    create(UnitLevel.PROVINCE, data["provinces"], reform, None, None, None)
    create(UnitLevel.COMMUNE, data["communes"], reform, None, UnitLevel.PROVINCE, 1)

    existing = set(UnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    successions = []
    plan = [
        (UnitLevel.PROVINCE, UnitLevel.PROVINCE,
         [[old, new, "whole", True] for old, new in data["province_successions"]]),
        (UnitLevel.COMMUNE, UnitLevel.COMMUNE, data["commune_successions"]),
        (UnitLevel.DISTRICT, UnitLevel.COMMUNE, data["district_successions"]),
    ]
    for old_level, new_level, rows in plan:
        for old_code, new_code, kind, is_default in rows:
            pair = (ids[(old_level, old_code, LEGACY_VALID_FROM)], ids[(new_level, new_code, reform)])
            if pair in existing:
                continue
            existing.add(pair)
            successions.append(UnitSuccession(
                predecessor_id=pair[0], successor_id=pair[1], kind=kind, is_default=is_default, effective_on=reform,
            ))
    UnitSuccession.objects.bulk_create(successions, batch_size=2000)
    forget_index()  # the address converter reads the units again
    return LoadReport(units_created=created, successions_created=len(successions))


def successors_of(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The current units that took over UNIT's territory, the default one first."""
    rows = unit.successions.select_related("successor").order_by("-is_default", "successor__code")
    return [row.successor for row in rows]
