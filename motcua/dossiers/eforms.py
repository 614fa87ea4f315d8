"""Render a procedure's e-form (JSON Schema) as HTML fields, and read the posted values back into JSON.

Supported: objects (as fieldsets, nested), strings (text, `format: date` → date input, `enum` → select),
integers and numbers, arrays of strings (one item per line). Field names are JSON paths joined by "__".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

ORDER_KEY = "x-order"


def with_property_order(schema: dict[str, Any]) -> dict[str, Any]:
    """SCHEMA with "x-order" lists recording the authored order of its properties (recursively).

    PostgreSQL's jsonb keeps object keys in its own order, so the order in which an officer wrote the
    questions must be stored explicitly. JSON Schema ignores unknown keywords such as this one.
    """
    if not isinstance(schema, dict):
        return schema
    result = {k: (with_property_order(v) if isinstance(v, dict) else v) for k, v in schema.items()}
    if isinstance(schema.get("properties"), dict):
        result["properties"] = {k: with_property_order(v) for k, v in schema["properties"].items()}
        result[ORDER_KEY] = list(schema.get(ORDER_KEY) or schema["properties"].keys())
    return result


def ordered_properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The schema's properties in the authored order ("x-order"), then any not listed."""
    properties: dict[str, Any] = schema.get("properties", {})
    order = [k for k in schema.get(ORDER_KEY, []) if k in properties]
    return [(k, properties[k]) for k in order + sorted(k for k in properties if k not in order)]


ENUM_LABELS = {"nam": "Nam", "nu": "Nữ", "truc_tiep": "Nhận trực tiếp", "buu_chinh": "Qua bưu chính",
               "ho_ten": "Họ tên", "so_giay_to_tuy_than": "Số giấy tờ tùy thân", "dia_chi": "Địa chỉ"}


@dataclass
class FormField:
    name: str
    label: str
    kind: str  # text, date, number, select, lines, group
    required: bool = False
    value: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    children: list[FormField] = field(default_factory=list)
    error: str = ""


def build_fields(schema: dict[str, Any], data: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                 prefix: str = "") -> list[FormField]:
    data = data or {}
    errors = errors or {}
    required = set(schema.get("required", []))
    fields = []
    for key, spec in ordered_properties(schema):
        name = f"{prefix}__{key}" if prefix else key
        label = spec.get("title", key)
        value = data.get(key)
        if spec.get("type") == "object":
            fields.append(FormField(name=name, label=label, kind="group", required=key in required,
                                    children=build_fields(spec, value if isinstance(value, dict) else {}, errors,
                                                          name)))
            continue
        if "enum" in spec:
            kind = "select"
        elif spec.get("format") == "date":
            kind = "date"
        elif spec.get("type") in ("integer", "number"):
            kind = "number"
        elif spec.get("type") == "array":
            kind = "lines"
        else:
            kind = "text"
        shown = "\n".join(value) if isinstance(value, list) else ("" if value is None else str(value))
        fields.append(FormField(
            name=name, label=label, kind=kind, required=key in required, value=shown,
            choices=[(str(v), ENUM_LABELS.get(str(v), str(v))) for v in spec.get("enum", [])],
            error=errors.get(name.replace("__", "/"), ""),
        ))
    return fields


def read_values(schema: dict[str, Any], post: QueryDict, prefix: str = "") -> dict[str, Any]:
    """The posted values as JSON of the schema's types; empty answers are left out (so `required` catches them).
    A value that cannot be converted is kept as text, for the schema validation to report."""
    result: dict[str, Any] = {}
    for key, spec in ordered_properties(schema):
        name = f"{prefix}__{key}" if prefix else key
        if spec.get("type") == "object":
            nested = read_values(spec, post, name)
            if nested:
                result[key] = nested
            continue
        raw = post.get(name, "").strip()
        if raw == "":
            continue
        kind = spec.get("type")
        if kind == "integer":
            try:
                result[key] = int(raw.replace(".", "").replace(",", ""))
            except ValueError:
                result[key] = raw
        elif kind == "number":
            try:
                result[key] = float(raw.replace(",", "."))
            except ValueError:
                result[key] = raw
        elif kind == "array":
            result[key] = [line.strip() for line in raw.splitlines() if line.strip()]
        else:
            result[key] = raw
    return result
