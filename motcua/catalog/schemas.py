"""The exchange format of a procedure (JSON import/export) and its validation.

One record per procedure; the same record shape is produced from an Excel workbook. Validation returns every
problem found (never stops at the first), each located by a JSON path inside the record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError

from motcua.catalog.models import ProcedureLevel, ServiceLevel
from motcua.identity.models import AssuranceLevel

EXCHANGE_FORMAT = "motcua.catalog/1"

# What a process step may allow. The workflow engine (dossiers app) gives each its meaning.
STEP_ACTIONS = (
    "forward",             # chuyển bước tiếp theo
    "send_back",           # trả lại bước trước
    "request_supplement",  # yêu cầu bổ sung, hoàn thiện hồ sơ (dừng tính thời gian)
    "refuse",              # từ chối giải quyết
    "pause_for_fees",      # tạm dừng chờ thực hiện nghĩa vụ tài chính
    "hand_off",            # chuyển liên thông sang cơ quan khác
    "approve",             # phê duyệt
    "sign",                # ký số kết quả
    "return_result",       # trả kết quả
)
STEP_ROLES = ("clerk", "specialist", "leader")
STEP_KINDS = ("internal", "external")  # motcua.dossiers.external
# The outside systems an external step may name; each has its handler in `motcua.dossiers.external.HANDLERS`.
EXTERNAL_SYSTEMS = ("tax_authority", "treasury", "edxml")
# Checks the workflow engine can make by itself to complete a step (`motcua.dossiers.effects.AUTOMATIC_CHECKS`).
AUTOMATIC_STEPS = ("population_check",)  # đối chiếu với CSDL quốc gia về dân cư
STEP_AGENCIES = ("receiving", "competent")  # or an agency function such as "tax"
DOCUMENT_FORMS = ("original", "copy", "certified_copy", "original_or_copy", "electronic")
FEE_KINDS = ("fixed", "per_item")

_slug = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "maxLength": 50}
_text = {"type": "string", "minLength": 1}

PROCEDURE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": [
        "national_code", "name", "field_code", "field_name", "level", "service_level", "competent_authority",
        "statutory_days", "result_type", "process_definition", "effective_from",
    ],
    "additionalProperties": False,
    "properties": {
        "national_code": {"type": "string", "pattern": r"^[0-9]\.[0-9]{6}(\.[0-9A-Z.]+)?$"},
        "name": {**_text, "maxLength": 500},
        "field_code": {**_text, "maxLength": 40},
        "field_name": {**_text, "maxLength": 255},
        "level": {"enum": list(ProcedureLevel.values)},
        "service_level": {"enum": list(ServiceLevel.values)},
        "competent_authority": {**_text, "maxLength": 500},
        "competent_agencies": {"type": "array", "items": _text, "uniqueItems": True},
        "keywords": {"type": "array", "items": {**_text, "maxLength": 200}},
        "statutory_days": {"type": ["string", "number"]},
        "statutory_unit": {"enum": ["working_days", "calendar_days"]},
        "time_rule": {"type": "string"},
        "fees": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "amount"],
                "additionalProperties": False,
                "properties": {
                    "name": _text,
                    "kind": {"enum": list(FEE_KINDS)},
                    "amount": {"type": "integer", "minimum": 0},
                    "online_amount": {"type": "integer", "minimum": 0},
                    "unit": {"type": "string"},
                    "maximum": {"type": "integer", "minimum": 0},
                    "exempt": {"type": "array", "items": _text},
                    "note": {"type": "string"},
                },
            },
        },
        "required_documents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "form", "quantity"],
                "additionalProperties": False,
                "properties": {
                    "code": _slug,
                    "name": _text,
                    "form": {"enum": list(DOCUMENT_FORMS)},
                    "quantity": {"type": "integer", "minimum": 1},
                    "mandatory": {"type": "boolean"},
                    "reusable": {"type": "boolean"},
                    "note": {"type": "string"},
                },
            },
        },
        "eform_schema": {"type": "object"},
        "result_type": {**_text, "maxLength": 500},
        "legal_basis": {"type": "array", "items": _text},
        "process_definition": {
            "type": "object",
            "required": ["steps"],
            "additionalProperties": False,
            "properties": {
                "steps": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["key", "name", "agency", "role", "days", "actions"],
                        "additionalProperties": False,
                        "properties": {
                            "key": _slug,
                            "name": _text,
                            "agency": _slug,
                            "role": {"enum": list(STEP_ROLES)},
                            "days": {"type": ["string", "number"]},
                            "actions": {
                                "type": "array", "minItems": 1, "uniqueItems": True,
                                "items": {"enum": list(STEP_ACTIONS)},
                            },
                            # internal (staff in motcua, the default) or external (a system through an adapter;
                            # docs/land-tax-exchange.md): the system's name and when its staff take over by hand.
                            "kind": {"enum": list(STEP_KINDS)},
                            "system": _slug,
                            "fallback_after_hours": {"type": ["string", "number"]},
                            "automatic": {"enum": list(AUTOMATIC_STEPS)},
                        },
                    },
                }
            },
        },
        "source_url": {"type": "string"},
        "effective_from": {"type": "string", "format": "date"},
        # The lowest electronic identification level of a citizen applying online (absent: 0, none required).
        "min_assurance_level": {"enum": list(AssuranceLevel.values)},
    },
}
_VALIDATOR = Draft202012Validator(PROCEDURE_SCHEMA)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record, located by a JSON path ("" is the record itself)."""

    path: str
    code: str
    message_vi: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.message_vi} ({self.message_en})"


