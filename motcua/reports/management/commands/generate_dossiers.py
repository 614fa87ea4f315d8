"""Generate N realistic dossiers with their events (for benchmarks), then rebuild the statistics."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Channel, Dossier, DossierEvent, Outcome, Status
from motcua.reports.rollups import rebuild

CHANNELS = [(Channel.ONLINE, 45), (Channel.COUNTER, 45), (Channel.POSTAL, 3), (Channel.NATIONAL_PORTAL, 7)]
ENDINGS = [("return_result", 80), ("refuse", 4), ("withdraw", 3), (None, 13)]
OUTCOMES = [(Outcome.EARLY, 55), (Outcome.ON_TIME, 35), (Outcome.LATE, 10)]


def pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


class Command(BaseCommand):
    help = "Generate N dossiers spread over 24 months with receive/ending events (codes start with SIM-)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=766)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])  # noqa: S311 - reproducible test data, not secrets
        procedures = list(Procedure.objects.published().prefetch_related("competent_agencies")
                          .select_related("current_version"))
        choices = [(p, a) for p in procedures for a in p.competent_agencies.all()]
        if not choices:
            self.stderr.write("No procedures with agencies: run setup_demo first.")
            return
        start = timezone.now() - dt.timedelta(days=730)
        made = Dossier.objects.filter(code__startswith="SIM-").count()
        total = options["count"]
        while made < total:
            size = min(options["batch"], total - made)
            with transaction.atomic():
                dossiers = []
                plans = []
                for number in range(made, made + size):
                    procedure, agency = rng.choice(choices)
                    received = start + dt.timedelta(seconds=rng.randrange(730 * 86400))
                    ending = pick(rng, ENDINGS)
                    outcome = pick(rng, OUTCOMES) if ending == "return_result" else ""
                    finished = received + dt.timedelta(hours=rng.randrange(4, 400)) if ending else None
                    status = {"return_result": Status.RETURNED, "refuse": Status.REFUSED,
                              "withdraw": Status.WITHDRAWN, None: Status.PROCESSING}[ending]
                    dossiers.append(Dossier(
                        code=f"SIM-{number:09d}", lookup_secret="SIMULATED0",  # noqa: S106 - simulated rows procedure=procedure,
                        procedure_version=procedure.current_version, channel=pick(rng, CHANNELS), status=status,
                        applicant_name="Công dân mô phỏng", receiving_agency=agency, competent_agency=agency,
                        current_agency=agency, current_role="specialist", submitted_at=received,
                        received_at=received, due_at=received + dt.timedelta(days=10), finished_at=finished,
                        outcome=outcome, version=2 if ending else 1, step_index=1,
                    ))
                    plans.append((received, ending, outcome, finished, status))
                Dossier.objects.bulk_create(dossiers, batch_size=size)
                events = []
                for dossier, (received, ending, outcome, finished, status) in zip(dossiers, plans, strict=True):
                    events.append(DossierEvent(dossier=dossier, seq=1, action="receive", from_status="",
                                               to_status=Status.RECEIVED, from_step=None, to_step=0,
                                               created_at=received))
                    if ending and finished is not None:
                        events.append(DossierEvent(dossier=dossier, seq=2, action=ending,
                                                   from_status=Status.PROCESSING, to_status=status, from_step=1,
                                                   to_step=1, created_at=finished,
                                                   data={"outcome": outcome} if outcome else {}))
                DossierEvent.objects.bulk_create(events, batch_size=size * 2)
            made += size
            self.stdout.write(f"{made}/{total}")
        self.stdout.write(f"rollup rows: {rebuild()}")
