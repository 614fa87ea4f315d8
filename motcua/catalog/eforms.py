"""Render a procedure's e-form (JSON Schema) as HTML fields, and read the posted values back into JSON.

Supported: objects (as fieldsets, nested), strings (text, `format: date` → date input, `enum` or `oneOf` of
`{const, title}` → select), integers and numbers (`"x-format": "money"` for an amount in đồng), arrays of strings
(one item per line), addresses (`{"type": "object", "x-format": "address"}`: province → commune of the 2025 map,
then street and house, with an old-address converter; docs/addresses.md). Field names are JSON paths joined by
"__"; the control's id is "f-" + name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from jsonschema import Draft202012Validator, FormatChecker

from motcua.directory import addresses

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
FORMAT_KEY = "x-format"  # "money": an amount in đồng, shown as "1.500.000 đ"; "address": see directory.addresses
MONEY = "money"
ADDRESS = "address"
# Posted by the address question's buttons (no script): convert the old address typed into NAME__old, or show
# the communes of the province chosen. The page is shown again with the answers kept, not submitted.
ADDRESS_CONVERT = "address_convert"
ADDRESS_REFRESH = "address_refresh"


def is_group(spec: dict[str, Any]) -> bool:
    """A fieldset of questions (an address is one question, though its answer is an object)."""
    return spec.get("type") == "object" and spec.get(FORMAT_KEY) != ADDRESS


def address_action(post: QueryDict) -> bool:
    """True when the POST only asks to convert an old address or to list a province's communes."""
    return bool(post.get(ADDRESS_CONVERT) or post.get(ADDRESS_REFRESH))


def expand_addresses(schema: dict[str, Any]) -> dict[str, Any]:
    """SCHEMA with every address question replaced by its full JSON Schema (for validation)."""
    if not isinstance(schema, dict):
        return schema
    if schema.get(FORMAT_KEY) == ADDRESS:
        return addresses.address_schema(schema)
    if isinstance(schema.get("properties"), dict):
        return {**schema, "properties": {k: expand_addresses(v) for k, v in schema["properties"].items()}}
    return schema