def _decimal(value: Any) -> Decimal | None:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


_TYPE_NAMES = {
    "string": ("văn bản", "text"), "number": ("một số", "a number"), "integer": ("một số nguyên", "a whole number"),
    "boolean": ("«Có» hoặc «Không»", "yes or no"), "array": ("một danh sách", "a list"),
    "object": ("một đối tượng JSON", "a JSON object"), "null": ("trống", "empty"),
}
_REQUIRED = re.compile(r"^'(?P<name>[^']+)' is a required property$")


def _schema_problem(error: ValidationError) -> Problem:
    """A jsonschema error said in plain words, in both languages, at the path of the value concerned.

    jsonschema's own messages ("'' should be non-empty") are English and name no fix; the user sees one of these
    instead, in the language they chose.
    """
    path = "/".join(str(p) for p in error.absolute_path)
    kind = str(error.validator)
    value: Any = error.validator_value
    instance: Any = error.instance
    schema: Any = error.schema
    if kind == "required":
        match = _REQUIRED.match(error.message)
        if match:  # said at the missing value's own place (the column to fill in), not at the record
            path = f"{path}/{match['name']}" if path else match["name"]
        return Problem(path, "required", "Thiếu giá trị bắt buộc. Hãy điền giá trị này.",
                       "A required value is missing. Please fill it in.")
    if kind == "minLength" and error.instance == "":
        return Problem(path, "empty", "Giá trị này đang để trống. Hãy điền giá trị này.",
                       "This value is empty. Please fill it in.")
    if kind == "maxLength":
        return Problem(path, "too_long", f"Dài quá {value} ký tự. Hãy rút gọn.",
                       f"Longer than {value} characters. Please shorten it.")
    if kind == "enum":
        choices = ", ".join(str(v) for v in value)
        return Problem(path, "not_allowed", f"Giá trị «{error.instance}» không được chấp nhận. Hãy dùng một trong: "
                       f"{choices}.", f"“{error.instance}” is not allowed. Please use one of: {choices}.")
    if kind == "type":
        names = [_TYPE_NAMES.get(t, (t, t)) for t in ([value] if isinstance(value, str) else value)]
        return Problem(path, "wrong_type", "Phải là " + " hoặc ".join(vi for vi, _en in names) + ".",
                       "Must be " + " or ".join(en for _vi, en in names) + ".")
    if kind == "pattern" and path == "national_code":
        return Problem(path, "bad_code", f"Mã thủ tục «{error.instance}» sai dạng. Hãy ghi như 1.001193 "
                       "(một chữ số, dấu chấm, sáu chữ số).", f"The procedure code “{error.instance}” is malformed. "
                       "Please write it like 1.001193 (a digit, a dot, six digits).")
    if kind == "pattern":
        return Problem(path, "bad_slug", f"Mã «{error.instance}» sai dạng. Hãy chỉ dùng chữ thường không dấu, chữ số "
                       "và dấu gạch dưới, bắt đầu bằng chữ cái (ví dụ: to_khai).", f"The key “{error.instance}” is "
                       "malformed. Please use only lower-case letters without accents, digits and underscores, "
                       "starting with a letter (e.g. to_khai).")
    if kind == "minimum":
        return Problem(path, "too_small", f"Phải từ {value} trở lên.", f"Must be {value} or more.")
    if kind == "minItems":
        return Problem(path, "too_few", f"Cần ít nhất {value} mục.", f"At least {value} item(s) are needed.")
    if kind == "uniqueItems":
        return Problem(path, "repeated", "Có giá trị bị lặp lại. Hãy ghi mỗi giá trị một lần.",
                       "A value is repeated. Please list each value once.")
    if kind == "additionalProperties":
        extra = ", ".join(sorted(str(k) for k in instance if k not in schema.get("properties", {})))
        return Problem(path, "unknown_key", f"Có trường không được hỗ trợ: {extra}. Hãy xoá hoặc sửa tên.",
                       f"Unsupported field(s): {extra}. Please remove or rename them.")
    if kind == "format" and value == "date":
        return Problem(path, "bad_date", "Phải là ngày dạng YYYY-MM-DD.", "Must be a date like YYYY-MM-DD.")
    return Problem(path, "schema", "Giá trị không hợp lệ.", f"Invalid value: {error.message}")


