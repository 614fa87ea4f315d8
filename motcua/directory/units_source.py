"""Build the administrative-units fixture from the `vietnamadminunits` package (development time only).

Source: PyPI `vietnamadminunits` 1.0.4 (MIT), file `data/dataset.db` (tables `admin_units`: 34 provinces and
3,321 communes in force since 2025-07-01; `admin_units_legacy`: the 63-province, 3-level map before it) and
`data/converter_2025.json` (which old communes merged, wholly or partly, into which new ones). Its codes are
the National Statistics Office codes (danhmuchanhchinh.nso.gov.vn).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

SOURCE_PACKAGE = "vietnamadminunits"
SOURCE_VERSION = "1.0.4"


def _unit_type(name: str, short: str) -> str:
    return name[: len(name) - len(short)].strip() if short and name.endswith(short) else name.split(" ")[0]


def build_fixture() -> dict[str, Any]:
    import vietnamadminunits

    data_dir = Path(vietnamadminunits.__file__).parent / "data"
    db = sqlite3.connect(data_dir / "dataset.db")
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))

    provinces: dict[str, list[str]] = {}
    communes: list[list[str]] = []
    new_province_code: dict[str, str] = {}
    new_ward_code: dict[tuple[str, str], str] = {}
    rows = db.execute(
        "select province, provinceShort, provinceCode, provinceKey, ward, wardShort, wardType, wardCode, wardKey "
        "from admin_units order by provinceCode, wardCode"
    )
    for p_name, p_short, p_code, p_key, w_name, w_short, w_type, w_code, w_key in rows:
        provinces[p_code] = [p_code, p_name, p_short, _unit_type(p_name, p_short)]
        new_province_code[p_key] = p_code
        if (p_key, w_key) in new_ward_code:
            raise ValueError(f"ambiguous new ward key {p_key}/{w_key}")
        new_ward_code[(p_key, w_key)] = w_code
        communes.append([w_code, p_code, w_name, w_short, w_type])

    legacy_provinces: dict[str, list[str]] = {}
    legacy_districts: dict[str, list[str]] = {}
    legacy_communes: list[list[str]] = []
    legacy_province_code: dict[str, str] = {}
    legacy_ward_code: dict[str, str] = {}
    rows = db.execute(
        "select province, provinceShort, provinceCode, provinceKey, district, districtShort, districtType, "
        "districtCode, districtKey, ward, wardShort, wardType, wardCode, wardKey "
        "from admin_units_legacy order by provinceCode, districtCode, wardCode"
    )
    for (p_name, p_short, p_code, p_key, d_name, d_short, d_type, d_code, d_key,
         w_name, w_short, w_type, w_code, w_key) in rows:
        legacy_provinces[p_code] = [p_code, p_name, p_short, _unit_type(p_name, p_short)]
        legacy_province_code[p_key] = p_code
        legacy_districts[d_code] = [d_code, p_code, d_name, d_short, d_type]
        if w_code:
            legacy_communes.append([w_code, d_code, w_name, w_short, w_type])
            legacy_ward_code[f"{p_key}_{d_key}_{w_key}"] = w_code

    province_successions = sorted(
        [legacy_province_code[old_key], new_province_code[new_key]]
        for new_key, old_keys in converter["DICT_PROVINCE"].items()
        for old_key in old_keys
    )
    commune_successions: set[tuple[str, str, str, bool]] = set()
    unresolved: list[str] = []
    for new_p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w_key, old_keys in wards.items():
            for old_key in old_keys:
                if old_key in legacy_ward_code:
                    commune_successions.add(
                        (legacy_ward_code[old_key], new_ward_code[(new_p_key, new_w_key)], "whole", True)
                    )
                else:
                    unresolved.append(old_key)
    for new_p_key, old_wards in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in old_wards.items():
            if old_key not in legacy_ward_code:
                unresolved.append(old_key)
                continue
            for target in targets:
                commune_successions.add((
                    legacy_ward_code[old_key], new_ward_code[(new_p_key, target["newWardKey"])], "part",
                    bool(target["isDefaultNewWard"]),
                ))
    # Island districts had no communes; each became a special zone (đặc khu) of the same name.
    district_successions: list[list[Any]] = []
    legacy_district_code = {
        f"{p_key}_{d_key}_": d_code
        for p_key, d_key, d_code in db.execute("select provinceKey, districtKey, districtCode from admin_units_legacy")
    }
    special_zones = {(p_code, short): code for code, p_code, _n, short, kind in communes if kind == "Đặc khu"}
    resolved: set[str] = set()
    for old_key in unresolved:
        d_code = legacy_district_code.get(old_key)
        if d_code is None:
            continue
        _code, p_code, _name, d_short, _kind = legacy_districts[d_code]
        new_p_code = dict(province_successions)[p_code]
        if (new_p_code, d_short) in special_zones:
            district_successions.append([d_code, special_zones[(new_p_code, d_short)], "whole", True])
            resolved.add(old_key)
    unresolved = [key for key in unresolved if key not in resolved]
    return {
        "source": f"{SOURCE_PACKAGE} {SOURCE_VERSION} (PyPI, MIT): data/dataset.db, data/converter_2025.json; "
                  "codes of the National Statistics Office (danhmuchanhchinh.nso.gov.vn)",
        "built_on": dt.date.today().isoformat(),  # noqa: DTZ011 - a build date stamp
        "reform_date": "2025-07-01",
        "legacy_valid_to": "2025-06-30",
        "provinces": list(provinces.values()),
        "communes": communes,
        "legacy_provinces": list(legacy_provinces.values()),
        "legacy_districts": list(legacy_districts.values()),
        "legacy_communes": legacy_communes,
        "province_successions": province_successions,
        "commune_successions": sorted([list(s) for s in commune_successions]),
        "district_successions": sorted(district_successions),
        "unresolved_legacy_keys": sorted(set(unresolved)),
    }
