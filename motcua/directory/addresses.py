"""Addresses on the 2025 map, and the converter from a pre-merger (63-province) address to it.

`convert("Phường Tân Phú, Thành phố Đồng Xoài, tỉnh Bình Phước")` (or "p tan phu, tp dong xoai, binh phuoc")
answers the 2025 province and commune (codes and names) that took over the old commune, with the old units it
recognised. Matching ignores diacritics, case, punctuation and the unit words ("P.", "Phường", "TP", "Thành phố",
"Q.", "H.", "xã", "thị trấn", "tỉnh"…), which are used only to tell apart units of the same name (the town and the
district of Kỳ Anh). Parts before the commune are kept as the street / house part. An address that names several
old communes leading to different new ones is *ambiguous*, one that names none is *not found*; both come with
candidates. `convert_codes` does the same from old statistics codes.

The data are the administrative units in the database (loaded from the shipped fixture, `units.py`), read once
per process into an in-memory index. The index carries a fingerprint of the tables (row count and highest key of
the units and of their successions), checked at most every `FINGERPRINT_EVERY` seconds, so that a reload of the
units by another process is seen without a restart; `load_units` and `forget_index()` drop it at once in this one.
"""

from __future__ import annotations

import difflib
import functools
import re
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Max
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.core.errors import UserError
from motcua.core.text import fold
from motcua.directory.models import REFORM_2025, AdministrativeUnit, UnitLevel, UnitSuccession

MAX_ADDRESS_LENGTH = 300
LEGACY_VALID_TO = REFORM_2025.fromordinal(REFORM_2025.toordinal() - 1)

# Unit words (folded) → the unit types they announce. Longest first, so that "thi xa" wins over "xa".
_UNIT_WORDS: list[tuple[tuple[str, ...], frozenset[str]]] = sorted([
    (("thanh", "pho"), frozenset({"Thành phố"})), (("tp",), frozenset({"Thành phố"})),
    (("thi", "xa"), frozenset({"Thị xã"})), (("tx",), frozenset({"Thị xã"})),
    (("thi", "tran"), frozenset({"Thị trấn"})), (("tt",), frozenset({"Thị trấn"})),
    (("quan",), frozenset({"Quận"})), (("q",), frozenset({"Quận"})),
    (("huyen",), frozenset({"Huyện"})), (("h",), frozenset({"Huyện"})),
    (("phuong",), frozenset({"Phường"})), (("p",), frozenset({"Phường"})), (("f",), frozenset({"Phường"})),
    (("xa",), frozenset({"Xã"})), (("x",), frozenset({"Xã"})),
    (("dac", "khu"), frozenset({"Đặc khu"})), (("dk",), frozenset({"Đặc khu"})),
    (("tinh",), frozenset({"Tỉnh"})), (("t",), frozenset({"Tỉnh"})),
], key=lambda item: -len(item[0]))
_UNIT_TOKENS = {words for words, _types in _UNIT_WORDS}
_LEVEL_TYPES = {
    "province": frozenset({"Tỉnh", "Thành phố"}),
    "district": frozenset({"Quận", "Huyện", "Thị xã", "Thành phố"}),
    "commune": frozenset({"Phường", "Xã", "Thị trấn", "Đặc khu"}),
}
# Everyday names of provinces that are not their official short names (folded, unit words removed).
_PROVINCE_ALIASES = {
    "hcm": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh", "saigon": "ho chi minh",
    "hn": "ha noi", "brvt": "ba ria vung tau", "br vt": "ba ria vung tau", "thua thien hue": "hue",
    "tt hue": "hue", "dak nong": "dak nong", "dac nong": "dak nong", "dac lac": "dak lak", "daklak": "dak lak",
}
_COUNTRY = {"viet nam", "vietnam", "vn"}
_GLUED_UNIT = re.compile(r"^(p|q|f|x|h)(\d+)$")
_SEPARATORS = re.compile(r"[,;\n]")
_WORDS = re.compile(r"\w+")


class Status(StrEnum):
    CONVERTED = "converted"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Unit:
    code: str
    name: str  # the full official name: "Phường Tân Phú", "Tỉnh Bình Phước"
    unit_type: str
    core: str  # folded, without the unit word: "tan phu"
    parent: str  # the parent's code ("" for a province)