def choices_of(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """The (value, label) choices of a field: `oneOf`/`anyOf` of `{"const", "title"}`, or `enum` (labelled from
    ENUM_LABELS, for schemas written before titles were given); [] when the field is not a choice."""
    options = spec.get("oneOf") or spec.get("anyOf")
    if isinstance(options, list) and options and all(isinstance(o, dict) and "const" in o for o in options):
        return [(str(o["const"]), str(o.get("title", o["const"]))) for o in options]
    return [(str(v), ENUM_LABELS.get(str(v), str(v))) for v in spec.get("enum", [])]


def kind_of(spec: dict[str, Any]) -> str:
    if spec.get(FORMAT_KEY) == ADDRESS:
        return ADDRESS
    if spec.get(FORMAT_KEY) in ("province", "commune"):
        return "select"
    if spec.get("type") == "object":
        return "group"
    if choices_of(spec):
        return "select"
    if spec.get("format") == "date":
        return "date"
    if spec.get(FORMAT_KEY) == MONEY:
        return "money"
    if spec.get("type") in ("integer", "number"):
        return "number"
    if spec.get("type") == "array":
        return "lines"
    return "text"


def display_value(spec: dict[str, Any], value: Any) -> str:
    """An answer as a person reads it: the choice's label, a date as dd/mm/yyyy, a number grouped in the active
    language's style ("1.500.000"), money with " đ"; text as typed. A value of the wrong type is shown as is."""
    if value is None or value == "":
        return ""
    if spec.get(FORMAT_KEY) == ADDRESS:
        return addresses.address_text(value)
    if isinstance(value, list):
        items = spec.get("items")
        return ", ".join(display_value(items if isinstance(items, dict) else {}, v) for v in value)
    kind = kind_of(spec)
    if kind == "select":
        return dict(choices_of(spec)).get(str(value), str(value))
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return pgettext("e-form answer", "Yes") if value else pgettext("e-form answer", "No")
    if isinstance(value, (int, float)):
        number = int(value) if isinstance(value, float) and value.is_integer() else value
        shown = number_format(number, decimal_pos=0 if kind == MONEY else None, force_grouping=True)
        return f"{shown} đ" if kind == MONEY else shown
    return str(value)


@dataclass
class FormField:
    name: str  # the posted name: the JSON path joined by "__"
    label: str
    kind: str  # text, date, number, money, select, lines, group
    required: bool = False
    value: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    children: list[FormField] = field(default_factory=list)
    error: str = ""
    display: str = ""  # the answer as shown on "check your answers" and to the clerk
    locked: bool = False  # filled from a national database: shown read-only (portal.prefill enforces it)
    address: AddressWidget | None = None  # kind "address": the parts of the question

    @property
    def id(self) -> str:
        """The control's HTML id, which the error summary links to."""
        return f"f-{self.name}"

    @property
    def path(self) -> str:
        """The JSON path ("ben_chuyen_nhuong/so_dinh_danh"), as errors are keyed."""
        return self.name.replace("__", "/")


@dataclass
class AddressWidget:
    """What the address question shows: the 2025 provinces, the communes of the chosen one, the street, and the
    old-address helper (the text typed there, and what converting it gave)."""

    province_code: str
    commune_code: str
    street: str
    provinces: list[tuple[str, str]]
    communes: list[tuple[str, str]]
    errors: dict[str, str]
    old_text: str = ""
    converted: addresses.Conversion | None = None
    convert_error: str = ""


def _address_widget(name: str, value: Any, errors: dict[str, str], post: QueryDict | None) -> AddressWidget:
    from django.conf import settings

    value = value if isinstance(value, dict) else {}
    province = str(value.get("province_code") or (post.get(f"{name}__province_code", "") if post else "")
                   or settings.MOTCUA_PROVINCE_CODE)
    path = name.replace("__", "/")
    widget = AddressWidget(
        province_code=province, commune_code=str(value.get("commune_code", "")), street=str(value.get("street", "")),
        provinces=[(u.code, u.name) for u in addresses.provinces()],
        communes=[(u.code, u.name) for u in addresses.communes_of(province)],
        errors={part: errors[f"{path}/{part}"] for part in addresses.ADDRESS_PARTS if f"{path}/{part}" in errors},
        old_text=post.get(f"{name}__old", "").strip() if post else "",
    )
    if post is not None and post.get(ADDRESS_CONVERT) == name:
        try:
            widget.converted = addresses.convert(widget.old_text)
        except addresses.AddressInputError as exc:
            widget.convert_error = exc.message_en if translation.get_language() == "en" else exc.message_vi
    return widget


def build_fields(schema: dict[str, Any], data: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                 prefix: str = "", post: QueryDict | None = None) -> list[FormField]:
    """The questions of SCHEMA with the answers DATA and the messages ERRORS (keyed by path); POST, when the page
    is shown again after an address button, gives the address helpers what was typed in them."""
    data = data or {}
    errors = errors or {}
    required = set(schema.get("required", []))
    fields = []
    for key, spec in ordered_properties(schema):
        name = f"{prefix}__{key}" if prefix else key
        label = spec.get("title", key)
        value = data.get(key)
        kind = kind_of(spec)
        if kind == ADDRESS:
            shown = display_value(spec, value)
            fields.append(FormField(name=name, label=label, kind=kind, required=key in required, value=shown,
                                    display=shown, error=errors.get(name.replace("__", "/"), ""),
                                    address=_address_widget(name, value, errors, post)))
            continue
        if kind == "group":
            fields.append(FormField(name=name, label=label, kind="group", required=key in required,
                                    children=build_fields(spec, value if isinstance(value, dict) else {}, errors,
                                                          name, post)))
            continue
        shown = "\n".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))
        fields.append(FormField(
            name=name, label=label, kind=kind, required=key in required, value=shown, choices=choices_of(spec),
            error=errors.get(name.replace("__", "/"), ""), display=display_value(spec, value),
        ))
    return fields


def leaf_fields(fields: list[FormField]) -> list[FormField]:
    """The questions (not the groups), in the order they are asked."""
    return [f for top in fields for f in (leaf_fields(top.children) if top.kind == "group" else [top])]


@dataclass
class AnswerSection:
    title: str
    rows: list[FormField]


