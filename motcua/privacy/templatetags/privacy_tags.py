"""{% consent_notice "population_lookup" %}: the consent notice and its check box, inside the look-up's form."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.privacy.consents import field_name, notice

register = template.Library()


@register.inclusion_tag("privacy/_consent_notice.html")
def consent_notice(purpose: str, checked: Any = False, error: str = "") -> dict[str, Any]:
    shown = notice(purpose)
    return {"notice": shown, "name": field_name(purpose), "checked": bool(checked), "error": error,
            "field_id": f"consent-{purpose}"}