@dataclass(frozen=True)
class OldUnits:
    """The units of the 63-province map an address was read as (names as officially written)."""

    province_code: str = ""
    province_name: str = ""
    district_code: str = ""
    district_name: str = ""
    commune_code: str = ""
    commune_name: str = ""

    @property
    def label(self) -> str:
        return ", ".join(n for n in (self.commune_name, self.district_name, self.province_name) if n)


@dataclass(frozen=True)
class Candidate:
    """One reading of an address that could not be settled: the old units and the 2025 commune they lead to."""

    old: OldUnits | None
    province_code: str
    province_name: str
    commune_code: str
    commune_name: str

    @property
    def label(self) -> str:
        new = ", ".join(n for n in (self.commune_name, self.province_name) if n)
        return f"{self.old.label} → {new}" if self.old else new


@dataclass(frozen=True)
class Conversion:
    status: Status
    province_code: str = ""
    province_name: str = ""
    commune_code: str = ""
    commune_name: str = ""
    commune_type: str = ""
    street: str = ""
    old: OldUnits | None = None
    already_current: bool = False  # the address was already written on the 2025 map
    split: bool = False  # the old commune was divided between several new ones: the default one is given
    other_communes: tuple[tuple[str, str], ...] = ()  # (code, name) of the other parts of a divided commune
    candidates: tuple[Candidate, ...] = ()

    @property
    def address(self) -> str:
        """The address written on the 2025 map: "street, Phường Bình Phước, Tỉnh Đồng Nai"."""
        return ", ".join(p for p in (self.street, self.commune_name, self.province_name) if p)

    @property
    def ok(self) -> bool:
        return self.status == Status.CONVERTED

    def message(self) -> tuple[str, str]:
        """What happened, in Vietnamese and English."""
        pair = []
        for language in ("vi", "en"):
            with translation.override(language):
                pair.append(self._message())
        return pair[0], pair[1]

    def _message(self) -> str:
        if self.status == Status.CONVERTED:
            if self.already_current:
                return _("This address is already on the map in force since 1 July 2025.")
            if self.split:
                return _("The old commune was divided between several new ones; the one that took over most of it "
                         "is given. Check the others if the address is in another part.")
            return _("Converted to the map in force since 1 July 2025.")
        if self.status == Status.AMBIGUOUS:
            return _("Several old communes match this address and they became different new ones. Choose one, or "
                     "add the district and the province.")
        if self.province_code:
            return _("The province was recognised but not the commune, ward or town. Check its spelling, or "
                     "choose it from the list.")
        return _("No old commune, ward or town matches this address. Write it as “commune, district, "
                 "province”, for example “Phường Tân Phú, Thành phố Đồng Xoài, tỉnh Bình Phước”.")


class AddressInputError(UserError, ValueError):
    """The input cannot be read as an address at all (empty, too long, no letters)."""


def _numbers(text: str) -> str:
    return " ".join(str(int(t)) if t.isdigit() else t for t in text.split(" "))


def core_name(name: str, unit_type: str) -> str:
    """The folded name without its unit word: ("Phường 01", "Phường") → "1"."""
    folded, kind = fold(name).replace(".", " ").split(), fold(unit_type).split()
    if folded[: len(kind)] == kind and len(folded) > len(kind):
        folded = folded[len(kind):]
    return _numbers(" ".join(folded))


@functools.lru_cache(maxsize=8192)
def read_part(part: str) -> tuple[frozenset[str], str, str]:
    """One comma-separated part of an address: (unit types its unit word announces, the name without the unit
    word, the whole part folded). "TP. Đồng Xoài" → ({"Thành phố"}, "dong xoai", "tp dong xoai")."""
    tokens = fold(part).replace(".", " ").split()
    if len(tokens) == 1 and (glued := _GLUED_UNIT.match(tokens[0])):
        tokens = [glued.group(1), glued.group(2)]
    whole = _numbers(" ".join(tokens))
    for words, types in _UNIT_WORDS:
        if tuple(tokens[: len(words)]) == words and len(tokens) > len(words):
            return types, _numbers(" ".join(tokens[len(words):])), whole
    return frozenset(), whole, whole


