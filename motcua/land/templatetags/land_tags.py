"""`{% land_dossier_panel dossier %}` on the staff dossier page and `{% land_intake_panel procedure %}` on the
counter intake page: nothing for procedures that are not land ones."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from motcua.dossiers.models import Dossier
from motcua.land import rules
from motcua.land.models import LandWriteBack, ParcelCheck

register = template.Library()


def _localised(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    english = not (get_language() or "vi").startswith("vi")
    return [{**flag, "text": flag.get("en") if english else flag.get("vi")} for flag in flags]


@register.inclusion_tag("land/_dossier_panel.html", takes_context=True)
def land_dossier_panel(context: dict[str, Any], dossier: Dossier) -> dict[str, Any]:
    if not rules.is_land_procedure(dossier.procedure.national_code):
        return {"show": False}
    check = ParcelCheck.objects.filter(dossier=dossier).select_related("acknowledged_by").order_by(
        "-created_at", "-pk").first()
    write_back = LandWriteBack.objects.filter(dossier=dossier).select_related("handled_by").first()
    request = context.get("request")
    if check is not None and check.parcel and request is not None:  # the holders shown: a logged read
        from motcua.land.access import record_parcel_read
        from motcua.privacy.models import Purpose

        record_parcel_read(actor=request.user, parcel=check.parcel, dossier=dossier, purpose=Purpose.PROCESSING,
                           reason=context.get("read_reason"))
    return {"show": True, "dossier": dossier, "check": check, "flags": _localised(check.flags) if check else [],
            "write_back": write_back, "csrf_token": context.get("csrf_token"),
            "request": context.get("request")}


@register.inclusion_tag("land/_intake_panel.html", takes_context=True)
def land_intake_panel(context: dict[str, Any], procedure: Any) -> dict[str, Any]:
    from motcua.land.intake import intake_lookup

    request = context.get("request")
    if request is None or not rules.is_land_procedure(procedure.national_code):
        return {"show": False}
    asked = intake_lookup(request, procedure)
    lookup = asked["lookup"] if asked else None
    return {"show": True, "procedure": procedure, "asked": asked, "lookup": lookup,
            "open": bool(asked and (asked["lookup"] or asked["problems"])),
            "flags": _localised([f.as_dict() for f in lookup.flags]) if lookup else []}


@register.filter
def restriction_label(kind: str) -> str:
    from django.utils.translation import gettext as _

    labels = {"the_chap": _("Mortgaged"), "tranh_chap": _("Under dispute"), "ke_bien": _("Seized"),
              "ngan_chan": _("Injunction")}
    return str(labels.get(kind, kind))


@register.inclusion_tag("land/_wizard_fill.html", takes_context=True)
def land_wizard_fill(context: dict[str, Any], procedure: Any, page: Any, index: int) -> dict[str, Any]:
    """On the online application's parcel page (the e-form group `thua_dat`) of a land procedure."""
    show = rules.is_land_procedure(procedure.national_code) and getattr(page, "key", "") == "thua_dat"
    return {"show": show, "procedure": procedure, "index": index, "csrf_token": context.get("csrf_token")}
