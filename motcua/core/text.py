"""Vietnamese text helpers: folding for diacritic-insensitive search."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z.]+")


def fold(text: str) -> str:
    """Return TEXT lower-cased, without diacritics (đ → d), punctuation collapsed to single spaces.

    "Đăng ký khai sinh" and "dang  ky KHAI-SINH" both fold to "dang ky khai sinh", so a citizen typing on a
    phone without a Vietnamese keyboard finds the procedure. Dots are kept so procedure codes like
    "1.001193" still match.
    """
    ascii_text = unidecode(unicodedata.normalize("NFC", text)).lower()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", ascii_text)).strip()


def fold_terms(query: str) -> list[str]:
    """Split a search query into folded terms (empty terms dropped)."""
    return [term for term in fold(query).split(" ") if term]