def _split_parts(text: str) -> list[str]:
    parts = [p.strip() for p in _SEPARATORS.split(text) if p.strip()]
    if len(parts) == 1:
        # No commas: start a new part at every unit word ("p tan phu tp dong xoai binh phuoc").
        tokens = fold(parts[0]).replace(".", " ").split()
        pieces: list[list[str]] = [[]]
        index = 0
        while index < len(tokens):
            word = next((w for w, _t in _UNIT_WORDS if tuple(tokens[index:index + len(w)]) == w), None)
            if word and pieces[-1] and index + len(word) < len(tokens):
                pieces.append([])
            step = len(word) if word else 1
            pieces[-1].extend(tokens[index:index + step])
            index += step
        parts = [" ".join(p) for p in pieces if p]
    return parts


@dataclass
class _Map:
    """The units of one map, indexed by folded name (with and without spaces)."""

    units: dict[str, dict[str, Unit]] = field(default_factory=lambda: {lvl: {} for lvl in _LEVEL_TYPES})
    by_core: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: {lvl: defaultdict(list) for lvl in _LEVEL_TYPES})

    def add(self, level: str, unit: Unit) -> None:
        self.units[level][unit.code] = unit
        self.by_core[level][unit.core].append(unit.code)
        compact = unit.core.replace(" ", "")
        if compact != unit.core:
            self.by_core[level][compact].append(unit.code)
        if level == "province":
            for alias, target in _PROVINCE_ALIASES.items():
                if target == unit.core:
                    self.by_core[level][alias].append(unit.code)

    def match(self, level: str, part: tuple[frozenset[str], str, str]) -> set[str]:
        """Codes of the units of LEVEL that PART may name; a unit word of another level rules the level out."""
        types, core, whole = part
        found: set[str] = set()
        if not types or types & _LEVEL_TYPES[level]:
            for key in (core, core.replace(" ", "")):
                found.update(c for c in self.by_core[level].get(key, ())
                             if not types or self.units[level][c].unit_type in types)
        for key in (whole, whole.replace(" ", "")):  # a name that begins with a unit word ("Xà Bang")
            found.update(self.by_core[level].get(key, ()))
        return found


@dataclass
class Index:
    old: _Map
    new: _Map
    successors: dict[str, list[tuple[str, bool, bool]]]  # old commune/district → (new commune, whole, default)
    province_successor: dict[str, str]


_index: Index | None = None
_index_fingerprint: tuple[object, ...] | None = None
_checked_at = 0.0
FINGERPRINT_EVERY = 2.0  # seconds; the check costs two aggregate queries (about 1 ms on SQLite)
_lock = threading.Lock()


def forget_index() -> None:
    global _index, _index_fingerprint
    with _lock:
        _index, _index_fingerprint = None, None


def _fingerprint() -> tuple[object, ...]:
    units = AdministrativeUnit.objects.aggregate(n=Count("pk"), top=Max("pk"))
    successions = UnitSuccession.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return units["n"], units["top"], successions["n"], successions["top"]


def get_index() -> Index:
    global _index, _index_fingerprint, _checked_at
    index, now = _index, time.monotonic()
    if index is not None and now - _checked_at < FINGERPRINT_EVERY:
        return index
    stamp = _fingerprint()
    if index is not None and stamp == _index_fingerprint:
        _checked_at = now
        return index
    with _lock:
        if _index is None or stamp != _index_fingerprint:
            built = _build_index()
            if not built.new.units["province"]:
                return built  # the units are not loaded (yet): do not keep an empty index
            _index, _index_fingerprint, _checked_at = built, stamp, now
        return _index


def _build_index() -> Index:
    old, new = _Map(), _Map()
    rows = AdministrativeUnit.objects.filter(valid_to__isnull=True) | AdministrativeUnit.objects.filter(
        valid_to=LEGACY_VALID_TO)
    pk_code: dict[int, str] = {}
    records = list(rows.values_list("pk", "level", "code", "name", "unit_type", "parent_id", "valid_to"))
    for pk, _level, code, *_rest in records:
        pk_code[pk] = code
    for _pk, level, code, name, unit_type, parent_id, valid_to in records:
        target = new if valid_to is None else old
        target.add(level, Unit(code=code, name=name, unit_type=unit_type, core=core_name(name, unit_type),
                               parent=pk_code.get(parent_id, "") if parent_id else ""))
    successors: dict[str, list[tuple[str, bool, bool]]] = defaultdict(list)
    province_successor: dict[str, str] = {}
    for level, old_code, new_code, kind, is_default in UnitSuccession.objects.filter(
            predecessor__valid_to=LEGACY_VALID_TO, successor__valid_to__isnull=True).values_list(
            "predecessor__level", "predecessor__code", "successor__code", "kind", "is_default"):
        if level == UnitLevel.PROVINCE:
            province_successor[old_code] = new_code
        else:
            successors[old_code].append((new_code, kind == UnitSuccession.Kind.WHOLE, is_default))
    for options in successors.values():
        options.sort(key=lambda o: (not o[2], o[0]))
    return Index(old=old, new=new, successors=dict(successors), province_successor=province_successor)


