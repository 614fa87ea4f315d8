"""Decision 766 indicators 1a–1c (publicity of procedures) from the catalog sync's national snapshots.

The national procedures database (CSDL TTHC) is the source; motcua reads it through the catalog sync
(motcua/integrations/catalog_sync.py), which keeps one `NationalProcedure` snapshot per national code. The dates
1a and 1b rest on (the publication decision's date NGAYQUYETDINH, the effective date NGAYHIEULUC, the date made
public nationally NGAYCONGKHAI) are GUESSED fields of the LayThuTuc record (docs/integrations-national-portal.md);
the local publication time is when the province's catalog first carried the national content (`applied_at`).

- `decided_on_time` (1a): of the province's procedures whose publication decision falls in the period (and whose
  effective date is known), the share decided at least `working_days` (default 20) working days before taking
  effect (Nghị định 63/2010/NĐ-CP as amended by Nghị định 92/2017/NĐ-CP, art. 15).
- `published_on_time` (1b): of the province's procedures made public nationally in the period (else decided in
  it), the share this province published locally within `working_days` (default 5) working days of that date.
- `complete` (1c): of the procedures the province offers, the share whose current version has every component
  (name, authority, time limit, documents, result, legal basis, process) and matches the national record as last
  pulled (no differing field, compared with that very version). A state, not a flow: the period does not matter.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q

from motcua.calendar.service import WorkingCalendar
from motcua.catalog.models import NationalProcedure, Procedure, ProcedureVersion
from motcua.core.figures import rate
from motcua.directory.models import Agency


def _period_end(last: dt.date) -> dt.date:
    return last.replace(day=calendar.monthrange(last.year, last.month)[1])


def _codes(agencies: Sequence[Agency]) -> list[str]:
    return list(Procedure.objects.filter(competent_agencies__in=agencies).values_list("national_code", flat=True)
                .distinct())


def is_complete(version: ProcedureVersion) -> bool:
    """Every component Decree 63/2010 (art. 8) asks to publish that motcua's catalog holds."""
    return bool(version.name and version.competent_authority and version.required_documents and version.result_type
                and version.legal_basis and version.steps and version.statutory_days is not None)


def decided_on_time(first: dt.date, last: dt.date, agencies: Sequence[Agency], working_days: int
                    ) -> tuple[Decimal | None, str]:
    snapshots = NationalProcedure.objects.filter(
        national_code__in=_codes(agencies), decided_on__range=(first, _period_end(last)), effective_on__isnull=False)
    days = WorkingCalendar.for_province()
    decided = list(snapshots.values_list("decided_on", "effective_on"))
    on_time = len([1 for d, e in decided if d and e and days.count_working_days(d, e) >= working_days])
    return rate(on_time, len(decided)), "" if decided else "không có quyết định công bố TTHC trong kỳ"


def published_on_time(first: dt.date, last: dt.date, agencies: Sequence[Agency], working_days: int
                      ) -> tuple[Decimal | None, str]:
    end = _period_end(last)
    snapshots = NationalProcedure.objects.filter(national_code__in=_codes(agencies)).filter(
        Q(published_on__range=(first, end)) | Q(published_on__isnull=True, decided_on__range=(first, end)))
    days = WorkingCalendar.for_province()
    rows = list(snapshots.values_list("published_on", "decided_on", "applied_at"))
    on_time = 0
    for published, decided, applied in rows:
        start = published or decided
        if start and applied is not None and _local_day(applied) <= days.add_working_days(start, working_days):
            on_time += 1
    return rate(on_time, len(rows)), "" if rows else "không có TTHC được công khai trong kỳ"


def _local_day(moment: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(moment).date()


def complete(agencies: Sequence[Agency]) -> tuple[Decimal | None, str]:
    offered = list(Procedure.objects.published().filter(competent_agencies__in=agencies).distinct()
                   .select_related("current_version"))
    codes = [p.national_code for p in offered]
    if not NationalProcedure.objects.filter(national_code__in=codes).exists():
        return None, "chưa tải dữ liệu từ CSDL quốc gia về TTHC"  # never pulled: no data, not 0 %
    matching = dict(NationalProcedure.objects.filter(national_code__in=codes, differences=[]).values_list(
        "national_code", "compared_version_id"))
    good = sum(1 for p in offered if p.current_version is not None and is_complete(p.current_version)
               and matching.get(p.national_code) == p.current_version_id)
    return rate(good, len(offered)), "" if offered else "không có TTHC nào đang cung cấp"


def national_catalog_rate(formula: dict[str, Any], first: dt.date, last: dt.date, agencies: Sequence[Agency]
                          ) -> tuple[Decimal | None, str]:
    kind = formula["national_catalog"]
    if kind == "decided_on_time":
        return decided_on_time(first, last, agencies, int(formula.get("working_days", 20)))
    if kind == "published_on_time":
        return published_on_time(first, last, agencies, int(formula.get("working_days", 5)))
    if kind == "complete":
        return complete(agencies)
    raise ValueError(f"unknown national_catalog indicator {kind!r}")