def answer_sections(fields: list[FormField], title: str = "") -> list[AnswerSection]:
    """FIELDS as sections for "check your answers": the loose questions under TITLE, then one section per group
    (and per group inside a group), each headed by the group's title."""
    rows = [f for f in fields if f.kind != "group"]
    sections = [AnswerSection(title, rows)] if rows else []
    for group in (f for f in fields if f.kind == "group"):
        sections.extend(answer_sections(group.children, group.label))
    return sections


def read_values(schema: dict[str, Any], post: QueryDict, prefix: str = "") -> dict[str, Any]:
    """The posted values as JSON of the schema's types; empty answers are left out (so `required` catches them).
    A value that cannot be converted is kept as text, for the schema validation to report."""
    result: dict[str, Any] = {}
    for key, spec in ordered_properties(schema):
        name = f"{prefix}__{key}" if prefix else key
        if spec.get(FORMAT_KEY) == ADDRESS:
            answer = _read_address(post, name)
            if answer:
                result[key] = answer
            continue
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


def _read_address(post: QueryDict, name: str) -> dict[str, str]:
    """An address question's answer: the codes and street posted (or, after "Chuyển đổi", what the old address
    converts to, the street typed kept); {} when neither a commune nor a street was given."""
    parts = {part: " ".join(post.get(f"{name}__{part}", "").split()) for part in addresses.ADDRESS_PARTS}
    if post.get(ADDRESS_CONVERT) == name:
        try:
            converted = addresses.convert(post.get(f"{name}__old", ""))
        except addresses.AddressInputError:
            converted = None
        if converted is not None and converted.ok:
            parts = {"province_code": converted.province_code, "commune_code": converted.commune_code,
                     "street": parts["street"] or converted.street}
    if not parts["commune_code"] and not parts["street"]:
        return {}
    answer = {k: v for k, v in parts.items() if v}
    text = addresses.address_text(answer)
    if text and not addresses.address_problem(answer):
        answer["text"] = text
    return answer


# --- problems with the answers, one message per question -------------------------------------------------------

