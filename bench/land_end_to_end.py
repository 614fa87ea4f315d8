"""The land-use-right transfer end to end through the simulated outside systems: how long from the citizen's online
submission to the signed result, and how much of it is spent waiting on those systems (not a test: nothing here is
timed against a limit).

    .venv/bin/python bench/land_end_to_end.py                       # SQLite, N=10 sequential, 4 concurrent
    .venv/bin/python bench/land_end_to_end.py --dossiers 20 --concurrent 4 --land-ms 400 --tax-ms 500
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_e2e .venv/bin/python bench/land_end_to_end.py

From a fresh clone, one command: `bash scripts/bench_land.sh` (makes .venv, installs requirements.lock, runs this
with the arguments given). It uses a
throw-away SQLite file, DEMO certificates and upload directory (made again each run, under the system's temporary
directory) unless DATABASE_URL is set (PostgreSQL: the database must exist, preferably empty; it is migrated and
the sample data of `setup_demo` is added).

What runs, in this process (docs/benchmarks.md, "Land transfer end to end"):
- motcua itself behind a threaded WSGI server on loopback (the tax authority and the treasury push to it), jobs on
  Django's immediate backend (each job runs when its transaction commits, in the thread that committed: the same
  work `db_worker` would do, without the queue's polling interval);
- the land database simulator (`simulators/land_registry.py`) answering after --land-ms, the tax authority and
  treasury simulator (`simulators/tax_authority.py`) answering after --tax-ms and pushing its notice
  --notice-delay-ms after the form arrived; the treasury's confirmation is pushed --confirm-delay-ms after the
  citizen pays;
- the result signed with the land registration office's own certificate (PKCS#12, the DEMO certificate that
  `setup_demo` makes; the DEMO remote-signing identity belongs to a commune leader, not to the land office).

Per dossier: online submission (the parcel is checked against the land database after commit) → the clerk receives
and forwards → the land office's specialist hands it to the tax step (the form goes to the tax authority, the
dossier pauses) → the notice is pushed → the citizen pays at once, the treasury confirms → the external tax and
treasury steps move on by themselves → the specialist uploads the draft certificate and forwards → the leader
approves and signs → the change is written back to the land database. People act at once (no think time): the
figures are the systems' share of the journey, not the statutory days.

Printed: wall time per dossier (median, p95, max), the time waiting on outside systems (outbound calls from the
call evidence, plus the wait for the notice and the confirmation pushes) and its share, per phase medians, for N
dossiers one after another and then for --concurrent dossiers at a time.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
_TMP = Path(tempfile.gettempdir()) / "motcua_bench_land_e2e"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_MANIFEST_STATIC", "false")
os.environ.setdefault("MOTCUA_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("MOTCUA_DEMO_SIGNING", "true")
os.environ.setdefault("MOTCUA_VIRUS_SCAN", "false")
os.environ.setdefault("MOTCUA_TAX_AUTHORITY_INBOUND_TOKEN", "bench-tax-push-token")
os.environ.setdefault("MOTCUA_DEMO_SIGNING_DIR", str(_TMP / "demo-signing"))
os.environ.setdefault("MEDIA_ROOT", str(_TMP / "media"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TMP / 'db.sqlite3'}")

LAND_FORM = {
    "ben_chuyen_nhuong": {"ho_ten": "Phạm Văn Hùng", "so_dinh_danh": "075085003456"},
    "ben_nhan_chuyen_nhuong": {"ho_ten": "Trần Thị Bình", "so_dinh_danh": "075195004321"},
    "thua_dat": {"so_thua": "125", "to_ban_do": "18", "so_phat_hanh_gcn": "DA 123456"},
    "hop_dong": {"so_cong_chung": "4521", "ngay_cong_chung": "2026-11-10", "gia_chuyen_nhuong": 2_000_000_000},
}
PAPERS = ("don_dang_ky_bien_dong", "giay_chung_nhan", "hop_dong_chuyen_nhuong", "to_khai_tncn", "to_khai_lptb")


@dataclass
class Run:
    code: str = ""
    wall: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    calls_ms: float = 0.0  # outbound calls to outside systems (call evidence)
    push_wait: float = 0.0  # waiting for the notice and the confirmation to be pushed
    calls: int = 0

    @property
    def external(self) -> float:
        return self.calls_ms / 1000 + self.push_wait


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def wait_until(condition, seconds: float = 60.0) -> float:  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    while not condition():
        if time.perf_counter() - began > seconds:
            raise TimeoutError("the outside system did not answer in time")
        time.sleep(0.01)
    return time.perf_counter() - began


def journey(sim, confirm_delay: float, draft: bytes) -> Run:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from django.db import close_old_connections

    from motcua.catalog.models import Procedure
    from motcua.directory.models import Agency
    from motcua.dossiers import actions
    from motcua.dossiers.actions import Applicant, Upload
    from motcua.dossiers.models import Channel, Dossier, Status
    from motcua.integrations.models import CallRecord
    from motcua.land.models import LandWriteBack
    from motcua.signing.actions import approve_with_result, upload_draft
    from motcua.signing.models import ResultDocument
    from motcua.taxexchange.models import TaxNotice

    users = {u.username: u for u in get_user_model().objects.filter(username__in=(
        "tranthibinh", "tiepnhan.ttpvhcc", "chuyenvien.vpdkdd", "lanhdao.vpdkdd"))}
    citizen, clerk = users["tranthibinh"], users["tiepnhan.ttpvhcc"]
    specialist, leader = users["chuyenvien.vpdkdd"], users["lanhdao.vpdkdd"]
    run = Run()
    marks = [("", time.perf_counter())]

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))

    dossier = actions.submit_dossier(
        procedure=Procedure.objects.get(national_code="1.013831"), channel=Channel.ONLINE,
        applicant=Applicant(name="Trần Thị Bình", id_number="075195004321", phone="0987654321"),
        competent_agency=Agency.objects.get(function="land_registration"), actor=citizen, form_data=LAND_FORM,
        uploads=[Upload(code, f"{code}.pdf", b"%PDF-1.4 bench") for code in PAPERS], assurance_level=2)
    run.code = dossier.code
    mark("submission + parcel check")
    dossier = actions.receive_dossier(dossier, actor=clerk)
    dossier = actions.forward_dossier(dossier, actor=clerk)
    mark("receipt")
    dossier = actions.forward_dossier(dossier, actor=specialist)  # the form goes to the tax authority
    mark("form to the tax authority")
    run.push_wait += wait_until(lambda: TaxNotice.objects.filter(dossier_id=dossier.pk).exists())
    mark("waiting for the tax notice")
    notice = TaxNotice.objects.get(dossier_id=dossier.pk, is_current=True)
    time.sleep(confirm_delay)  # the treasury confirms this long after the citizen paid
    sim.state.pay(notice.number)  # pushed to motcua: the obligation is paid, the external steps move on
    run.push_wait += confirm_delay
    run.push_wait += wait_until(lambda: Dossier.objects.get(pk=dossier.pk).current_step.get("key") == "cap_nhat")
    mark("payment confirmed, tax and treasury steps")
    dossier = Dossier.objects.get(pk=dossier.pk)
    upload_draft(dossier, actor=specialist, name="giay-chung-nhan.pdf", content=draft)
    dossier = actions.forward_dossier(dossier, actor=specialist)
    mark("draft result")
    dossier = approve_with_result(dossier, actor=leader)  # signed; the write-back runs after commit
    mark("approval signed + land database write-back")
    run.wall = marks[-1][1] - marks[0][1]
    run.phases = {name: at - marks[i][1] for i, (name, at) in enumerate(marks[1:])}
    calls = CallRecord.objects.filter(dossier_id=dossier.pk)
    run.calls = calls.count()
    run.calls_ms = float(sum(calls.values_list("duration_ms", flat=True)))
    assert dossier.status not in (Status.PAUSED_FOR_FEES, Status.REFUSED), dossier.status  # noqa: S101
    written = LandWriteBack.objects.get(dossier_id=dossier.pk)
    signed = ResultDocument.objects.get(dossier_id=dossier.pk, state=ResultDocument.State.SIGNED)
    assert written.state == LandWriteBack.State.SENT and written.reference, written.state  # noqa: S101
    assert "Đăng ký đất đai" in signed.certificate_subject, signed.certificate_subject  # noqa: S101
    close_old_connections()
    return run


def report(title: str, runs: list[Run], elapsed: float) -> None:
    walls = [r.wall for r in runs]
    external = [r.external for r in runs]
    share = sum(external) / sum(walls)
    print(f"\n{title}: {len(runs)} dossiers in {elapsed:.1f} s ({len(runs) / elapsed * 60:.1f} per minute)")
    print(f"  submission → signed result   median {statistics.median(walls):6.2f} s   p95 "
          f"{percentile(walls, 0.95):6.2f} s   max {max(walls):6.2f} s")
    print(f"  waiting on outside systems   median {statistics.median(external):6.2f} s   share {share:5.1%}  "
          f"(outbound calls {statistics.median([r.calls_ms for r in runs]) / 1000:.2f} s over "
          f"{statistics.median([r.calls for r in runs]):.0f} calls, pushes "
          f"{statistics.median([r.push_wait for r in runs]):.2f} s)")
    for name in runs[0].phases:
        print(f"    {name:<44} median {statistics.median([r.phases[name] for r in runs]):6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=10, help="dossiers one after another")
    parser.add_argument("--concurrent", type=int, default=4, help="then this many at a time (0: skip)")
    parser.add_argument("--land-ms", type=int, default=400, help="the land database's answer time")
    parser.add_argument("--tax-ms", type=int, default=500, help="the tax authority's and treasury's answer time")
    parser.add_argument("--notice-delay-ms", type=int, default=3000,
                        help="from the form's arrival to the pushed notice (an automatic assessment)")
    parser.add_argument("--confirm-delay-ms", type=int, default=1000,
                        help="from the citizen's payment to the treasury's pushed confirmation")
    args = parser.parse_args()

    shutil.rmtree(_TMP, ignore_errors=True)  # the SQLite file, the DEMO certificates and the uploads of a last run
    _TMP.mkdir(parents=True)

    import django

    django.setup()
    logging.disable(logging.WARNING)  # the jobs' and the SMS log backend's lines; pyhanko's path-building warning
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    from simulators.land_registry import LandFaults, LandSimulator
    from simulators.land_registry import SimulatorConfig as LandConfig
    from simulators.tax_authority import SimulatorConfig, TaxFaults, TaxSimulator

    call_command("migrate", verbosity=0)
    call_command("setup_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    import weasyprint

    draft = bytes(weasyprint.HTML(string="<h1>GIẤY CHỨNG NHẬN</h1><p>Trần Thị Bình — thửa 125, tờ 18</p>")
                  .write_pdf())

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=False)
    server.daemon_threads = True
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    tax_config = SimulatorConfig(notice_url=f"{site}/lien-thong/thue/thong-bao/",
                                 receipt_url=f"{site}/lien-thong/thue/chung-tu/",
                                 push_token=settings.MOTCUA_TAX_AUTHORITY_INBOUND_TOKEN,
                                 notice_delay_ms=args.notice_delay_ms, faults=TaxFaults(delay_ms=args.tax_ms))
    with LandSimulator(LandConfig(faults=LandFaults(delay_ms=args.land_ms))) as land, \
            TaxSimulator(tax_config) as sim:
        system = {"read_timeout": 10, "max_attempts": 2}
        settings.MOTCUA_INTEGRATION_SYSTEMS = {"dat_dai": {"base_url": land.url, **system},
                                               "thue": {"base_url": f"{sim.url}/thue", **system},
                                               "kho_bac": {"base_url": f"{sim.url}/kho_bac", **system}}
        print(f"{settings.DATABASES['default']['ENGINE']}; land database {args.land_ms} ms, tax authority and "
              f"treasury {args.tax_ms} ms per call, notice {args.notice_delay_ms} ms after the form, confirmation "
              f"{args.confirm_delay_ms} ms after payment; signed with the land office's PKCS#12 certificate")
        journey(sim, args.confirm_delay_ms / 1000, draft)  # warm-up (fonts, templates, connections)

        began = time.perf_counter()
        runs = [journey(sim, args.confirm_delay_ms / 1000, draft) for _ in range(args.dossiers)]
        report("one after another", runs, time.perf_counter() - began)

        if args.concurrent:
            results: list[Run] = []
            errors: list[BaseException] = []
            total = max(args.concurrent, args.dossiers)

            def worker(count: int) -> None:
                for _ in range(count):
                    try:
                        results.append(journey(sim, args.confirm_delay_ms / 1000, draft))
                    except BaseException as exc:  # reported below
                        errors.append(exc)

            share = [total // args.concurrent + (1 if i < total % args.concurrent else 0)
                     for i in range(args.concurrent)]
            threads = [threading.Thread(target=worker, args=(n,)) for n in share]
            began = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if results:
                report(f"{args.concurrent} at a time", results, time.perf_counter() - began)
            if errors:
                print(f"  {len(errors)} journeys failed: {errors[0]!r}")
    server.shutdown()


if __name__ == "__main__":
    main()
