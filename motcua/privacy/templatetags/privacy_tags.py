"""{% consent_notice "population_lookup" %}: the consent notice and its check box, inside the look-up's form
(`by_clerk=True` at the counter: the clerk confirms the applicant read it and agreed)."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.privacy.consents import field_name, notice

register = template.Library()


@register.inclusion_tag("privacy/_consent_notice.html")
def consent_notice(purpose: str, checked: Any = False, error: str = "", by_clerk: Any = False) -> dict[str, Any]:
    """BY_CLERK: the box is ticked by a clerk for the person in front of them (counter intake)."""
    shown = notice(purpose)
    return {"notice": shown, "name": field_name(purpose), "checked": bool(checked), "error": error,
            "field_id": f"consent-{purpose}", "by_clerk": bool(by_clerk)}
