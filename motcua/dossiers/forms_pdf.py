"""The one-stop forms as PDF, rendered by WeasyPrint from Django templates.

The Circular 03/2025/TT-VPCP set is the default; the Circular 01/2018/TT-VPCP numbering is kept as a legacy
profile (`TT01_2018`, or the setting `MOTCUA_FORM_SET = "01/2018"`). Every form carries the national motto, the
issuing agency, the place and date line (Decree 30/2020/NĐ-CP style), the form number, and a QR code to the
dossier's public look-up page with the dossier code and look-up code printed beside it.

A form printed again later shows what was true when it was issued: the receipt keeps the appointment computed at
receipt even if a supplement later restarted the clock. Field lists and their legal sources: docs/forms.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from motcua.calendar.service import WorkingCalendar
from motcua.directory.models import Agency, AgencyLevel, UnitLevel
from motcua.dossiers.deadlines import calendar_for, outcome_of, procedure_due, shift_after_pause, step_due
from motcua.dossiers.models import Channel, Dossier, DossierEvent, Notice, Outcome, Status
from motcua.dossiers.selectors import lookup_url

CONTROL_SHEET = "control_sheet"
UNKNOWN = "…"


# --- form sets ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FormSpec:
    number: str
    title: str  # upper case, as printed


@dataclass(frozen=True)
class FormSet:
    """The forms of one circular: which number and title each kind of form has there."""

    key: str
    circular: str
    forms: Mapping[str, FormSpec]

    def spec(self, kind: str) -> tuple[FormSet, FormSpec]:
        """The set and form that print KIND: this set's, or the current set's for a form it does not have
        (the 2018 set has no stop notice)."""
        if kind in self.forms:
            return self, self.forms[kind]
        return TT03_2025, TT03_2025.forms[kind]


_RECEIPT = FormSpec("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
_SUPPLEMENT = FormSpec("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
_REFUSAL = FormSpec("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ")
_CONTROL_TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"

TT03_2025 = FormSet("03/2025", "Thông tư số 03/2025/TT-VPCP", {
    Notice.Kind.RECEIPT: _RECEIPT,
    Notice.Kind.SUPPLEMENT: _SUPPLEMENT,
    Notice.Kind.REFUSAL: _REFUSAL,
    Notice.Kind.APOLOGY: FormSpec("04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
    Notice.Kind.STOP: FormSpec("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
    CONTROL_SHEET: FormSpec("06", _CONTROL_TITLE),
})
TT01_2018 = FormSet("01/2018", "Thông tư số 01/2018/TT-VPCP", {
    Notice.Kind.RECEIPT: _RECEIPT,
    Notice.Kind.SUPPLEMENT: _SUPPLEMENT,
    Notice.Kind.REFUSAL: _REFUSAL,
    Notice.Kind.APOLOGY: FormSpec("04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    CONTROL_SHEET: FormSpec("05", _CONTROL_TITLE),
})
FORM_SETS = {form_set.key: form_set for form_set in (TT03_2025, TT01_2018)}

TEMPLATES = {
    Notice.Kind.RECEIPT: "dossiers/forms/receipt.html",
    Notice.Kind.SUPPLEMENT: "dossiers/forms/supplement.html",
    Notice.Kind.REFUSAL: "dossiers/forms/refusal.html",
    Notice.Kind.APOLOGY: "dossiers/forms/apology.html",
    Notice.Kind.STOP: "dossiers/forms/stop.html",
    CONTROL_SHEET: "dossiers/forms/control_sheet.html",
}


def default_form_set() -> FormSet:
    """The set named by the optional setting MOTCUA_FORM_SET ("03/2025" unless set)."""
    key = str(getattr(settings, "MOTCUA_FORM_SET", TT03_2025.key))
    try:
        return FORM_SETS[key]
    except KeyError:
        raise ValueError(f"MOTCUA_FORM_SET must be one of {sorted(FORM_SETS)}, not {key!r}") from None


# --- wording -----------------------------------------------------------------------------------------

DOCUMENT_FORMS = {
    "original": "Bản chính", "copy": "Bản sao", "certified_copy": "Bản sao có chứng thực",
    "original_or_copy": "Bản chính hoặc bản sao", "electronic": "Bản điện tử",
}
RETURN_METHODS = {
    "counter": "Trực tiếp tại nơi nộp hồ sơ",
    "postal": "Qua dịch vụ bưu chính công ích",
    "online": "Trực tuyến",
}
CHANNELS = {
    Channel.COUNTER: "Trực tiếp",
    Channel.POSTAL: "Qua dịch vụ bưu chính công ích",
    Channel.ONLINE: "Trực tuyến",
    Channel.NATIONAL_PORTAL: "Trực tuyến qua Cổng Dịch vụ công quốc gia",
}
HOP_RESULTS = {Outcome.EARLY: "Trước hạn", Outcome.ON_TIME: "Đúng hạn", Outcome.LATE: "Quá hạn"}
# Endings that hand something to the applicant (a row of the control sheet), with the note's lead words.
HAND_BACKS = {"return_result": "Trả kết quả", "refuse": "Từ chối", "stop": "Dừng giải quyết"}


def qr_svg(url: str) -> str:
    """A QR code of URL as an SVG data URI, for an <img> (error correction M: survives a photocopy)."""
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=4))


def _local(value: dt.datetime) -> dt.datetime:
    # The forms are legal documents of the province: always its time zone, whatever a request activated.
    return value.astimezone(ZoneInfo(settings.TIME_ZONE))


def long_date(day: dt.date) -> str:
    """"ngày 05 tháng 3 năm 2026": Decree 30/2020 writes days below 10 and the months 1 and 2 with a 0."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def long_time(value: dt.datetime | None) -> str:
    """"09 giờ 05 phút, ngày 30 tháng 11 năm 2026"."""
    if value is None:
        return UNKNOWN
    local = _local(value)
    return f"{local:%H} giờ {local:%M} phút, {long_date(local.date())}"