def form_errors(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """What is wrong with DATA, one (Vietnamese, English) message per question, keyed by the question's JSON path
    ("ben_chuyen_nhuong/so_dinh_danh") and in the order the questions are asked. The message names the question
    by its title and says what kind of problem it is (missing, format, length, choice, date, number). A required
    group left wholly empty reports its own required questions, so each message can point at a real field."""
    found: dict[str, tuple[str, str]] = {}
    schema = expand_addresses(schema)
    filled = _with_required_groups(schema, data)
    for error in Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(filled):
        path = [str(p) for p in error.absolute_path]
        missing = ([k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance]
                   if error.validator == "required" and isinstance(error.validator_value, list) else [None])
        for key in missing:
            trail = _trail(schema, [*path, key] if key is not None else path)
            if not trail:  # the form as a whole (not an object): no question to point at
                found.setdefault("", (f"Thông tin chưa hợp lệ: {error.message}", f"Invalid value: {error.message}"))
                continue
            problem = "missing" if key is not None else str(error.validator)
            pair = _message_pair(trail, problem, error.validator_value, error.instance)
            found.setdefault("/".join(k for k, _spec in trail), pair)
    for path, part in _address_problems(schema, data):
        trail = _trail(schema, [*path, part])
        found.setdefault("/".join(k for k, _spec in trail), _message_pair(trail, "enum", None, None))
    order = [f"{f.path}/{part}" if f.kind == ADDRESS else f.path for f in leaf_fields(build_fields(schema))
             for part in (addresses.ADDRESS_PARTS if f.kind == ADDRESS else ("",))]
    order = [p.removesuffix("/") for p in order]
    return {**{k: found[k] for k in order if k in found}, **{k: v for k, v in found.items() if k not in order}}


def _address_problems(schema: dict[str, Any], data: Any, path: tuple[str, ...] = ()) -> list[tuple[list[str], str]]:
    """(path, part) of every address answer whose province or commune is not one of the 2025 map (or whose
    commune is not in its province)."""
    found: list[tuple[list[str], str]] = []
    if not isinstance(data, dict):
        return found
    for key, spec in ordered_properties(schema):
        if key not in data:
            continue
        if spec.get(FORMAT_KEY) == ADDRESS:
            problem = addresses.address_problem(data[key])
            if problem:
                found.append(([*path, key], problem))
        elif spec.get("type") == "object":
            found.extend(_address_problems(spec, data[key], (*path, key)))
    return found


def _with_required_groups(schema: dict[str, Any], data: Any) -> Any:
    """DATA with every required group that is missing added empty (recursively), so that its questions report."""
    if not isinstance(data, dict):
        return data
    result = dict(data)
    required = set(schema.get("required", []))
    for key, spec in ordered_properties(schema):
        if spec.get("type") != "object":
            continue
        if key in result:
            result[key] = _with_required_groups(spec, result[key])
        elif key in required:
            result[key] = _with_required_groups(spec, {})
    return result


def _trail(schema: dict[str, Any], path: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The (key, schema) of each property along PATH, stopping where the path leaves the properties (an array
    item, say), so that a problem inside an answer is reported on its question."""
    trail: list[tuple[str, dict[str, Any]]] = []
    spec = schema
    for key in path:
        properties = spec.get("properties") if isinstance(spec, dict) else None
        if not isinstance(properties, dict) or key not in properties:
            break
        spec = properties[key]
        trail.append((key, spec))
    return trail


def _message_pair(trail: list[tuple[str, dict[str, Any]]], problem: str, limit: Any,
                  value: Any) -> tuple[str, str]:
    pair = []
    for language in ("vi", "en"):
        with translation.override(language):
            pair.append(_message(trail, problem, limit, value))
    return pair[0], pair[1]


def _title(key: str, spec: dict[str, Any], in_sentence: bool) -> str:
    title = str(spec.get("title") or key)
    if translation.get_language() != "vi":
        return f"“{title}”"  # the titles are written in Vietnamese: quoted as they stand in an English sentence
    return title[:1].lower() + title[1:] if in_sentence else title


def _message(trail: list[tuple[str, dict[str, Any]]], problem: str, limit: Any, value: Any) -> str:
    key, spec = trail[-1]
    names = {"field": _title(key, spec, True), "Field": _title(key, spec, False)}
    if len(trail) > 1:
        group_key, group = trail[-2]
        names = {n: _("%(field)s of %(group)s") % {"field": v, "group": _title(group_key, group, True)}
                 for n, v in names.items()}
    kind = kind_of(spec)
    if problem in ("minLength", "minItems") and isinstance(limit, int) and limit <= 1:
        problem = "missing"
    if problem == "missing":
        return (_("Select %(field)s") if kind == "select" else _("Enter %(field)s")) % names
    if problem in ("enum", "oneOf", "anyOf", "const"):
        return _("Select %(field)s from the list") % names
    if problem == "format" and kind == "date":
        return _("%(Field)s must be a real date") % names
    if problem == "pattern":
        digits = re.fullmatch(r"\^(?:\[0-9\]|\\d)\{(\d+)\}\$", str(limit))
        if digits:
            return _("%(Field)s must be %(count)s digits") % {**names, "count": digits.group(1)}
        return _("%(Field)s is not in the right format") % names
    if problem == "type" and kind in ("number", "money"):
        integer = spec.get("type") == "integer"
        return (_("%(Field)s must be a whole number") if integer else _("%(Field)s must be a number")) % names
    messages = {
        "maxLength": _("%(Field)s must be %(limit)s characters or fewer"),
        "minLength": _("%(Field)s must be at least %(limit)s characters"),
        "minimum": _("%(Field)s must be %(limit)s or more"),
        "exclusiveMinimum": _("%(Field)s must be more than %(limit)s"),
        "maximum": _("%(Field)s must be %(limit)s or less"),
        "exclusiveMaximum": _("%(Field)s must be less than %(limit)s"),
        "minItems": _("Enter at least %(limit)s lines for %(field)s"),
        "maxItems": _("Enter at most %(limit)s lines for %(field)s"),
    }
    if problem in messages:
        shown = number_format(limit, force_grouping=True) if isinstance(limit, (int, float)) else limit
        return messages[problem] % {**names, "limit": shown}
    return _("%(Field)s is not valid") % names
