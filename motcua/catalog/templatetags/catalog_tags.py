from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

register = template.Library()

_FORMS = {
    "original": gettext_lazy("Original"),
    "copy": gettext_lazy("Copy"),
    "certified_copy": gettext_lazy("Certified copy"),
    "original_or_copy": gettext_lazy("Original or copy"),
    "electronic": gettext_lazy("Electronic copy"),
}


@register.filter
def vnd(amount: int | str | None) -> str:
    """50000 → "50.000 đồng"."""
    if amount is None or amount == "":
        return ""
    return f"{int(amount):,}".replace(",", ".") + " " + _("VND")


@register.filter
def working_days(days: Decimal | str, unit: str = "working_days") -> str:
    """'10 ngày làm việc', '15 ngày' (calendar days), or 'Trong ngày tiếp nhận' for 0."""
    value = Decimal(str(days))
    if value == 0:
        return _("Within the day of receipt")
    shown = format(value.normalize(), "f").replace(".", ",")
    number = 1 if value == 1 else 2
    if unit == "calendar_days":
        return ngettext("%(days)s day", "%(days)s days", number) % {"days": shown}
    return ngettext("%(days)s working day", "%(days)s working days", number) % {"days": shown}


@register.filter
def document_form(form: str) -> str:
    return str(_FORMS.get(form, form))


@register.filter
def step_agency(agency: str) -> str:
    if agency == "receiving":
        return _("Receiving agency")
    if agency == "competent":
        return _("Competent agency")
    return {
        "tax": _("Tax authority"),
        "treasury": _("State treasury"),
        "land_registration": _("Land registration office"),
        "natural_resources": _("Department of Agriculture and Environment"),
    }.get(agency, agency)


@register.filter
def role_name(role: str) -> str:
    return {"clerk": _("One-stop counter clerk"), "specialist": _("Specialist"), "leader": _("Leader / approver")}.get(
        role, role
    )
