"""The Government's announced day swaps, shipped as nationwide `CalendarException` rows.

Each year the Prime Minister's decision on Tết and the holidays reaches the civil service as a letter of the
Government Office or a notice of the ministry in charge; it may swap a weekday for a Saturday ("hoán đổi ngày làm
việc"). The `holidays` package learns of a swap only when a release records it (it never had Friday 02/01/2026),
so the swaps are data of this project: `fixtures/government_days_*.json`, one row a day with its legal source,
loaded by a migration and editable in the admin afterwards. Sources: docs/data-sources.md.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("government_days_*.json"))


def read_rows(path: Path | None = None) -> list[dict[str, Any]]:
    """The rows of one fixture file (default: every shipped file), with their dates parsed."""
    rows: list[dict[str, Any]] = []
    for each in [path] if path is not None else FIXTURES:
        for row in json.loads(each.read_text(encoding="utf-8"))["rows"]:
            rows.append({**row, "date": dt.date.fromisoformat(row["date"])})
    return rows


def seed_government_days(model: Any = None, path: Path | None = None) -> int:
    """Create the nationwide rows of the fixture(s) whose day has no nationwide row yet; return how many.

    A day that already has a nationwide row (entered by hand, or edited since) is left as it is, so running this
    again never overwrites an administrator's edit. MODEL is the historical model inside a migration.
    """
    if model is None:
        from motcua.calendar.models import CalendarException

        model = CalendarException
    created = 0
    for row in read_rows(path):
        _, made = model.objects.get_or_create(
            date=row["date"], province_code="",
            defaults={"kind": row["kind"], "name": row["name"], "legal_basis": row["legal_basis"]},
        )
        created += made
    return created