def _check_input(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise AddressInputError("empty", "Vui lòng nhập địa chỉ cần chuyển đổi.", "Enter the address to convert.")
    if len(text) > MAX_ADDRESS_LENGTH:
        raise AddressInputError("too_long", f"Địa chỉ dài quá {MAX_ADDRESS_LENGTH} ký tự.",
                                f"The address is longer than {MAX_ADDRESS_LENGTH} characters.")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text) or not fold(text).replace(".", "").strip():
        raise AddressInputError("no_letters", "Địa chỉ phải có tên xã, phường và tỉnh viết bằng chữ.",
                                "The address must name the commune and the province in letters.")
    return text


@dataclass
class _Reading:
    """One way of reading the parts from the right: province?, district?, commune?, then the street."""

    score: int
    provinces: set[str]
    districts: set[str]
    communes: set[str]
    street_parts: list[str]
    levels: tuple[bool, bool, bool]
    commune_part: str = ""  # as typed, to tell apart names that differ only by their diacritics


def _readings(the_map: _Map, raw: list[str], with_districts: bool, last_is_province: bool) -> list[_Reading]:
    parts = [read_part(p) for p in raw]
    found: list[_Reading] = []
    for use_p in (True, False):
        for use_d in ((True, False) if with_districts else (False,)):
            for use_c in (True, False):
                wanted = [lvl for lvl, used in (("province", use_p), ("district", use_d), ("commune", use_c)) if used]
                if not wanted or len(wanted) > len(parts):
                    continue
                picked = dict(zip(wanted, reversed(parts[-len(wanted):]), strict=True))
                sets = {lvl: the_map.match(lvl, picked[lvl]) for lvl in wanted}
                if any(not s for s in sets.values()):
                    continue
                street = raw[: len(parts) - len(wanted)]
                reading = _consistent(the_map, sets, street, (use_p, use_d, use_c))
                if reading is not None:
                    reading.commune_part = raw[len(street)] if use_c else ""
                    # The last part names a province but is read as something else; a street part has a unit
                    # word ("Phường Trấn Biên" left over): both are unlikely readings.
                    if not use_p and last_is_province:
                        reading.score -= 3
                    reading.score -= sum(1 for p in parts[: len(street)] if p[0])
                    found.append(reading)
    found.sort(key=lambda r: (-r.score, len(r.communes) or len(r.districts) or len(r.provinces)))
    return found


def _consistent(the_map: _Map, sets: dict[str, set[str]], street: list[str],
                levels: tuple[bool, bool, bool]) -> _Reading | None:
    units = the_map.units

    def province_of(commune: str) -> str:
        parent = units["commune"][commune].parent
        return units["district"][parent].parent if parent in units["district"] else parent

    provinces = sets.get("province")
    districts = sets.get("district")
    communes = sets.get("commune")

    if districts is not None and provinces is not None:
        districts = {d for d in districts if units["district"][d].parent in provinces}
    if communes is not None:
        keep = set()
        for c in communes:
            if districts is not None and units["commune"][c].parent not in districts:
                continue
            if provinces is not None and province_of(c) not in provinces:
                continue
            keep.add(c)
        communes = keep
        if not communes:
            return None
        if districts is not None:
            districts = {units["commune"][c].parent for c in communes}
    if districts is not None and not districts:
        return None
    if provinces is not None:
        if communes is not None:
            provinces = {province_of(c) for c in communes}
        elif districts is not None:
            provinces = {units["district"][d].parent for d in districts}
    score = 3 * levels[2] + 2 * levels[1] + 2 * levels[0]
    return _Reading(score=score, provinces=provinces or set(), districts=districts or set(),
                    communes=communes or set(), street_parts=street, levels=levels)


