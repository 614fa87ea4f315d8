"""The land database round trips as motcua makes them (not a test: nothing here is timed against a limit).

    .venv/bin/python bench/land_registry.py --latency-ms 120 --repeat 30
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/land_registry.py

Starts the land database simulator (simulators/land_registry.py) in this process with the given answer latency,
configures it as the `dat_dai` system, and times, with p50/p95/max in ms: a parcel look-up by certificate serial and
by commune/sheet/parcel (`find_parcel`, evidence included), a dossier's parcel check (`check_dossier_parcel`: the
look-up plus its row), and a write-back (`send_change`), each after one warm-up call; then the write-back outbox
(`drain_write_backs`) for --rows approved dossiers' changes, rows per second. Uses a throw-away SQLite file unless
DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_MANIFEST_STATIC", "false")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'motcua_bench_land.sqlite3'}")


def timed(call: Callable[[], object], repeat: int) -> str:
    call()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return f"p50 {statistics.median(samples):7.1f}  p95 {p95:7.1f}  max {samples[-1]:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency-ms", type=int, default=120, help="the simulated land database's answer time")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--rows", type=int, default=50, help="write-backs drained by the outbox")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("setup_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from motcua.adapters import land_registry as adapter
    from motcua.dossiers.models import Dossier
    from motcua.integrations import land_registry as service
    from motcua.land import actions
    from motcua.land.models import LandWriteBack
    from simulators.land_registry import LandFaults, LandSimulator, SimulatorConfig

    with LandSimulator(SimulatorConfig(faults=LandFaults(delay_ms=args.latency_ms))) as sim:
        settings.MOTCUA_INTEGRATION_SYSTEMS = {"dat_dai": {"base_url": sim.url, "read_timeout": 10}}
        serial = adapter.ParcelKey(certificate_serial="DN 012345")
        by_number = adapter.ParcelKey(commune_code="26041", sheet="12", number="347")
        dossier = Dossier.objects.filter(procedure__national_code="1.013831").order_by("pk").first()
        assert dossier is not None  # noqa: S101 - setup_demo makes them
        print(f"land database simulator latency {args.latency_ms} ms, {settings.DATABASES['default']['ENGINE']}")
        print(f"look-up by certificate serial      {timed(lambda: service.find_parcel(serial), args.repeat)}")
        print(f"look-up by commune/sheet/parcel    {timed(lambda: service.find_parcel(by_number), args.repeat)}")
        check = timed(lambda: actions.check_dossier_parcel(dossier.pk), args.repeat)
        print(f"dossier parcel check (+ its row)   {check}")

        def write_back() -> None:
            service.send_change(adapter.ChangeRequest(
                request_id=uuid.uuid4().hex, dossier_code="BENCH", procedure_code="1.013833",
                kind=adapter.CHANGE_HOLDER_INFO, key=serial, approved_at="20261204090000", agency_code="BENCH",
                holder_id_number="075195004321", changed_field="dia_chi", new_value="Bench"))

        print(f"write-back (one change)            {timed(write_back, args.repeat)}")
        dossiers = list(Dossier.objects.order_by("pk")[: args.rows])
        LandWriteBack.objects.filter(dossier__in=dossiers).delete()
        for item in dossiers:
            change = adapter.ChangeRequest(
                request_id=uuid.uuid4().hex, dossier_code=item.code, procedure_code="1.013833",
                kind=adapter.CHANGE_HOLDER_INFO, key=serial, approved_at="20261204090000", agency_code="BENCH",
                holder_id_number="075195004321", changed_field="dia_chi", new_value=item.code)
            LandWriteBack.objects.create(dossier=item, request_id=change.request_id, kind=change.kind,
                                         payload=adapter.build_write_back(change))
        began = time.perf_counter()
        report = actions.drain_write_backs()
        seconds = time.perf_counter() - began
        print(f"outbox drain: {report['sent']} rows in {seconds:.2f} s = {report['sent'] / seconds:.1f} rows/s "
              f"(one worker; bounded by the latency: {1000 / max(args.latency_ms, 1):.1f}/s at best)")
        LandWriteBack.objects.filter(dossier__in=dossiers).delete()


if __name__ == "__main__":
    main()
