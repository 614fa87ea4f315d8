"""A long e-form as a sequence of pages (GOV.UK pattern): applicant, one page per question group of the
JSON Schema, documents, then "check your answers". Each page is validated on its own; the draft is saved on
every page, so the citizen can leave and resume."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.catalog.eforms import form_errors, is_group, ordered_properties


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    schema: dict[str, Any]  # the part of the e-form on this page ({} for the fixed pages)


def pages_for(eform: dict[str, Any]) -> list[Page]:
    pages = [Page("nguoi-nop", _("The applicant"), {})]
    loose = {k: v for k, v in ordered_properties(eform) if not is_group(v)}
    required = set(eform.get("required", []))
    for key, spec in ordered_properties(eform):
        if is_group(spec):
            pages.append(Page(key, spec.get("title", key), {"type": "object", "properties": {key: spec},
                                                           "required": [key] if key in required else []}))
    if loose:
        pages.append(Page("thong-tin-khac", _("Other information"), {
            "type": "object", "properties": loose, "required": [k for k in loose if k in required]}))
    pages.append(Page("giay-to", _("Documents attached"), {}))
    return pages


def page_errors(page: Page, form_data: dict[str, Any]) -> dict[str, str]:
    """Problems with the answers on PAGE, one message per question in the user's language, keyed by the
    question's path ("tre/ho_ten") in the order they are asked."""
    if not page.schema:
        return {}
    subset = {k: form_data[k] for k in page.schema["properties"] if k in form_data}
    english = not (get_language() or "vi").startswith("vi")
    return {path: pair[1] if english else pair[0] for path, pair in form_errors(page.schema, subset).items()}


def error_anchor(key: str) -> str:
    """The id of the control an error keyed KEY ("tre/ho_ten", "agency") belongs to: "f-" and the posted name."""
    return "f-" + key.replace("/", "__")