def _old_units(index: Index, commune: str = "", district: str = "", province: str = "") -> OldUnits:
    units = index.old.units
    if commune:
        district = units["commune"][commune].parent
    if district:
        province = units["district"][district].parent
    return OldUnits(
        province_code=province, province_name=units["province"][province].name if province else "",
        district_code=district, district_name=units["district"][district].name if district else "",
        commune_code=commune, commune_name=units["commune"][commune].name if commune else "",
    )


def _new_commune(index: Index, code: str) -> tuple[Unit, Unit]:
    commune = index.new.units["commune"][code]
    return commune, index.new.units["province"][commune.parent]


def _converted(index: Index, old_code: str, old: OldUnits, street: str) -> Conversion:
    options = index.successors[old_code]
    commune, province = _new_commune(index, options[0][0])
    return Conversion(
        status=Status.CONVERTED, province_code=province.code, province_name=province.name, commune_code=commune.code,
        commune_name=commune.name, commune_type=commune.unit_type, street=street, old=old,
        split=not options[0][1],
        other_communes=tuple((o[0], index.new.units["commune"][o[0]].name) for o in options[1:]),
    )


def _candidate(index: Index, old_code: str, old: OldUnits) -> Candidate:
    commune, province = _new_commune(index, index.successors[old_code][0][0])
    return Candidate(old=old, province_code=province.code, province_name=province.name, commune_code=commune.code,
                     commune_name=commune.name)


def convert(text: str, limit: int = 10) -> Conversion:
    """Convert an old (pre-2025-07-01) address written as free text. Raises AddressInputError on unusable input."""
    text = _check_input(text)
    index = get_index()
    raw = _split_parts(text)
    while raw and read_part(raw[-1])[2] in _COUNTRY:
        raw.pop()
    raw = _split_glued_province(index.old, raw)
    last = read_part(raw[-1]) if raw else (frozenset(), "", "")
    last_is_province = bool(index.old.match("province", last) or index.new.match("province", last))
    readings = _readings(index.old, raw, True, last_is_province)
    best = readings[0] if readings else None
    current = _readings(index.new, _split_glued_province(index.new, raw), False, last_is_province)
    if current and current[0].levels[2] and (best is None or current[0].score > best.score):
        return _from_new_communes(index, current[0], limit)
    if best is not None and best.levels[2]:
        return _from_old_communes(index, best, limit)
    if best is not None and best.levels[1] and len(best.districts) == 1:
        district = next(iter(best.districts))
        if district in index.successors:  # an island district: it became a special zone
            return _converted(index, district, _old_units(index, district=district), _street(best))
    return _not_found(index, best, raw, limit)


def _street(reading: _Reading) -> str:
    return ", ".join(p.strip() for p in reading.street_parts)


def _accented(index: _Map, codes: set[str], typed: str) -> set[str]:
    """Of CODES, those whose name is written in TYPED with the same diacritics ("Trực Hùng", not "Trực Hưng"),
    when that settles something; else CODES."""
    if len(codes) < 2:
        return codes
    written = " " + " ".join(_WORDS.findall(unicodedata.normalize("NFC", typed).lower())) + " "
    same = {c for c in codes if f" {_bare_name(index.units['commune'][c]).lower()} " in written}
    return same if same and len(same) < len(codes) else codes


def _bare_name(unit: Unit) -> str:
    name = unicodedata.normalize("NFC", unit.name)
    return name[len(unit.unit_type):].strip() if name.startswith(unit.unit_type + " ") else name


def _from_old_communes(index: Index, reading: _Reading, limit: int) -> Conversion:
    by_target: dict[str, list[str]] = defaultdict(list)
    reading.communes = _accented(index.old, reading.communes, reading.commune_part)
    for code in sorted(reading.communes):
        by_target[index.successors[code][0][0]].append(code)
    if len(by_target) == 1:
        codes = next(iter(by_target.values()))
        if len(codes) == 1:
            return _converted(index, codes[0], _old_units(index, commune=codes[0]), _street(reading))
        # Several old communes of that name, all now in the same new one: the old district is not known.
        result = _converted(index, codes[0], _old_units(index, commune=codes[0]), _street(reading))
        return Conversion(**{**result.__dict__, "old": _common_old(index, codes)})
    candidates = [_candidate(index, code, _old_units(index, commune=code)) for code in sorted(reading.communes)]
    provinces = {c.province_code for c in candidates}
    province = index.new.units["province"][next(iter(provinces))] if len(provinces) == 1 else None
    return Conversion(status=Status.AMBIGUOUS, street=_street(reading), candidates=tuple(candidates[:limit]),
                      province_code=province.code if province else "", province_name=province.name if province else "")


