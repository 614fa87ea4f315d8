"""A long e-form as a sequence of pages (GOV.UK pattern): applicant, one page per question group of the
JSON Schema, documents, then "check your answers". Each page is validated on its own; the draft is saved on
every page, so the citizen can leave and resume."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from motcua.dossiers.eforms import ordered_properties


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    schema: dict[str, Any]  # the part of the e-form on this page ({} for the fixed pages)


def pages_for(eform: dict[str, Any]) -> list[Page]:
    pages = [Page("nguoi-nop", "Người nộp hồ sơ", {})]
    loose = {k: v for k, v in ordered_properties(eform) if v.get("type") != "object"}
    required = set(eform.get("required", []))
    for key, spec in ordered_properties(eform):
        if spec.get("type") == "object":
            pages.append(Page(key, spec.get("title", key), {"type": "object", "properties": {key: spec},
                                                           "required": [key] if key in required else []}))
    if loose:
        pages.append(Page("thong-tin-khac", "Thông tin khác", {
            "type": "object", "properties": loose, "required": [k for k in loose if k in required]}))
    pages.append(Page("giay-to", "Giấy tờ kèm theo", {}))
    return pages


def page_errors(page: Page, form_data: dict[str, Any]) -> dict[str, str]:
    """Problems with the answers on PAGE, keyed by field path ("tre/ho_ten"), in Vietnamese."""
    if not page.schema:
        return {}
    subset = {k: form_data[k] for k in page.schema["properties"] if k in form_data}
    errors: dict[str, str] = {}
    for error in Draft202012Validator(page.schema, format_checker=FormatChecker()).iter_errors(subset):
        path = "/".join(str(p) for p in error.absolute_path)
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            path = f"{path}/{missing}".strip("/")
            errors.setdefault(path, "Vui lòng trả lời câu hỏi này.")
        else:
            errors.setdefault(path, f"Câu trả lời chưa hợp lệ ({error.message}).")
    return errors
