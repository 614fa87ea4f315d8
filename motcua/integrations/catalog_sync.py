"""Catalog sync from the national procedures database (CSDL TTHC) through the national portal (issue #15).

- `pull(codes)` / `pull_all()`: `LayThuTuc` per code (the province's codes from `LayDanhSachTTHC`), through
  `IntegrationClient("dvcqg")` and the portal session of `national_portal_sync.PortalConnection`. Each record is
  kept as a `NationalProcedure` snapshot (idempotent: the same content keeps its digest and its "first seen" time)
  with the catalog keys that differ from the local current version. Nothing local changes.
- `diff(snapshot)`: field-by-field rows (local, national) for the page and the nightly report.
- `apply(code, digest)`: the snapshot the admin saw becomes a new procedure version through the catalog import
  (`catalog.actions.import_catalog`: validation, versioning, unchanged detection), keeping this province's process
  steps (their days rescaled to a changed time limit), competent agencies, keywords, e-form and service level.
  A national procedure unknown here is created unpublished (not offered) for the admin to complete. Applying the
  same snapshot twice makes one version.
- `sync_fields()` (`LayDanhMucLinhVuc`) records MALINHVUC on the local fields of the same name;
  `match_agencies()` (`LayDanhMucCoQuan`) pairs MADONVI with local e-ID codes (they are the same code system).

Every write is audited (`CatalogSyncAct`). The guessed shapes are in the adapter's "Catalog" section.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from motcua.adapters import national_portal as portal
from motcua.catalog.actions import CatalogImportError, content_hash, export_record, import_catalog, normalize_record
from motcua.catalog.models import CatalogSyncAct, Field, NationalProcedure, Procedure, ProcedureLevel, TimeUnit
from motcua.core.errors import UserError, user_message
from motcua.core.text import fold
from motcua.directory.models import Agency
from motcua.integrations.client import MalformedResponse
from motcua.integrations.national_portal_sync import PortalConnection, SyncFailure, sync_configured

logger = logging.getLogger("motcua.integrations.catalog_sync")

# Catalog keys the national record decides (applied); the rest of a record is this province's.
APPLIED_KEYS = ("name", "field_name", "level", "competent_authority", "statutory_time", "time_rule", "fees",
                "required_documents", "result_type", "legal_basis", "effective_from")
INFORMATION_KEYS = ("steps", "requirements", "applicants", "agencies", "status")
LABELS: dict[str, Any] = {
    "name": gettext_lazy("Procedure name"),
    "field_name": gettext_lazy("Field"),
    "level": gettext_lazy("Level"),
    "competent_authority": gettext_lazy("Competent authority"),
    "statutory_time": gettext_lazy("Time limit"),
    "time_rule": gettext_lazy("Time limit as published"),
    "fees": gettext_lazy("Fees and charges"),
    "required_documents": gettext_lazy("Required documents"),
    "result_type": gettext_lazy("Result"),
    "legal_basis": gettext_lazy("Legal basis"),
    "effective_from": gettext_lazy("Effective from"),
    "steps": gettext_lazy("Steps (local process kept)"),
    "requirements": gettext_lazy("Requirements and conditions"),
    "applicants": gettext_lazy("Who may apply"),
    "agencies": gettext_lazy("Agencies (e-ID codes)"),
    "status": pgettext_lazy("national record", "Status"),
}


class CatalogSyncError(UserError):
    """A pull or an apply that changed nothing; `errors` lists the records refused, if any."""

    def __init__(self, code: str, message_vi: str, message_en: str, errors: Sequence[Any] = ()) -> None:
        super().__init__(code, message_vi, message_en)
        self.errors = list(errors)

    @property
    def message(self) -> str:
        return user_message(self)


def _not_configured() -> CatalogSyncError:
    return CatalogSyncError("not_configured", "Chưa cấu hình kết nối Cổng Dịch vụ công quốc gia.",
                            "The national portal connection is not configured.")


def _unavailable(exc: SyncFailure) -> CatalogSyncError:
    if isinstance(exc.__cause__, MalformedResponse):
        return CatalogSyncError("malformed", "Cổng Dịch vụ công quốc gia trả về dữ liệu không đọc được. Không có "
                                "thay đổi nào được áp dụng.", "The national portal sent data that cannot be read. "
                                "Nothing was applied.")
    return CatalogSyncError("unavailable", "Không kết nối được Cổng Dịch vụ công quốc gia. Hãy thử lại sau.",
                            "The national portal cannot be reached. Please try again later.")


def _refused(answer: portal.PortalAnswer) -> CatalogSyncError:
    return CatalogSyncError("refused", f"Cổng Dịch vụ công quốc gia từ chối yêu cầu (mã {answer.error_code}).",
                            f"The national portal refused the request (code {answer.error_code}).")


# --- talking to the portal -----------------------------------------------------------------------------------------

class CatalogSource:
    """The portal's share endpoint, with the sync's cached session (one re-login on "session expired")."""

    def __init__(self, *, transport: Any = None) -> None:
        if not sync_configured():
            raise _not_configured()
        self.connection = PortalConnection(transport=transport)
        self.agency_code = self.connection.agency_code

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> CatalogSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, service: str, key: str, build: Callable[[str], dict[str, Any]],
              parse: Callable[[bytes], Any]) -> Any:
        try:
            value = self.connection.operation(build, service=service, key=key,
                                              path=settings.MOTCUA_NATIONAL_PORTAL_SHARE_PATH,
                                              parse=lambda response: parse(response.content))
        except SyncFailure as exc:
            raise _unavailable(exc) from exc
        answer = value[0]
        if not answer.ok:
            raise _refused(answer)
        return value[1]

    def procedure(self, code: str) -> portal.NationalProcedure:
        found = self._call(portal.SERVICE_GET_PROCEDURE, f"{portal.SERVICE_GET_PROCEDURE}:{code}",
                           lambda s: portal.build_procedure_request(s, self.agency_code, code),
                           portal.parse_procedure_answer)
        if found is None or found.code != code:
            raise CatalogSyncError("not_found", f"Không có thủ tục mã {code} trên CSDL quốc gia về TTHC.",
                                   f"No procedure with code {code} in the national procedures database.")
        return found  # type: ignore[no-any-return]

    def province_codes(self) -> list[str]:
        pairs = self._call(portal.SERVICE_LIST_PROCEDURES, portal.SERVICE_LIST_PROCEDURES,
                           lambda s: portal.build_list_procedures_request(s, self.agency_code),
                           portal.parse_procedure_list)
        return [code for code, _name in pairs]

    def fields(self) -> list[portal.NationalField]:
        return self._call(portal.SERVICE_LIST_FIELDS, portal.SERVICE_LIST_FIELDS,  # type: ignore[no-any-return]
                          lambda s: portal.build_list_fields_request(s, self.agency_code), portal.parse_field_list)

    def agencies(self) -> list[portal.NationalAgency]:
        return self._call(portal.SERVICE_LIST_AGENCIES, portal.SERVICE_LIST_AGENCIES,  # type: ignore[no-any-return]
                          lambda s: portal.build_list_agencies_request(s, self.agency_code),
                          portal.parse_agency_list)


# --- snapshots -----------------------------------------------------------------------------------------------------

def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return portal.format_portal_datetime(value)
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    return value


def record_of(procedure: portal.NationalProcedure) -> dict[str, Any]:
    return _to_json(dataclasses.asdict(procedure))  # type: ignore[no-any-return]


def national_of(snapshot: NationalProcedure) -> portal.NationalProcedure:
    data = dict(snapshot.record)
    data["fields"] = tuple(tuple(f) for f in data.get("fields", []))
    data["agencies"] = tuple(tuple(a) for a in data.get("agencies", []))
    data["fees"] = tuple(portal.NationalFee(**f) for f in data.get("fees", []))
    data["online_fees"] = tuple(portal.NationalFee(**f) for f in data.get("online_fees", []))
    data["documents"] = tuple(portal.NationalDocument(**d) for d in data.get("documents", []))
    for key in ("channels", "steps", "results", "legal_basis", "applicants"):
        data[key] = tuple(data.get(key, []))
    for key in ("decided_at", "effective_at", "published_at"):
        data[key] = portal.parse_portal_datetime(data.get(key, ""))
    return portal.NationalProcedure(**data)


def _digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.date() if moment is not None else None


def store(national: portal.NationalProcedure, *, actor: Any = None, now: dt.datetime | None = None
          ) -> NationalProcedure:
    """Keep NATIONAL as its code's snapshot, with the keys that differ from the local current version. Audited.
    The same content pulled again keeps its digest and `content_since`."""
    now = now or timezone.now()
    record = record_of(national)
    digest = _digest(record)
    with transaction.atomic():
        # get_or_create first: two pulls of a new code at once make one row (it retries the read on a conflict).
        NationalProcedure.objects.get_or_create(national_code=national.code, defaults={
            "name": national.name[:500], "digest": "", "content_since": now, "fetched_at": now})
        snapshot = NationalProcedure.objects.select_for_update().get(national_code=national.code)
        if snapshot.digest != digest:
            snapshot.content_since = now
        snapshot.name = national.name[:500]
        snapshot.record, snapshot.digest, snapshot.fetched_at, snapshot.status = record, digest, now, national.status
        snapshot.decided_on, snapshot.effective_on = _day(national.decided_at), _day(national.effective_at)
        snapshot.published_on = _day(national.published_at)
        _compare(snapshot)
        snapshot.save()
        CatalogSyncAct.objects.create(kind=CatalogSyncAct.Kind.PULL, national_code=national.code, digest=digest,
                                      differences=snapshot.differences, actor=actor,
                                      outcome="differs" if snapshot.differences else "same")
    return snapshot


def _compare(snapshot: NationalProcedure) -> None:
    """Set the snapshot's differing keys against the local current version; a local version that already equals
    the national content counts as the national content published here (at that version's creation)."""
    procedure = _local(snapshot.national_code)
    version = procedure.current_version if procedure else None
    snapshot.compared_version = version
    snapshot.differences = [row.key for row in diff(snapshot, procedure) if row.changed and row.applied]
    if version is not None and not snapshot.differences and snapshot.applied_digest != snapshot.digest:
        snapshot.applied_digest, snapshot.applied_at = snapshot.digest, version.created_at


def _local(code: str) -> Procedure | None:
    return (Procedure.objects.select_related("field", "current_version").prefetch_related("competent_agencies")
            .filter(national_code=code).first())


@dataclass
class PullReport:
    snapshots: list[NationalProcedure] = field(default_factory=list)
    errors: dict[str, CatalogSyncError] = field(default_factory=dict)

    @property
    def differing(self) -> list[NationalProcedure]:
        return [s for s in self.snapshots if s.differences or s.compared_version_id is None]


def pull(codes: Iterable[str], *, actor: Any = None, transport: Any = None) -> PullReport:
    """Pull each national code and keep its snapshot. An unknown code or a malformed record is reported for that
    code (nothing stored for it); an unreachable portal raises `CatalogSyncError`."""
    report = PullReport()
    with CatalogSource(transport=transport) as source:
        for code in dict.fromkeys(c.strip() for c in codes if c.strip()):
            try:
                national = source.procedure(code)
            except CatalogSyncError as exc:
                if exc.code in ("unavailable",):
                    raise
                report.errors[code] = exc
                continue
            except portal.PortalMessageError as exc:  # pragma: no cover - parsed inside the client
                report.errors[code] = CatalogSyncError("malformed", str(exc), str(exc))
                continue
            report.snapshots.append(store(national, actor=actor))
    return report


def pull_all(*, actor: Any = None, transport: Any = None) -> PullReport:
    """Every procedure of the province (`LayDanhSachTTHC`), then each one's record."""
    with CatalogSource(transport=transport) as source:
        codes = source.province_codes()
    return pull(codes, actor=actor, transport=transport)


# --- the record to apply -------------------------------------------------------------------------------------------

def _slug(text: str, taken: set[str]) -> str:
    words = [w for w in re.split(r"[^a-z0-9]+", fold(text)) if w]
    base = "_".join(words)[:44].strip("_") or "giay_to"
    if not base[0].isalpha():
        base = f"gt_{base}"[:44]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    taken.add(slug)
    return slug


def _documents(national: portal.NationalProcedure, local: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The national documents: those this province lists too keep its entry (code, form, reuse, note) and its order;
    new ones follow in the national order; those the national record no longer lists are dropped."""
    wanted = {fold(d.name) for d in national.documents}
    result = [d for d in local if fold(d["name"]) in wanted]
    have = {fold(d["name"]) for d in result}
    taken = {str(d.get("code")) for d in local if d.get("code")}
    for doc in national.documents:
        if fold(doc.name) in have:
            continue
        have.add(fold(doc.name))
        item: dict[str, Any] = {"code": _slug(doc.name, taken), "name": doc.name,
                                "form": "copy" if doc.copy_allowed else "original", "quantity": doc.quantity,
                                "mandatory": not doc.case, "reusable": False}
        if doc.case:
            item["note"] = doc.case
        result.append(item)
    return result


def _fees(national: portal.NationalProcedure, local: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_name = {fold(f["name"]): f for f in local}
    result = []
    for line in portal.national_fee_lines(national):
        mine = by_name.get(fold(line["name"]))
        if mine is not None:  # keep what only this province says (exemptions, note, maximum, unit, kind)
            kept = {k: v for k, v in mine.items()
                    if k in ("exempt", "note", "maximum", "unit", "online_amount", "kind")}
            if line["kind"] == "per_item":  # the portal gave no plain amount: its text says how it is charged
                kept.pop("kind", None)
            line = {**line, **{k: v for k, v in kept.items() if k not in line or k == "kind"}}
        result.append(line)
    return result


def fit_steps(definition: dict[str, Any], days: Decimal) -> dict[str, Any]:
    """The local steps with their days rescaled to add up to DAYS (halves of a day; the longest step takes the
    rounding), keys, agencies, roles and actions unchanged."""
    steps = [dict(s) for s in definition.get("steps", [])]
    total = sum((Decimal(str(s["days"])) for s in steps), Decimal(0))
    if not steps or total == days:
        return {**definition, "steps": steps}
    half = Decimal("0.5")
    if total > 0:
        for s in steps:
            share = Decimal(str(s["days"])) * days / total
            s["days"] = (share / half).quantize(Decimal(1), ROUND_HALF_UP) * half
    else:
        for s in steps:
            s["days"] = Decimal(0)
    longest = max(range(len(steps)), key=lambda i: (Decimal(str(steps[i]["days"])), -i))
    steps[longest]["days"] = Decimal(str(steps[longest]["days"])) + days - sum(Decimal(str(s["days"])) for s in steps)
    if steps[longest]["days"] < 0:  # pragma: no cover - rounding to halves never overshoots by more than a step
        steps[longest]["days"] = Decimal(0)
    for s in steps:
        s["days"] = format(Decimal(str(s["days"])).normalize(), "f")
    return {**definition, "steps": steps}


DEFAULT_STEPS: list[dict[str, Any]] = [
    {"key": "tiep_nhan", "name": "Tiếp nhận, kiểm tra hồ sơ", "agency": "receiving", "role": "clerk", "days": "0",
     "actions": ["forward", "request_supplement", "refuse"]},
    {"key": "xu_ly", "name": "Thẩm định, xử lý hồ sơ", "agency": "competent", "role": "specialist", "days": "1",
     "actions": ["forward", "send_back", "request_supplement", "refuse"]},
    {"key": "phe_duyet", "name": "Lãnh đạo phê duyệt, ký kết quả", "agency": "competent", "role": "leader",
     "days": "0", "actions": ["approve", "sign", "send_back", "refuse"]},
    {"key": "tra_ket_qua", "name": "Trả kết quả", "agency": "receiving", "role": "clerk", "days": "0",
     "actions": ["return_result"]},
]
"""The process a new national procedure starts with (unpublished): the admin adapts it before offering it."""


def _field_for(national: portal.NationalProcedure) -> tuple[str, str]:
    """(local field code, name) for the national field: matched by MALINHVUC, else by name; else a new field
    under the national code."""
    if not national.fields:
        return "", ""
    code, name = national.fields[0]
    local = (Field.objects.filter(national_code=code).first() if code else None) or next(
        (f for f in Field.objects.all() if fold(f.name) == fold(name)), None)
    if local is not None:
        return local.code, name
    return (code or _slug(name, set()))[:40], name


def proposed_record(snapshot: NationalProcedure, procedure: Procedure | None) -> dict[str, Any]:
    """The catalog record (docs/catalog-format.md) the snapshot would make: the national content over this
    province's set-up (or, for an unknown procedure, a starting set-up)."""
    national = national_of(snapshot)
    field_code, field_name = _field_for(national)
    if procedure is not None and procedure.current_version is not None:
        record = export_record(procedure)
    else:
        matched = sorted(Agency.objects.filter(eid_code__in=[c for c, _n in national.agencies if c])
                         .values_list("eid_code", flat=True))
        online = portal.CHANNEL_ONLINE in national.channels
        record = {"national_code": national.code, "level": ProcedureLevel.PROVINCE,
                  "service_level": "mot_phan" if online else "truc_tiep",
                  "competent_agencies": matched, "keywords": [], "statutory_days": "0",
                  "statutory_unit": TimeUnit.WORKING_DAYS, "time_rule": "", "fees": [], "required_documents": [],
                  "eform_schema": {}, "legal_basis": [], "process_definition": {"steps": DEFAULT_STEPS},
                  "source_url": "", "effective_from": snapshot.content_since.date().isoformat(),
                  "competent_authority": "", "result_type": ""}
    local_hash = content_hash(normalize_record(record)) if procedure is not None else ""
    record = dict(record)
    record["name"] = national.name
    if field_name:
        record["field_code"], record["field_name"] = field_code, field_name
    if national.level:
        record["level"] = national.level
    if national.agencies:
        record["competent_authority"] = "; ".join(name for _c, name in national.agencies)[:500]
    if national.statutory_days is not None:
        record["statutory_days"] = national.statutory_days
        record["statutory_unit"] = national.statutory_unit
    if national.time_rule:
        record["time_rule"] = national.time_rule
    if national.fees:
        record["fees"] = _fees(national, list(record.get("fees", [])))
    if national.documents:
        record["required_documents"] = _documents(national, list(record.get("required_documents", [])))
    if national.results:
        record["result_type"] = "; ".join(national.results)[:500]
    if national.legal_basis:
        record["legal_basis"] = list(national.legal_basis)
    record["process_definition"] = fit_steps(dict(record["process_definition"]),
                                             Decimal(str(record["statutory_days"])))
    if national.effective_at is not None:
        record["effective_from"] = national.effective_at.date().isoformat()
    elif procedure is not None and content_hash(normalize_record(record)) != local_hash:
        record["effective_from"] = snapshot.content_since.date().isoformat()  # stable for the same content
    return record


# --- diff ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DiffRow:
    key: str
    local: str
    national: str
    changed: bool
    applied: bool  # False: shown for information, the local value stays

    @property
    def label(self) -> str:
        return str(LABELS[self.key])


def _days_text(days: Any, unit: str) -> str:
    if days in (None, ""):
        return ""
    number = format(Decimal(str(days)).normalize(), "f")
    return _("%(days)s %(unit)s") % {"days": number, "unit": TimeUnit(unit).label if unit in TimeUnit.values
                                      else unit}


def _fee_text(line: dict[str, Any]) -> str:
    amount = f"{int(line.get('amount', 0)):,}".replace(",", ".")
    text = f"{line['name']}: {amount} đ"
    if line.get("kind") == "per_item" and line.get("unit"):
        text += f" / {line['unit']}"
    if "online_amount" in line:
        online = f"{int(line['online_amount']):,}".replace(",", ".")
        text += " " + _("(online: %(amount)s đ)") % {"amount": online}
    return text


def _doc_text(doc: dict[str, Any]) -> str:
    return f"{doc['name']} ({doc.get('quantity', 1)})"


def _lines(values: Iterable[str]) -> str:
    return "\n".join(v for v in values if v)


def _view(record: dict[str, Any] | None) -> dict[str, str]:
    if record is None:
        return dict.fromkeys(APPLIED_KEYS, "")
    level = record.get("level", "")
    return {
        "name": record.get("name", ""),
        "field_name": record.get("field_name", ""),
        "level": str(ProcedureLevel(level).label) if level in ProcedureLevel.values else level,
        "competent_authority": record.get("competent_authority", ""),
        "statutory_time": _days_text(record.get("statutory_days"), record.get("statutory_unit", "working_days")),
        "time_rule": record.get("time_rule", ""),
        "fees": _lines(_fee_text(f) for f in record.get("fees", [])),
        "required_documents": _lines(_doc_text(d) for d in record.get("required_documents", [])),
        "result_type": record.get("result_type", ""),
        "legal_basis": _lines(record.get("legal_basis", [])),
        "effective_from": _date_text(record.get("effective_from", "")),
    }


def _date_text(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
    except ValueError:
        return text


def diff(snapshot: NationalProcedure, procedure: Procedure | None = None) -> list[DiffRow]:
    """Field-by-field rows: the local current version against what applying the snapshot would publish, then the
    national parts this province keeps its own (steps, agencies) or has no place for (requirements, who may
    apply), shown for information."""
    if procedure is None:
        procedure = _local(snapshot.national_code)
    has_local = procedure is not None and procedure.current_version is not None
    local_record = export_record(procedure) if has_local and procedure is not None else None
    national = national_of(snapshot)
    proposed = _view(proposed_record(snapshot, procedure if has_local else None))
    local = _view(local_record)
    rows = [DiffRow(key, local[key], proposed[key], local[key] != proposed[key], True) for key in APPLIED_KEYS]
    local_steps = _lines(s["name"] for s in (local_record or {}).get("process_definition", {}).get("steps", []))
    local_agencies = _lines(f"{a.name} ({a.eid_code})" for a in procedure.competent_agencies.all()) \
        if procedure is not None else ""
    known = set(Agency.objects.filter(eid_code__in=[c for c, _n in national.agencies]).values_list("eid_code",
                                                                                                   flat=True))
    national_agencies = _lines(f"{name} ({code or '—'})" + ("" if code in known else " — " + _("no local agency"))
                               for code, name in national.agencies)
    status = _("in force") if national.in_force else _("not in force (%(code)s)") % {"code": national.status}
    info = {
        "steps": (local_steps, _lines(national.steps)),
        "requirements": ("", national.requirements),
        "applicants": ("", _lines(national.applicants)),
        "agencies": (local_agencies, national_agencies),
        "status": ("", status),
    }
    rows.extend(DiffRow(key, lv, nv, lv != nv, False) for key, (lv, nv) in info.items())
    return rows


# --- apply ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ApplyResult:
    national_code: str
    outcome: str  # created / new_version / unchanged
    version_number: int | None


def apply(national_code: str, digest: str, *, actor: Any) -> ApplyResult:
    """Publish the snapshot of NATIONAL_CODE whose digest is DIGEST (the one the admin saw) as a new version.
    All or nothing; audited (a refusal too); the same snapshot applied again changes nothing."""
    try:
        return _apply(national_code, digest, actor=actor)
    except CatalogSyncError as exc:
        CatalogSyncAct.objects.create(kind=CatalogSyncAct.Kind.APPLY, national_code=national_code[:40],
                                      digest=digest[:64], outcome=f"refused: {exc.code}", actor=actor)
        raise


def _apply(national_code: str, digest: str, *, actor: Any) -> ApplyResult:
    with transaction.atomic():
        snapshot = NationalProcedure.objects.select_for_update().filter(national_code=national_code).first()
        if snapshot is None or snapshot.digest != digest:
            raise CatalogSyncError("stale", "Bản ghi quốc gia đã thay đổi hoặc chưa được tải về. Hãy tải lại rồi "
                                   "xem lại khác biệt trước khi áp dụng.", "The national record changed or was "
                                   "not pulled. Please pull it again and review the differences before applying.")
        if not national_of(snapshot).in_force:
            raise CatalogSyncError("not_in_force", "Thủ tục không còn hiệu lực trên CSDL quốc gia; không áp dụng.",
                                   "The procedure is no longer in force nationally; nothing was applied.")
        procedure = _local(national_code)
        existed = procedure is not None and procedure.current_version is not None
        record = proposed_record(snapshot, procedure if existed else None)
        if not existed and national_of(snapshot).statutory_days is None:
            raise CatalogSyncError("incomplete", "Bản ghi quốc gia không có thời hạn giải quyết; chưa thể tạo thủ "
                                   "tục.", "The national record has no time limit; the procedure cannot be created.")
        try:
            report = import_catalog([record])
        except CatalogImportError as exc:
            raise CatalogSyncError("invalid", "Không áp dụng được: bản ghi tạo ra không hợp lệ (chi tiết bên dưới).",
                                   "Cannot apply: the resulting record is not valid (details below).",
                                   exc.errors) from exc
        procedure = Procedure.objects.select_related("current_version").get(national_code=national_code)
        if national_code in report.created:
            outcome = "created"
            procedure.is_active = False  # unpublished until the admin completes it
            procedure.save(update_fields=["is_active"])
        elif national_code in report.new_versions:
            outcome = "new_version"
        else:
            outcome = "unchanged"
        version = procedure.current_version
        if version is not None:
            Field.objects.filter(code=record["field_code"], national_code="").update(
                national_code=next(iter(c for c, _n in national_of(snapshot).fields), ""))
        if outcome != "unchanged" or snapshot.applied_digest != snapshot.digest:
            snapshot.applied_digest, snapshot.applied_at = snapshot.digest, version.created_at if version else None
        snapshot.compared_version = version
        snapshot.differences = []
        snapshot.save()
        CatalogSyncAct.objects.create(kind=CatalogSyncAct.Kind.APPLY, national_code=national_code, digest=digest,
                                      differences=[], outcome=outcome, version=version, actor=actor)
    logger.info("catalog sync: %s applied by user %s: %s", national_code, getattr(actor, "pk", None), outcome)
    return ApplyResult(national_code, outcome, version.number if version else None)


# --- fields and agencies -------------------------------------------------------------------------------------------

@dataclass
class FieldSyncReport:
    matched: list[tuple[str, str]] = field(default_factory=list)  # (local code, national code)
    unmatched: list[portal.NationalField] = field(default_factory=list)


def sync_fields(*, transport: Any = None) -> FieldSyncReport:
    """`LayDanhMucLinhVuc`: record MALINHVUC on each local field of the same name (or already carrying it).
    National fields with no local counterpart are listed, not created (a procedure's apply creates its own)."""
    with CatalogSource(transport=transport) as source:
        national = source.fields()
    report = FieldSyncReport()
    locals_ = list(Field.objects.all())
    with transaction.atomic():
        for item in national:
            local = next((f for f in locals_ if f.national_code == item.code), None) or next(
                (f for f in locals_ if not f.national_code and fold(f.name) == fold(item.name)), None)
            if local is None:
                report.unmatched.append(item)
                continue
            if local.national_code != item.code:
                local.national_code = item.code
                local.save(update_fields=["national_code"])
            report.matched.append((local.code, item.code))
    return report


@dataclass(frozen=True)
class AgencyMatch:
    national: portal.NationalAgency
    local: Agency | None

    @property
    def same_name(self) -> bool:
        return self.local is not None and fold(self.local.name) == fold(self.national.name)


def match_agencies(*, transport: Any = None) -> list[AgencyMatch]:
    """`LayDanhMucCoQuan`: each national agency with the local agency of the same e-ID code (MADONVI), if any."""
    with CatalogSource(transport=transport) as source:
        national = source.agencies()
    local = {a.eid_code: a for a in Agency.objects.filter(eid_code__in=[n.code for n in national])}
    return [AgencyMatch(n, local.get(n.code)) for n in national]