def _common_old(index: Index, codes: list[str]) -> OldUnits:
    olds = [_old_units(index, commune=c) for c in codes]
    first = olds[0]
    same = {name: len({getattr(o, name) for o in olds}) == 1 for name in first.__dataclass_fields__}
    return OldUnits(**{name: getattr(first, name) if same[name] else "" for name in first.__dataclass_fields__})


def _from_new_communes(index: Index, reading: _Reading, limit: int) -> Conversion:
    codes = sorted(_accented(index.new, reading.communes, reading.commune_part))
    if len(codes) > 1:
        candidates = []
        for code in codes[:limit]:
            commune, province = _new_commune(index, code)
            candidates.append(Candidate(old=None, province_code=province.code, province_name=province.name,
                                        commune_code=code, commune_name=commune.name))
        return Conversion(status=Status.AMBIGUOUS, street=_street(reading), candidates=tuple(candidates))
    commune, province = _new_commune(index, codes[0])
    return Conversion(status=Status.CONVERTED, province_code=province.code, province_name=province.name,
                      commune_code=commune.code, commune_name=commune.name, commune_type=commune.unit_type,
                      street=_street(reading), already_current=True)


def _split_glued_province(the_map: _Map, raw: list[str]) -> list[str]:
    """"tp dong xoai binh phuoc" → "tp dong xoai", "binh phuoc" when the last part ends with a province name."""
    if not raw or the_map.match("province", read_part(raw[-1])):
        return raw
    tokens = read_part(raw[-1])[2].split()
    for size in range(min(4, len(tokens) - 1), 0, -1):
        tail = " ".join(tokens[-size:])
        if the_map.match("province", (frozenset(), tail, tail)):
            return [*raw[:-1], " ".join(tokens[:-size]), tail]
    return raw


def _not_found(index: Index, best: _Reading | None, raw: list[str], limit: int) -> Conversion:
    """No commune: the province if one was recognised, and the old communes whose names are closest to the
    part that should name the commune (within the district or province when known)."""
    old = index.old.units
    scope = list(old["commune"].values())
    new_province = ""
    consumed = 0
    if best is not None:
        consumed = sum(best.levels)
        if best.districts and len(best.districts) == 1:
            district = next(iter(best.districts))
            scope = [u for u in scope if u.parent == district]
        elif best.provinces and len(best.provinces) == 1:
            province = next(iter(best.provinces))
            scope = [u for u in scope if old["district"].get(u.parent, u).parent == province]
        provinces = {index.province_successor.get(p, "") for p in best.provinces}
        if len(provinces) == 1:
            new_province = provinces.pop()
    candidates: list[Candidate] = []
    remaining = raw[: len(raw) - consumed]
    if remaining and len(scope) < len(old["commune"]):
        wanted = read_part(remaining[-1])[1]
        names: dict[str, list[Unit]] = defaultdict(list)
        for unit in scope:
            names[unit.core].append(unit)
        for name in difflib.get_close_matches(wanted, list(names), n=limit, cutoff=0.6):
            candidates.extend(_candidate(index, u.code, _old_units(index, commune=u.code)) for u in names[name])
    elif best is not None and best.districts and len(best.districts) == 1:
        candidates = [_candidate(index, u.code, _old_units(index, commune=u.code)) for u in scope]
    province_unit = index.new.units["province"].get(new_province) if new_province else None
    return Conversion(status=Status.NOT_FOUND, candidates=tuple(candidates[: max(limit, 30)]),
                      province_code=province_unit.code if province_unit else "",
                      province_name=province_unit.name if province_unit else "")


