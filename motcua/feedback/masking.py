"""Personal data masked out of a petition before its answer is published: names, personal ID numbers, phone
numbers and email addresses.

Over-masking is the safe side: a word pair that only looks like a name (a place called after a family name) is
masked too. The names the system knows (the petitioner's, the staff's) are masked wherever they appear; other
names are found as runs of capitalised words that start with a common Vietnamese family name, or that follow a
form of address (ông, bà, anh, chị …).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

NAME = "[họ tên]"
ID_NUMBER = "[số giấy tờ]"
PHONE = "[số điện thoại]"
EMAIL = "[email]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A number written with or without +84 and with spaces, dots or dashes between its digits. Not one inside a code
# (the digits of "000.00.01.H19-261130-0001" follow a letter, a dot or a dash).
_NUMBER = re.compile(r"(?<![\w.\-+])\+?\d(?:[\s.\-]?\d)*(?!\w)")
MIN_DIGITS = 9  # CMND 9, phones 10–11, CCCD 12, tax codes 10; amounts like 25.000.000 stay readable
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# (Not "Văn": it opens agency names, Văn phòng …)
SURNAMES = frozenset({
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ", "ngô",
    "dương", "lý", "đinh", "đoàn", "trịnh", "lâm", "mai", "tạ", "trương", "lương", "hà", "cao", "chu",
    "quách", "tô", "thái", "triệu", "kiều", "lưu", "từ", "la", "tăng", "thân", "mạc", "khúc", "tôn", "ông",
    "hứa", "vương", "châu", "giang",
})
HONORIFICS = frozenset(["ông", "bà", "anh", "chị", "cô", "chú", "bác", "em", "cháu", "cụ", "ngài"])


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or not word.isupper() or len(word) <= 2)


def _mask_known(text: str, names: Iterable[str]) -> str:
    for name in sorted({_norm(n).strip() for n in names if n and len(n.strip()) >= 4}, key=len, reverse=True):
        text = re.sub(r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)", NAME, text,
                      flags=re.IGNORECASE)
    return text


def _mask_name_runs(text: str) -> str:
    words = list(_WORD.finditer(text))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        j = i
        if not _is_capitalised(words[i].group()):
            i += 1
            continue
        # A run of capitalised words separated by single spaces only.
        while (j + 1 < len(words) and _is_capitalised(words[j + 1].group())
               and text[words[j].end():words[j + 1].start()] == " "):
            j += 1
        run = words[i:j + 1]
        first = run[0].group()
        previous = words[i - 1].group().lower() if i > 0 else ""
        adjacent = i > 0 and text[words[i - 1].end():words[i].start()] == " "
        if _is_capitalised(first) and (
            (len(run) >= 2 and first.lower() in SURNAMES)
            or (adjacent and previous in HONORIFICS and first.lower() not in HONORIFICS)
        ):
            spans.append((run[0].start(), run[-1].end()))
        elif first.lower() in HONORIFICS and len(run) >= 2:  # "Chị Mai …" at the start of a sentence
            spans.append((run[1].start(), run[-1].end()))
        i = j + 1
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return text


def _mask_number(match: re.Match[str]) -> str:
    raw = match.group()
    trailing = raw[len(raw.rstrip()):]
    digits = re.sub(r"\D", "", raw)
    if len(digits) < MIN_DIGITS:
        return raw
    if (digits.startswith("0") and len(digits) in (10, 11)) or (digits.startswith("84") and len(digits) in (11, 12)):
        return PHONE + trailing
    return ID_NUMBER + trailing


def mask_personal_data(text: str, known_names: Iterable[str] = ()) -> str:
    """TEXT with names, ID numbers, phone numbers and email addresses replaced by placeholders."""
    text = _norm(text or "")
    text = _EMAIL.sub(EMAIL, text)
    text = _NUMBER.sub(_mask_number, text)
    text = _mask_known(text, known_names)
    return _mask_name_runs(text)
