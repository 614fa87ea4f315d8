"""Text written into spreadsheets (xlsx, csv) as text, never as a formula.

A value that a person typed (an applicant's name, an agency's name, a note) and that begins with `=`, `+`, `-`,
`@`, a tab or a carriage return is read by Excel and LibreOffice as a formula — `=HYPERLINK("http://x","y")` in an
applicant name becomes a live link in the leader's export (OWASP "CSV injection"). openpyxl also stores any string
beginning with `=` as a formula. Such values are written with a leading apostrophe, the spreadsheet convention for
"this is text"; `unescape_text` takes it off again where the project reads its own files back (catalog import).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """VALUE unchanged unless it is a string a spreadsheet would take for a formula: then prefixed with `'`."""
    if isinstance(value, str) and value.startswith((*FORMULA_TRIGGERS, "'")):
        return "'" + value  # a text that already began with an apostrophe gets one more, so it reads back as typed
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells with every string made safe (numbers, dates and None as they are)."""
    return [safe_text(value) for value in values]


def unescape_text(value: str) -> str:
    """The text `safe_text` was given: the leading apostrophe it added is taken off (only that one)."""
    if value.startswith("'") and value[1:].startswith((*FORMULA_TRIGGERS, "'")):
        return value[1:]
    return value
