"""What a message says: the variables of a dossier event, and the {placeholder} substitution of templates.

Templates are edited by administrators, so they are not Django templates (which could reach any attribute):
a placeholder is `{name}` with a name from `VARIABLES`, and nothing else is evaluated.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from unidecode import unidecode

from motcua.core.text import money
from motcua.dossiers.models import Dossier, DossierEvent

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

# The variables a template may use, with what they hold (shown to administrators).
VARIABLES: dict[str, Any] = {
    "ma_ho_so": _("dossier code"),
    "ten_thu_tuc": _("procedure name"),
    "nguoi_nop": _("applicant's name"),
    "co_quan": _("agency that received the dossier"),
    "trang_thai": _("status of the dossier"),
    "ngay_tiep_nhan": _("date and time of receipt"),
    "ngay_hen_tra": _("appointment to collect the result"),
    "ngay_hen_moi": _("new appointment (apology letter)"),
    "ly_do": _("reason or note given by the officer"),
    "giay_to_bo_sung": _("documents to supplement"),
    "so_tien": _("amount to pay"),
    "ma_tra_cuu": _("look-up code"),
    "duong_dan_tra_cuu": _("link to the public look-up page"),
    "duong_dan_thanh_toan": _("link to the payment page"),
}


class TemplateError(ValueError):
    """A template uses a placeholder that does not exist."""

    def __init__(self, names: list[str]) -> None:
        listed = ", ".join("{" + name + "}" for name in names)
        self.message_vi = f"Biến không hợp lệ trong mẫu: {listed}. Các biến được dùng: {_allowed()}."
        self.message_en = f"Unknown placeholders in the template: {listed}. Allowed: {_allowed()}."
        super().__init__(f"{self.message_vi} ({self.message_en})")
        self.names = names


def _allowed() -> str:
    return ", ".join("{" + name + "}" for name in VARIABLES)


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in VARIABLES})


def check_names(names: list[str]) -> None:
    unknown = sorted({name for name in names if name not in VARIABLES})
    if unknown:
        raise TemplateError(unknown)


def render(text: str, variables: dict[str, str]) -> str:
    """Replace every {name} of TEXT; an unknown name is an error (templates are checked when saved)."""
    unknown = unknown_placeholders(text)
    if unknown:
        raise TemplateError(unknown)
    return PLACEHOLDER.sub(lambda match: variables.get(match.group(1), ""), text)


def fold_for_sms(text: str) -> str:
    """Vietnamese without diacritics (đ → d): an SMS in plain GSM letters costs a third of a Unicode one."""
    return unidecode(text)


def when_text(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def public_url(path: str) -> str:
    return str(settings.MOTCUA_PUBLIC_URL).rstrip("/") + path


def payment_url(dossier: Dossier) -> str:
    try:
        path = reverse("payments:dossier", args=[dossier.code])
    except NoReverseMatch:
        return ""
    return public_url(f"{path}?s={dossier.lookup_secret}")


def event_variables(event: DossierEvent) -> dict[str, str]:
    """The values of VARIABLES for EVENT (its dossier as it is right after the event)."""
    from motcua.dossiers.selectors import lookup_url

    dossier = event.dossier
    data = event.data or {}
    new_due = data.get("new_due_at")
    amount = data.get("amount")
    if amount is None and event.action == "pause_for_fees":
        amount = _outstanding(dossier)
    with override("vi"):
        status = str(dossier.get_status_display())
    items = data.get("items") or []
    return {
        "ma_ho_so": dossier.code,
        "ten_thu_tuc": dossier.procedure_version.name,
        "nguoi_nop": dossier.applicant_name,
        "co_quan": dossier.receiving_agency.name,
        "trang_thai": status,
        "ngay_tiep_nhan": when_text(dossier.received_at),
        "ngay_hen_tra": when_text(dossier.effective_due_at),
        "ngay_hen_moi": when_text(dt.datetime.fromisoformat(new_due)) if new_due else "",
        "ly_do": event.note.strip(),
        "giay_to_bo_sung": "; ".join(str(item) for item in items),
        "so_tien": money(int(amount)) if amount is not None else "",
        "ma_tra_cuu": dossier.lookup_secret,
        "duong_dan_tra_cuu": lookup_url(dossier),
        "duong_dan_thanh_toan": payment_url(dossier),
    }


def _outstanding(dossier: Dossier) -> int | None:
    """What the applicant still owes on the dossier's invoices, when the payments app has any."""
    from motcua.payments.selectors import outstanding_amount

    return outstanding_amount(dossier)
