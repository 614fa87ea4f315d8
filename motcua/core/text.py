"""Vietnamese text helpers: folding for diacritic-insensitive search; amounts of money in words of the messages."""

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


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, then tones in dictionary
# order (ngang, huyền, hỏi, ngã, sắc, nặng) as a tie-breaker.
_ALPHABET = ["a", "a\u0306", "a\u0302", "b", "c", "d", "đ", "e", "e\u0302", "f", "g", "h", "i", "j", "k", "l", "m",
             "n", "o", "o\u0302", "o\u031b", "p", "q", "r", "s", "t", "u", "u\u031b", "v", "w", "x", "y", "z"]
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_MODIFIERS = {"\u0306", "\u0302", "\u031b"}


def sort_key(text: str) -> str:
    """A key that sorts Vietnamese text in dictionary order with a plain byte-wise (C/BINARY) comparison.

    SQLite has no Vietnamese collation and PostgreSQL's needs ICU; storing this key makes the order the same
    everywhere ("Đăng ký" after "Dịch vụ", "Ông" after "Ốc"). Letters become "A".."a" by rank, word breaks "!",
    digits stay; a space then the tone of each letter break ties, so a prefix sorts before its extensions.
    """
    letters: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFD", text.lower()):
        if char in _TONES and tones:
            tones[-1] = _TONES[char]
        elif char in _MODIFIERS and letters and letters[-1] + char in _LETTER_RANK:
            letters[-1] += char
        elif char in _LETTER_RANK or char.isdigit():
            letters.append(char)
            tones.append("0")
        elif not char.isalnum() and letters and letters[-1] != "!":
            letters.append("!")
            tones.append("0")
    while letters and letters[-1] == "!":
        letters.pop()
        tones.pop()
    primary = "".join(chr(0x41 + _LETTER_RANK[c]) if c in _LETTER_RANK else c for c in letters)
    return primary + " " + "".join(tones)


def money(amount: int | None) -> str:
    """25000000 → "25.000.000 đồng" (messages and receipts)."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " đồng"