def convert_codes(commune_code: str = "", district_code: str = "") -> Conversion:
    """Convert from the old statistics code of a commune (5 digits) or of an island district (3 digits)."""
    index = get_index()
    commune_code, district_code = commune_code.strip(), district_code.strip()
    if commune_code:
        if not re.fullmatch(r"\d{5}", commune_code):
            raise AddressInputError("bad_commune_code", "Mã xã cũ gồm 5 chữ số.", "An old commune code has 5 digits.")
        if commune_code not in index.old.units["commune"]:
            return Conversion(status=Status.NOT_FOUND)
        return _converted(index, commune_code, _old_units(index, commune=commune_code), "")
    if district_code:
        if not re.fullmatch(r"\d{3}", district_code):
            raise AddressInputError("bad_district_code",
                                    "Mã huyện cũ gồm 3 chữ số.", "An old district code has 3 digits.")
        if district_code in index.successors:
            return _converted(index, district_code, _old_units(index, district=district_code), "")
        if district_code in index.old.units["district"]:
            reading = _Reading(0, set(), {district_code}, set(), [], (False, True, False))
            return _not_found(index, reading, [], 100)
        return Conversion(status=Status.NOT_FOUND)
    raise AddressInputError("empty", "Vui lòng nhập địa chỉ hoặc mã xã cũ.", "Enter an address or an old commune code.")


# --- the 2025 map, for forms -------------------------------------------------------------------------------------

def provinces() -> list[Unit]:
    """The provinces in force, in code order."""
    return sorted(get_index().new.units["province"].values(), key=lambda u: u.code)


def communes_of(province_code: str) -> list[Unit]:
    """The communes, wards and special zones in force in a province, in Vietnamese alphabetical order."""
    from motcua.core.text import sort_key

    units = [u for u in get_index().new.units["commune"].values() if u.parent == province_code]
    return sorted(units, key=lambda u: sort_key(u.name.removeprefix(u.unit_type).strip() or u.name))


def current_commune(code: str) -> Unit | None:
    return get_index().new.units["commune"].get(code)


def current_province(code: str) -> Unit | None:
    return get_index().new.units["province"].get(code)


def describe(candidates: Iterable[Candidate]) -> list[str]:
    return [c.label for c in candidates]


# --- the structured address of e-forms (`"x-format": "address"`) -------------------------------------------------

ADDRESS_PARTS = ("province_code", "commune_code", "street")


def address_schema(spec: dict[str, object]) -> dict[str, object]:
    """The full JSON Schema of an e-form address question written as `{"type": "object", "x-format": "address",
    "title": …}`: the 2025 province and commune codes, the street and house, and the text they make. The author
    may add `"required": ["street"]` to make the street part compulsory."""
    properties: dict[str, object] = {
        "province_code": {"type": "string", "title": "Tỉnh, thành phố", "pattern": "^[0-9]{2}$",
                          "x-format": "province"},
        "commune_code": {"type": "string", "title": "Xã, phường, đặc khu", "pattern": "^[0-9]{5}$",
                         "x-format": "commune"},
        "street": {"type": "string", "title": "Số nhà, đường, thôn, ấp", "maxLength": 200},
        "text": {"type": "string", "maxLength": 400},
    }
    own = spec.get("properties")
    if isinstance(own, dict):
        properties.update(own)
    required = spec.get("required")
    extra = [k for k in required if k not in ("province_code", "commune_code")] if isinstance(required, list) else []
    return {**spec, "type": "object", "properties": properties, "x-order": list(ADDRESS_PARTS),
            "required": ["province_code", "commune_code", *extra]}


def address_text(value: object) -> str:
    """An address answer as a person reads it: "12 Lê Lợi, Phường Trấn Biên, Tỉnh Đồng Nai"."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    commune = current_commune(str(value.get("commune_code", "")))
    province = current_province(str(value.get("province_code", "")))
    if commune is None or province is None or commune.parent != province.code:
        return str(value.get("text", ""))
    return ", ".join(p for p in (str(value.get("street", "")).strip(), commune.name, province.name) if p)


def address_problem(value: object) -> str:
    """Which part of an address answer names no unit of the 2025 map ("province_code", "commune_code"), or ""."""
    if not isinstance(value, dict):
        return ""
    province = str(value.get("province_code", ""))
    commune_code = str(value.get("commune_code", ""))
    if province and current_province(province) is None:
        return "province_code"
    commune = current_commune(commune_code) if commune_code else None
    if commune_code and (commune is None or (province and commune.parent != province)):
        return "commune_code"
    return ""
