from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """{{ mapping|get_item:key }} — look a dictionary up by a variable key."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter(name="localized")
def localized_filter(message: Any) -> str:
    """{{ error|localized }} — a message kept in both languages (an error with message_vi/message_en, or a
    (vi, en) pair), shown in the user's language only."""
    from motcua.core.i18n import localized

    return localized(message)


@register.simple_tag
def in_language(message_vi: str, message_en: str) -> str:
    """{% in_language message_vi message_en %} — the one of the two in the user's language."""
    from motcua.core.i18n import in_language as pick

    return pick(message_vi, message_en)
