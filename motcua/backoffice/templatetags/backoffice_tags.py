"""Small display helpers for the back-office templates."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def iso_date(value: object) -> str:
    """An e-form date stored as YYYY-MM-DD, shown in the administrative style (dd/mm/yyyy); other text as is."""
    text = "" if value is None else str(value)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return date_format(day, "SHORT_DATE_FORMAT")