def short_time(value: dt.datetime | None) -> str:
    """"09 giờ 05 phút, ngày 30/11/2026" (the control sheet's columns)."""
    if value is None:
        return UNKNOWN
    local = _local(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def place_name(agency: Agency) -> str:
    """The place of the date line: the administrative unit the agency sits in (a provincial agency writes the
    province, a commune's People's Committee the commune); a name that starts with a number keeps its kind
    ("Phường 1 Bảo Lộc")."""
    unit = agency.admin_unit
    if unit.level == UnitLevel.DISTRICT and unit.parent is not None:
        unit = unit.parent  # a district no longer exists: the province
    return unit.name if unit.short_name[:1].isdigit() else unit.short_name


def date_line(agency: Agency, when: dt.datetime) -> str:
    """"Đồng Nai, ngày 30 tháng 11 năm 2026"."""
    return f"{place_name(agency)}, {long_date(_local(when).date())}"


NBSP = "\u00a0"


def keep_place_together(text: str, agency: Agency | None) -> str:
    """TEXT with the name of the agency's administrative unit (and of the units above it) made unbreakable:
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI" may wrap before "TỈNH", never inside "TỈNH ĐỒNG NAI"."""
    unit = agency.admin_unit if agency is not None else None
    names: list[str] = []
    while unit is not None:
        names.extend(name for name in (unit.name, unit.short_name) if name and " " in name)
        unit = unit.parent
    for name in sorted(names, key=len, reverse=True):  # "Tỉnh Đồng Nai" before "Đồng Nai"
        for form in {name, name.upper()}:
            text = text.replace(form, form.replace(" ", NBSP))
    return text


def superior_name(agency: Agency) -> str:
    """The directly managing agency printed above the agency's name; People's Committees print none."""
    if agency.parent is None or agency.level in (AgencyLevel.PROVINCE, AgencyLevel.COMMUNE):
        return ""
    return agency.parent.name.upper()


def statutory_time(dossier: Dossier) -> str:
    version = dossier.procedure_version
    days = Decimal(version.statutory_days)
    if days == 0:
        return "Trong ngày làm việc"
    number = format(days.normalize(), "f").replace(".", ",")
    unit = "ngày" if version.statutory_unit == "calendar_days" else "ngày làm việc"
    return f"{number} {unit}"


# --- the forms ---------------------------------------------------------------------------------------

def _pdf(html: str, *, one_page: bool = False) -> bytes:
    """The PDF of HTML. ONE_PAGE: a form meant for one sheet; when it runs over at the standard sizes (a wide
    fallback font, a long list of documents), it is laid out again at the compact sizes and that is kept if it
    needs fewer pages."""
    # Imported here: WeasyPrint loads Pango, which only the processes that print need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The templates embed everything (the QR code is a data URI): never read a file or the network.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, url_fetcher=fetcher).render()
    if one_page and len(document.pages) > 1 and "<body>" in html:
        compact = HTML(string=html.replace("<body>", '<body class="compact">', 1), url_fetcher=fetcher).render()
        if len(compact.pages) < len(document.pages):
            document = compact
    result: bytes = document.write_pdf()
    return result


def _context(dossier: Dossier, agency: Agency, when: dt.datetime, kind: str,
             form_set: FormSet | None) -> dict[str, Any]:
    used_set, spec = (form_set or default_form_set()).spec(kind)
    return {
        "dossier": dossier, "agency": agency, "agency_name": keep_place_together(agency.name.upper(), agency),
        "superior": keep_place_together(superior_name(agency), agency.parent),
        "form": spec, "circular": used_set.circular, "date_line": keep_place_together(date_line(agency, when), agency),
        "qr": qr_svg(lookup_url(dossier)),
        "lookup_page": settings.MOTCUA_PUBLIC_URL.rstrip("/") + reverse("dossiers:lookup"),
        "procedure_name": dossier.procedure_version.name, "procedure_code": dossier.procedure.national_code,
    }


def render_notice_pdf(notice: Notice, *, form_set: FormSet | None = None) -> bytes:
    """The PDF of a notice issued on a dossier (forms 01 to 05)."""
    dossier = notice.dossier
    kind = Notice.Kind(notice.kind)
    context = _context(dossier, notice.issued_agency, notice.issued_at, kind, form_set)
    context.update({"notice": notice, "issued": long_time(notice.issued_at), "signer": notice.issued_by or ""})
    if kind == Notice.Kind.RECEIPT:
        context.update(_receipt(notice))
    elif kind == Notice.Kind.APOLOGY:
        context.update(_apology(notice))
    return _pdf(render_to_string(TEMPLATES[kind], context), one_page=True)


def _receipt(notice: Notice) -> dict[str, Any]:
    dossier = notice.dossier
    # As issued: received when the slip was issued, and the appointment it gave (slips issued before the
    # appointment was kept on them: the one the engine computes from that time).
    appointment = notice.new_due_at or procedure_due(calendar_for(dossier), dossier, notice.issued_at)
    first = (dossier.notices.filter(kind=Notice.Kind.RECEIPT).exclude(pk=notice.pk)
             .filter(issued_at__lte=notice.issued_at).order_by("issued_at", "pk").first())
    documents = receipt_documents(dossier)
    if first is not None:  # issued when a supplement completed the dossier: its papers are handed in too
        documents += [{"name": name, "form": "Bổ sung", "quantity": 1} for name in dossier.documents.filter(
            is_supplement=True, created_at__lte=notice.issued_at).order_by("pk").values_list("name", flat=True)]
    return {
        "documents": documents, "statutory": statutory_time(dossier),
        "received": long_time(notice.issued_at), "appointment": long_time(appointment),
        "first_received": long_time(first.issued_at) if first is not None else "",
        "channel": CHANNELS.get(Channel(dossier.channel), dossier.channel),
        "return_method": RETURN_METHODS.get(dossier.return_method, dossier.return_method),
        "online": dossier.channel in (Channel.ONLINE, Channel.NATIONAL_PORTAL),
    }


def receipt_documents(dossier: Dossier) -> list[dict[str, Any]]:
    """The rows of the receipt's table: every mandatory document of the procedure (intake refuses a dossier
    without them), the optional ones that were handed in, and any handed-in paper that is not on the list."""
    handed_in = list(dossier.documents.filter(is_supplement=False).order_by("pk").values_list("slot", "name"))
    slots = {slot for slot, _name in handed_in}
    required = dossier.procedure_version.required_documents
    rows = [
        {"name": document["name"], "form": DOCUMENT_FORMS.get(document.get("form", ""), document.get("form", "")),
         "quantity": document.get("quantity", 1)}
        for document in required
        if document.get("mandatory", True) or document.get("code") in slots
    ]
    known = {document.get("code") for document in required}
    extra = dict.fromkeys(name for slot, name in handed_in if slot not in known)
    rows += [{"name": name, "form": "", "quantity": 1} for name in extra]
    return rows


def _apology(notice: Notice) -> dict[str, Any]:
    dossier = notice.dossier
    earlier = (dossier.notices.filter(kind=Notice.Kind.APOLOGY, issued_at__lt=notice.issued_at)
               .exclude(pk=notice.pk).order_by("-issued_at").first())
    receipt = dossier.notices.filter(kind=Notice.Kind.RECEIPT).order_by("issued_at").first()
    return {
        "received": long_time(receipt.issued_at if receipt else dossier.received_at),
        "previous_appointment": long_time(earlier.new_due_at if earlier else dossier.due_at),
        "new_appointment": long_time(notice.new_due_at),
    }


# --- the control sheet -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hop:
    """One row of the control sheet: who handed the dossier to whom, when, and whether in time."""

    step: str
    giver_agency: str
    giver: str
    receiver: str
    time: str
    due: str  # "Hạn của bước: …" (or the appointment, for the return of the result); empty when not running
    result: str
    note: str


def control_rows(dossier: Dossier) -> list[Hop]:
    """The hand-overs of DOSSIER, replaying its events with the engine's clock rules: a step is due its days of
    working time after it was entered; a supplement restarts the current step in full (as it restarts the
    statutory time); a pause for the financial obligation moves the due time by the paused working time.

    The result of a hand-over compares it with the due time of the step being left. The return of the result
    to the applicant carries the dossier's own result (against the appointment), as the engine recorded it.
    Pauses and apology letters during a step are noted on the hand-over that ends it."""
    calendar = calendar_for(dossier)
    events = dossier.events.select_related("actor", "to_agency").order_by("seq")
    rows: list[Hop] = []
    holder: Agency | None = None  # where the dossier was before the event
    due: dt.datetime | None = None  # the due time of the running step; None while the clock does not run
    fee_pause: tuple[dt.datetime, dt.datetime | None] | None = None
    notes: list[str] = []  # what happened during the running step
    for event in events:
        now = event.created_at
        moved = event.from_step is not None and event.to_step is not None and event.from_step != event.to_step
        if event.action == "receive":
            due = step_due(calendar, dossier, now, index=event.to_step)
        elif event.action == "request_supplement":
            due = None
            notes.append(f"Yêu cầu bổ sung hồ sơ lúc {short_time(now)}")
        elif event.action == "supplement":
            resumed = event.to_status != Status.SUBMITTED
            due = step_due(calendar, dossier, now, index=event.to_step) if resumed else None
            notes.append(f"Nhận hồ sơ bổ sung lúc {short_time(now)}"
                         + (", thời gian của bước được tính lại" if resumed else ""))
        elif event.action == "pause_for_fees":
            fee_pause, due = (now, due), None
            notes.append(f"Tạm dừng để thực hiện nghĩa vụ tài chính từ {short_time(now)}")
        elif event.action == "record_payment" and fee_pause is not None:
            paused_at, before = fee_pause
            due, fee_pause = shift_after_pause(calendar, before, paused_at, now), None
            notes.append(f"Hoàn thành nghĩa vụ tài chính lúc {short_time(now)}")
        elif event.action == "extend" and event.data.get("new_due_at"):
            new_due = dt.datetime.fromisoformat(str(event.data["new_due_at"]))
            notes.append(f"Văn bản xin lỗi, hẹn lại ngày trả kết quả: {short_time(new_due)}")
        elif moved or event.action in HAND_BACKS:
            rows.append(_hop(dossier, event, holder, due, calendar, notes))
            due = step_due(calendar, dossier, now, index=event.to_step) if moved else None
            notes = []
        holder = event.to_agency
    if notes and not dossier.is_terminal:
        rows.append(_open_step(dossier, holder, due, notes))  # what happened in the running step, shown at once
    return rows


def _open_step(dossier: Dossier, holder: Agency | None, due: dt.datetime | None, notes: list[str]) -> Hop:
    """The row of the step still running, when something happened in it (a supplement asked for or received, a
    pause): the control sheet shows it now, not only when the step ends."""
    waiting = dossier.status == Status.AWAITING_SUPPLEMENT
    if waiting:
        notes = [*notes, "Đang chờ tổ chức, cá nhân bổ sung, hoàn thiện hồ sơ (thời gian giải quyết tạm dừng)"]
    return Hop(step=str(dossier.current_step["name"]), giver_agency=holder.name if holder else "", giver="",
               receiver=f"Tổ chức, cá nhân: {dossier.applicant_name}" if waiting else "", time="",
               due=f"Hạn của bước: {short_time(due)}" if due is not None else "", result="",
               note="; ".join(notes))


def appointments(dossier: Dossier) -> list[tuple[str, str]]:
    """The appointments the dossier was given, in order, as (label, time): the one of the receipt, the new one
    each time a supplement completed the dossier and restarted the clock, and an apology letter's new date."""
    calendar = calendar_for(dossier)
    slips = {n.issued_at: n.new_due_at for n in dossier.notices.filter(kind=Notice.Kind.RECEIPT)}

    def given(event: DossierEvent) -> dt.datetime:
        kept = event.data.get("due_at")
        if kept:
            return dt.datetime.fromisoformat(str(kept))
        return slips.get(event.created_at) or procedure_due(calendar, dossier, event.created_at)

    found: list[tuple[str, str]] = []
    for event in dossier.events.filter(action__in=("receive", "supplement", "extend")).order_by("seq"):
        if event.action == "receive":
            found.append(("Thời gian hẹn trả kết quả", short_time(given(event))))
        elif event.action == "supplement" and event.to_status != Status.SUBMITTED:
            found.append((f"Thời gian hẹn trả kết quả mới (nhận đủ hồ sơ bổ sung lúc {short_time(event.created_at)})",
                          short_time(given(event))))
        elif event.action == "extend" and event.data.get("new_due_at"):
            found.append(("Thời gian hẹn lại ngày trả kết quả (văn bản xin lỗi)",
                          short_time(dt.datetime.fromisoformat(str(event.data["new_due_at"])))))
    return found or [("Thời gian hẹn trả kết quả", short_time(dossier.effective_due_at))]


def _hop(dossier: Dossier, event: DossierEvent, holder: Agency | None, due: dt.datetime | None,
         calendar: WorkingCalendar, notes: list[str]) -> Hop:
    result = HOP_RESULTS[outcome_of(calendar, due, event.created_at)] if due is not None else ""
    due_text = f"Hạn của bước: {short_time(due)}" if due is not None else ""
    receiver = event.to_agency.name if event.to_agency else ""
    note = event.note
    if event.action == "send_back":
        note = "Trả lại bước trước" + (f": {event.note}" if event.note else "")
    elif event.action == "return_result":
        receiver, note = f"Tổ chức, cá nhân: {dossier.applicant_name}", HAND_BACKS[event.action]
        outcome = event.data.get("outcome") or dossier.outcome
        result = HOP_RESULTS[Outcome(outcome)] if outcome else result
        due_text = f"Hẹn trả: {short_time(dossier.effective_due_at)}"
    elif event.action in HAND_BACKS:
        receiver = f"Tổ chức, cá nhân: {dossier.applicant_name}"
        note = HAND_BACKS[event.action] + (f": {event.note}" if event.note else "")
    step_index = event.from_step if event.from_step is not None else dossier.step_index
    return Hop(step=str(dossier.steps[step_index]["name"]), giver_agency=holder.name if holder else "",
               giver=str(event.actor or ""), receiver=receiver, time=short_time(event.created_at), due=due_text,
               result=result, note="; ".join([*notes, note] if note else notes))


def coordinating_agencies(dossier: Dossier) -> list[str]:
    """The agencies the dossier went through besides the receiving and the competent one, in order."""
    own = {dossier.receiving_agency_id, dossier.competent_agency_id}
    names: dict[str, None] = {}
    for event in dossier.events.select_related("to_agency").order_by("seq"):
        if event.to_agency is not None and event.to_agency_id not in own:
            names[event.to_agency.name] = None
    return list(names)


def render_control_sheet_pdf(dossier: Dossier, *, form_set: FormSet | None = None,
                             at: dt.datetime | None = None) -> bytes:
    """Form 06 (05 in the 2018 set): the dossier's hand-overs so far, dated AT (default: now)."""
    agency = dossier.competent_agency
    context = _context(dossier, agency, at or timezone.now(), CONTROL_SHEET, form_set)
    receipt = dossier.events.filter(action="receive").order_by("seq").first()
    context.update({
        "rows": control_rows(dossier), "coordinating": coordinating_agencies(dossier),
        "received": short_time(receipt.created_at if receipt else dossier.received_at),
        "appointments": appointments(dossier),
    })
    return _pdf(render_to_string(TEMPLATES[CONTROL_SHEET], context))
