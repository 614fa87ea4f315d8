"""Population database look-up latency through the integration layer (not a test: nothing is timed against a limit).

    .venv/bin/python bench/population_lookup.py --lookups 300
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/population_lookup.py

Uses a throw-away SQLite file unless DATABASE_URL is set. Starts the population simulator (and an LGSP simulator
routing /dancu/ to it) on loopback, then times `lookup_person` — validation, the HTTP call, the CallRecord, the
RegistryAnswer with its digest, the access-log row — directly and through the gateway, and `differences()` alone;
prints p50/p95/max in ms after a warm-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_MANIFEST_STATIC", "false")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'motcua_bench_population.sqlite3'}")


def timed(label: str, count: int, call: Callable[[int], object]) -> None:
    call(0)  # warm-up
    samples = []
    for i in range(count):
        started = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(f"{label:<46} n={count:<5} p50 {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms   "
          f"max {samples[-1]:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lookups", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)  # the evidence log lines of every call
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from motcua.integrations import lgsp_tokens, population
    from simulators.lgsp import GatewayConfig, GatewaySimulator
    from simulators.population import PEOPLE, PopulationSimulator

    numbers = list(PEOPLE)
    fast = {"connect_timeout": 2, "read_timeout": 5, "max_attempts": 1, "breaker_failures": 1000}
    with PopulationSimulator() as registry, GatewaySimulator(GatewayConfig(routes={"dancu": registry.url})) as gw:
        settings.MOTCUA_INTEGRATION_SYSTEMS = {"dancu": {"base_url": registry.url, **fast}}
        timed("lookup_person, direct", args.lookups,
              lambda i: population.lookup_person(numbers[i % len(numbers)], purpose="bench"))
        settings.MOTCUA_INTEGRATION_SYSTEMS = {"dancu": {"via_lgsp": True, "lgsp_path": "dancu", **fast}}
        settings.MOTCUA_LGSP_URL = gw.url
        settings.MOTCUA_LGSP_TOKEN_STYLE = "client_credentials"  # noqa: S105 - a style name, not a secret
        settings.MOTCUA_LGSP_CLIENT_ID = gw.config.client_id
        os.environ["MOTCUA_LGSP_CLIENT_SECRET"] = gw.config.client_secret
        os.environ["MOTCUA_LGSP_ACCESS_TOKEN"] = gw.config.access_key
        lgsp_tokens.forget_all()
        timed("lookup_person, through the LGSP gateway", args.lookups,
              lambda i: population.lookup_person(numbers[i % len(numbers)], purpose="bench", household=True))
        registry.state.faults.update({"down": True})
        timed("lookup_person, registry down (unavailable)", max(10, args.lookups // 10),
              lambda i: population.lookup_person(numbers[0], purpose="bench"))
    person = PEOPLE[numbers[3]]
    typed = {"full_name": "Tran Thi Binh", "date_of_birth": "20/09/1995", "sex": "nữ",
             "address": "Tổ 5, ấp Phước Hòa, xã Long Thành, tỉnh Đồng Nai"}
    timed("differences()", args.lookups * 10, lambda i: population.differences(typed, person))


if __name__ == "__main__":
    main()
