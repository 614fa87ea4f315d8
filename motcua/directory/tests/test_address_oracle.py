"""The old-address converter agrees with `vietnamadminunits`' own converter (the test oracle, a test dependency):
random old communes of several provinces, each written several ways (full, without diacritics, abbreviated unit
words, lower case without the province's unit word)."""

import random

import pytest
from unidecode import unidecode

from motcua.directory.addresses import Status, convert
from motcua.directory.units import read_fixture

pytestmark = pytest.mark.django_db

ABBREVIATIONS = {"Phường": "P.", "Xã": "X.", "Thị trấn": "TT.", "Quận": "Q.", "Huyện": "H.", "Thị xã": "TX.",
                 "Thành phố": "TP.", "Tỉnh": "T."}


def _sample(seed: int, provinces: int, per_province: int) -> list[tuple[str, str, str, str]]:
    """(commune, district, province, commune code) of old communes: a seeded random choice of provinces, then
    of communes in each."""
    data = read_fixture()
    province_names = {row[0]: row[1] for row in data["legacy_provinces"]}
    districts = {row[0]: row for row in data["legacy_districts"]}
    by_province: dict[str, list[list[str]]] = {}
    for row in data["legacy_communes"]:
        by_province.setdefault(districts[row[1]][1], []).append(row)
    rng = random.Random(seed)
    chosen = []
    for province in rng.sample(sorted(by_province), provinces):
        for row in rng.sample(by_province[province], per_province):
            chosen.append((row[2], districts[row[1]][2], province_names[province], row[0]))
    return chosen


def _abbreviated(name: str) -> str:
    for word, short in ABBREVIATIONS.items():
        if name.startswith(word + " "):
            return short + " " + name[len(word) + 1:]
    return name


def _spellings(commune: str, district: str, province: str) -> list[str]:
    full = f"{commune}, {district}, {province}"
    bare_province = province.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    return [
        full,
        unidecode(full),
        ", ".join(_abbreviated(n) for n in (commune, district, province)),
        unidecode(", ".join(_abbreviated(n) for n in (commune, district, bare_province))).lower(),
    ]


def test_sixty_random_old_communes_convert_as_vietnamadminunits_does():
    from vietnamadminunits import convert_address

    sample = _sample(seed=20250701, provinces=12, per_province=5)
    assert len({s[2] for s in sample}) == 12 and len(sample) == 60
    mismatches = []
    for commune, district, province, code in sample:
        expected = convert_address(f"{commune}, {district}, {province}")  # never a street: no geocoding
        assert expected.OldAdminUnit.ward_code == code, (commune, district, province)
        for text in _spellings(commune, district, province):
            got = convert(text)
            if (got.status, got.province_code, got.commune_code, got.old and got.old.commune_code) != (
                    Status.CONVERTED, expected.province_code, expected.ward_code, code):
                mismatches.append((text, got.status, got.commune_code, expected.ward_code))
    assert mismatches == [], '\n'.join(map(str, mismatches))
