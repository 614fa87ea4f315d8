"""Old-address conversion throughput (not a test: nothing here is timed against a limit).

    .venv/bin/python bench/address_convert.py --addresses 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/address_convert.py

Uses a throw-away SQLite file unless DATABASE_URL is set; loads the administrative units if they are missing.
Writes --addresses random old communes (seeded) four ways (full; without diacritics; abbreviated unit words;
with a house and street part before the commune), then prints the time to build the in-memory index and the
conversions per second of `addresses.convert` (one thread), of `convert_codes`, and of the HTTP endpoint
`GET /api/v1/addresses/convert` through Django's test client (no network), with p50/p95 latency.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_MANIFEST_STATIC", "false")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'motcua_bench_addresses.sqlite3'}")

ABBREVIATIONS = {"Phường": "P.", "Xã": "X.", "Thị trấn": "TT.", "Quận": "Q.", "Huyện": "H.", "Thị xã": "TX.",
                 "Thành phố": "TP.", "Tỉnh": "T."}


def _abbreviated(name: str) -> str:
    for word, short in ABBREVIATIONS.items():
        if name.startswith(word + " "):
            return short + " " + name[len(word) + 1:]
    return name


def _addresses(count: int, seed: int) -> tuple[list[str], list[str]]:
    from unidecode import unidecode

    from motcua.directory.units import read_fixture

    data = read_fixture()
    provinces = {row[0]: row[1] for row in data["legacy_provinces"]}
    districts = {row[0]: row for row in data["legacy_districts"]}
    rng = random.Random(seed)
    communes = rng.sample(data["legacy_communes"], count)
    texts = []
    for index, row in enumerate(communes):
        district = districts[row[1]]
        names = (row[2], district[2], provinces[district[1]])
        full = ", ".join(names)
        texts.append([full, unidecode(full).lower(), ", ".join(_abbreviated(n) for n in names),
                      f"Số {index % 200 + 1} đường số {index % 17 + 1}, {full}"][index % 4])
    return texts, [row[0] for row in communes]


def _rate(label: str, calls: list[float], cpu: float) -> None:
    """Wall-clock rate and latency, and the rate per CPU second (what the work costs, whatever else the machine
    is doing meanwhile)."""
    total = sum(calls)
    print(f"{label:<38} {len(calls) / total:>8,.0f} /s wall  {len(calls) / cpu:>8,.0f} /s per CPU second   "
          f"p50 {statistics.median(calls) * 1000:6.2f} ms   p95 {statistics.quantiles(calls, n=20)[18] * 1000:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--addresses", type=int, default=5000)
    parser.add_argument("--http", type=int, default=1000, help="how many of them also through the API")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from motcua.directory import addresses
    from motcua.directory.models import AdministrativeUnit
    from motcua.directory.units import load_units

    call_command("migrate", verbosity=0)
    if not AdministrativeUnit.objects.exists():
        load_units()
    addresses.forget_index()
    started = time.perf_counter()
    addresses.get_index()
    print(f"index built from the database in {(time.perf_counter() - started) * 1000:.0f} ms "
          f"({os.environ['DATABASE_URL'].split(':')[0]})")

    texts, codes = _addresses(args.addresses, args.seed)
    outcomes: dict[str, int] = {}
    calls = []
    cpu = time.process_time()
    for text in texts:
        started = time.perf_counter()
        result = addresses.convert(text)
        calls.append(time.perf_counter() - started)
        outcomes[result.status.value] = outcomes.get(result.status.value, 0) + 1
    _rate(f"convert(text) × {len(texts)}", calls, time.process_time() - cpu)
    print("   outcomes:", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))

    calls = []
    cpu = time.process_time()
    for code in codes:
        started = time.perf_counter()
        addresses.convert_codes(commune_code=code)
        calls.append(time.perf_counter() - started)
    _rate(f"convert_codes × {len(codes)}", calls, time.process_time() - cpu)

    client = Client()
    calls = []
    cpu = time.process_time()
    with override_settings(MOTCUA_ADDRESS_CONVERT_RATE="1000000/m"):
        for text in texts[: args.http]:
            started = time.perf_counter()
            response = client.get("/api/v1/addresses/convert", {"address": text})
            calls.append(time.perf_counter() - started)
            assert response.status_code in (200, 404, 422), response.status_code  # noqa: S101
    _rate(f"GET /api/v1/addresses/convert × {len(calls)}", calls, time.process_time() - cpu)


if __name__ == "__main__":
    main()
