"""The one-stop forms as PDF (Circular 03/2025/TT-VPCP set), rendered by WeasyPrint from templates.

Every form carries a QR code to the dossier's public look-up page and prints the look-up code beside it.
Field lists and their legal sources: docs/forms.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from motcua.directory.models import Agency, UnitLevel
from motcua.dossiers.deadlines import calendar_for, outcome_of, step_due
from motcua.dossiers.models import Dossier, Notice, Outcome
from motcua.dossiers.selectors import lookup_url

TEMPLATES = {
    Notice.Kind.RECEIPT: ("dossiers/forms/receipt.html", "01"),
    Notice.Kind.SUPPLEMENT: ("dossiers/forms/supplement.html", "02"),
    Notice.Kind.REFUSAL: ("dossiers/forms/refusal.html", "03"),
    Notice.Kind.APOLOGY: ("dossiers/forms/apology.html", "04"),
    Notice.Kind.STOP: ("dossiers/forms/stop.html", "05"),
}
FORMS_OF = {
    "original": "Bản chính", "copy": "Bản sao", "certified_copy": "Bản sao chứng thực",
    "original_or_copy": "Bản chính hoặc bản sao", "electronic": "Bản điện tử",
}
ENDINGS = {"return_result", "refuse", "stop", "withdraw", "cancel"}
HOP_RESULT = {Outcome.EARLY: "Trước hạn", Outcome.ON_TIME: "Đúng hạn", Outcome.LATE: "Quá hạn"}


def qr_svg(url: str) -> str:
    """A QR code of URL as an inline SVG data URI (medium error correction, survives a photocopy)."""
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value else None


def long_time(value: dt.datetime | None) -> str:
    """"09 giờ 05 phút, ngày 30 tháng 11 năm 2026" (Decree 30/2020 style)."""
    local = _local(value)
    if local is None:
        return "…"
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def date_line(agency: Agency, when: dt.datetime) -> str:
    local = _local(when) or when
    return f"{_place(agency)}, ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def _place(agency: Agency) -> str:
    unit = agency.admin_unit
    while unit.level != UnitLevel.PROVINCE and unit.parent is not None:
        unit = unit.parent
    return unit.short_name


def _superior(agency: Agency) -> str:
    return agency.parent.name.upper() if agency.parent else ""


def _common(dossier: Dossier, agency: Agency, when: dt.datetime, number: str) -> dict[str, Any]:
    return {
        "dossier": dossier, "agency": agency, "superior": _superior(agency), "form_number": number,
        "date_line": date_line(agency, when), "qr": qr_svg(lookup_url(dossier)),
        "lookup_base": settings.MOTCUA_PUBLIC_URL.rstrip("/") + reverse("dossiers:lookup"),
        "received": long_time(dossier.received_at), "due": long_time(dossier.effective_due_at),
        "documents": [{**d, "form_label": FORMS_OF.get(d.get("form", ""), d.get("form", ""))}
                      for d in dossier.procedure_version.required_documents],
        "statutory": _statutory(dossier),
    }


def _statutory(dossier: Dossier) -> str:
    version = dossier.procedure_version
    days = format(version.statutory_days.normalize(), "f").replace(".", ",")
    if version.statutory_days == 0:
        return "Trong ngày tiếp nhận"
    unit = "ngày" if version.statutory_unit == "calendar_days" else "ngày làm việc"
    return f"{days} {unit}"


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: Pango is only needed when a form is printed

    result: bytes = HTML(string=html).write_pdf()
    return result


def render_notice_pdf(notice: Notice) -> bytes:
    template, number = TEMPLATES[Notice.Kind(notice.kind)]
    dossier = notice.dossier
    context = {**_common(dossier, notice.issued_agency, notice.issued_at, number), "notice": notice,
               "new_due": long_time(notice.new_due_at), "issued": long_time(notice.issued_at),
               "original_due": long_time(dossier.due_at)}
    return _pdf(render_to_string(template, context))


def control_rows(dossier: Dossier) -> list[dict[str, Any]]:
    """One row per hand-over: who gave it, who took it, when, and whether the step was done before, on or
    after its due time (its days of working time from when it started; pauses are not deducted here)."""
    calendar = calendar_for(dossier)
    rows: list[dict[str, Any]] = []
    entered_at: dt.datetime | None = None  # when the dossier entered its current step (from receipt on)
    for event in dossier.events.select_related("actor", "actor_agency", "to_agency").order_by("seq"):
        if entered_at is None:
            if event.action == "receive":
                entered_at = event.created_at
            continue
        if event.from_step is None or (event.to_step == event.from_step and event.action not in ENDINGS):
            continue
        due = step_due(calendar, dossier, entered_at, index=event.from_step)
        rows.append({
            "step": dossier.steps[event.from_step]["name"],
            "giver": " – ".join(filter(None, [str(event.actor or ""), getattr(event.actor_agency, "name", "")])),
            "receiver": event.to_agency.name if event.to_agency else "",
            "time": long_time(event.created_at), "result": HOP_RESULT[outcome_of(calendar, due, event.created_at)],
            "note": event.note,
        })
        entered_at = event.created_at
    return rows


def render_control_sheet_pdf(dossier: Dossier) -> bytes:
    agency = dossier.competent_agency
    context = {**_common(dossier, agency, timezone.now(), "06"), "rows": control_rows(dossier)}
    return _pdf(render_to_string("dossiers/forms/control_sheet.html", context))