def validate_record(
    record: dict[str, Any], *, agency_codes: set[str], agency_functions: set[str], known: Sequence[Problem] = (),
) -> list[Problem]:
    """All problems of one procedure record; an empty list means it can be imported.

    KNOWN are problems already found while reading the record (a workbook cell that is not a number, say): they
    are reported first, and nothing else is said about the values they concern.
    """
    problems = list(known)
    shadowed = {problem.path for problem in known}
    problems.extend(
        problem for problem in (
            _schema_problem(error)
            for error in sorted(_VALIDATOR.iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
        )
        if not any(problem.path == s or problem.path.startswith(s + "/") for s in shadowed)
    )
    broken = {problem.path for problem in problems}

    def intact(path: str) -> bool:
        """No schema problem at PATH or inside it (semantic checks there would only repeat the problem)."""
        return not any(b == path or b.startswith(path + "/") for b in broken)

    statutory = _decimal(record.get("statutory_days"))
    if "statutory_days" in record and intact("statutory_days") and (
        statutory is None or statutory < 0 or statutory > 365
    ):
        problems.append(Problem(
            "statutory_days", "bad_days",
            "Thời hạn giải quyết phải là số ngày làm việc từ 0 đến 365.",
            "The statutory time must be a number of working days from 0 to 365.",
        ))
    if isinstance(record.get("effective_from"), str) and intact("effective_from"):
        try:
            dt.date.fromisoformat(record["effective_from"])
        except ValueError:
            problems.append(Problem(
                "effective_from", "bad_date", "Ngày hiệu lực phải có dạng YYYY-MM-DD.",
                "The effective date must look like YYYY-MM-DD.",
            ))
    if intact("competent_agencies"):
        for code in record.get("competent_agencies", []):
            if code not in agency_codes:
                problems.append(Problem(
                    "competent_agencies", "unknown_agency",
                    f"Không có cơ quan nào mang mã định danh {code}. Hãy kiểm tra lại mã, hoặc thêm cơ quan đó trước.",
                    f"No agency has the e-ID code {code}. Please check the code, or add that agency first.",
                ))
    schema = record.get("eform_schema") or {}
    if schema and intact("eform_schema"):
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            problems.append(Problem(
                "eform_schema", "bad_eform", f"Biểu mẫu điện tử không phải JSON Schema hợp lệ: {exc.message}",
                f"The e-form is not a valid JSON Schema: {exc.message}",
            ))
    definition = record.get("process_definition")
    if isinstance(definition, dict) and isinstance(definition.get("steps"), list) and definition["steps"]:
        steps = definition["steps"]
        if all(intact(f"process_definition/steps/{i}") for i in range(len(steps))) and intact("statutory_days"):
            problems.extend(_process_problems(steps, statutory, agency_functions))
        else:
            problems.extend(
                problem for i, step in enumerate(steps) if isinstance(step, dict)
                for problem in _step_agency_problem(i, step, agency_functions)
                if intact(problem.path)
            )
    return problems


def _step_agency_problem(index: int, step: dict[str, Any], agency_functions: set[str]) -> list[Problem]:
    agency = step.get("agency")
    if not isinstance(agency, str) or agency in STEP_AGENCIES or agency in agency_functions:
        return []
    return [Problem(
        f"process_definition/steps/{index}/agency", "unknown_function",
        f"Không có cơ quan nào thực hiện chức năng «{agency}» trong tỉnh.",
        f"No agency in this province has the function “{agency}”.",
    )]


def _step_kind_problems(index: int, step: dict[str, Any]) -> list[Problem]:
    """An external step names a system motcua has an adapter for; an internal one names none."""
    path = f"process_definition/steps/{index}"
    external = step.get("kind") == "external"
    system = step.get("system")
    if external and system not in EXTERNAL_SYSTEMS:
        known = ", ".join(sorted(EXTERNAL_SYSTEMS))
        return [Problem(f"{path}/system", "unknown_system",
                        f"Bước bên ngoài phải ghi hệ thống được kết nối, một trong: {known}.",
                        f"An external step must name a connected system, one of: {known}.")]
    if not external and system:
        return [Problem(f"{path}/system", "system_on_internal_step",
                        "Chỉ bước bên ngoài (kind = external) mới ghi hệ thống.",
                        "Only an external step (kind = external) names a system.")]
    hours = step.get("fallback_after_hours")
    if hours is not None and ((value := _decimal(hours)) is None or value <= 0):
        return [Problem(f"{path}/fallback_after_hours", "bad_hours",
                        "Số giờ chờ trước khi chuyển xử lý thủ công phải là số dương.",
                        "The hours before the manual fallback must be a positive number.")]
    return []


def _process_problems(
    steps: list[dict[str, Any]], statutory: Decimal | None, agency_functions: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    total = Decimal(0)
    for index, step in enumerate(steps):
        path = f"process_definition/steps/{index}"
        if step["key"] in seen:
            problems.append(Problem(
                f"{path}/key", "duplicate_step", f"Bước {step['key']} bị trùng.", f"Step {step['key']} is repeated.",
            ))
        seen.add(step["key"])
        days = _decimal(step["days"])
        if days is None or days < 0:
            problems.append(Problem(
                f"{path}/days", "bad_days", "Số ngày của bước phải là số không âm.",
                "A step's days must be a non-negative number.",
            ))
        else:
            total += days
        problems.extend(_step_agency_problem(index, step, agency_functions))
        problems.extend(_step_kind_problems(index, step))
    if "return_result" not in steps[-1]["actions"]:
        problems.append(Problem(
            f"process_definition/steps/{len(steps) - 1}/actions", "no_return",
            "Bước cuối cùng phải có thao tác trả kết quả (return_result).",
            "The last step must allow returning the result (return_result).",
        ))
    if statutory is not None and total != statutory:
        problems.append(Problem(
            "process_definition", "days_mismatch",
            f"Tổng số ngày của các bước ({total}) khác thời hạn giải quyết ({statutory}).",
            f"The steps add up to {total} days, not the statutory {statutory}.",
        ))
    return problems
