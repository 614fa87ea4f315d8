"""Generate N realistic dossiers with their events, and their monthly figures (for benchmarks).

Dossiers are spread over the last 24 months across the published procedures and their competent agencies, with
the channel mix, endings and outcomes of a province (weights below). Each gets a receive event and, when it has
ended, its ending event, exactly as the workflow writes them; dossiers received in the last weeks may still be in
progress (some already overdue). Codes start with SIM- so a real register is never confused with them.

On PostgreSQL the rows are made by the database itself (INSERT … SELECT over generate_series, seeded), in batches,
and the batch's figures are added to the rollups with one grouped INSERT … ON CONFLICT: 10 M dossiers take minutes,
not hours. Elsewhere (SQLite) the rows are built in Python and the figures rebuilt from the events. Both paths give
rollups equal to `rollups.recompute()` (tested).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Channel, Dossier, DossierEvent, Outcome, Status
from motcua.reports.rollups import rebuild

# Weights: channel mix, endings of dossiers received more than a few weeks ago, and outcomes of returned ones.
CHANNELS = [(Channel.ONLINE, 45), (Channel.COUNTER, 45), (Channel.POSTAL, 3), (Channel.NATIONAL_PORTAL, 7)]
ENDINGS = [("return_result", 90), ("refuse", 5), ("withdraw", 5)]
OUTCOMES = [(Outcome.EARLY, 55), (Outcome.ON_TIME, 35), (Outcome.LATE, 10)]
ENDING_STATUS = {"return_result": Status.RETURNED, "refuse": Status.REFUSED, "withdraw": Status.WITHDRAWN}
ENDING_METRIC = {"refuse": "refused", "withdraw": "withdrawn"}
SPAN_DAYS = 730
MAX_HOURS = 400  # time from receipt to the end


def pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _thresholds(weighted: list[tuple[Any, int]]) -> list[tuple[Any, float]]:
    """Cumulative probabilities, for CASE WHEN r < p THEN … in SQL."""
    whole = sum(w for _v, w in weighted)
    running, out = 0, []
    for value, weight in weighted:
        running += weight
        out.append((value, running / whole))
    return out


def _case(column: str, weighted: list[tuple[Any, int]]) -> str:
    branches = " ".join(f"WHEN {column} < {p!r} THEN '{v}'" for v, p in _thresholds(weighted)[:-1])
    return f"CASE {branches} ELSE '{weighted[-1][0]}' END"


class Command(BaseCommand):
    help = "Generate N dossiers with their events and monthly figures (codes start with SIM-)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000, help="dossiers wanted in total (SIM-)")
        parser.add_argument("--seed", type=int, default=766)
        parser.add_argument("--batch", type=int, default=500_000)

    def handle(self, *args: Any, **options: Any) -> None:
        procedures = list(Procedure.objects.published().prefetch_related("competent_agencies")
                          .select_related("current_version"))
        choices = [(p.pk, p.current_version_id, a.pk) for p in procedures if p.current_version_id
                   for a in p.competent_agencies.all()]
        if not choices:
            self.stderr.write("No procedures with agencies: run setup_demo first.")
            return
        now = timezone.now().replace(microsecond=0)
        made = Dossier.objects.filter(code__startswith="SIM-").count()
        total = options["count"]
        began = time.perf_counter()
        generate = self._generate_sql if connection.vendor == "postgresql" else self._generate_python
        while made < total:
            size = min(options["batch"], total - made)
            generate(made, size, choices, now, options["seed"])
            made += size
            self.stdout.write(f"{made}/{total} ({time.perf_counter() - began:.0f} s)")
        if connection.vendor != "postgresql":
            self.stdout.write(f"rollup rows: {rebuild()}")

    # --- PostgreSQL: the database makes the rows ------------------------------------------------------------

    def _generate_sql(self, first: int, size: int, choices: list[tuple[int, int, int]], now: dt.datetime,
                      seed: int) -> None:
        tz = settings.TIME_ZONE
        start = now - dt.timedelta(days=SPAN_DAYS)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS sim_choice (idx int PRIMARY KEY, procedure_id bigint,"
                           " version_id bigint, agency_id bigint) ON COMMIT DROP")
            cursor.execute("TRUNCATE sim_choice")
            cursor.executemany("INSERT INTO sim_choice VALUES (%s, %s, %s, %s)",
                               [(i, p, v, a) for i, (p, v, a) in enumerate(choices)])
            cursor.execute("SELECT coalesce(max(id), 0) FROM dossiers_dossier")
            (before,) = cursor.fetchone()
            # A seed per batch: the same --seed gives the same dossiers.
            cursor.execute("SELECT setseed(%s)", [((seed * 7919 + first) % 2_000_000) / 1_000_000 - 1])
            cursor.execute(f"""
                WITH g AS (
                    SELECT n, random() AS r_choice, random() AS r_channel, random() AS r_time,
                           random() AS r_end, random() AS r_hours, random() AS r_outcome
                    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS n
                ), t AS (
                    SELECT g.*, c.procedure_id, c.version_id, c.agency_id,
                           {_case("g.r_channel", CHANNELS)} AS channel,
                           %(start)s::timestamptz + g.r_time * interval '{SPAN_DAYS} days' AS received,
                           {_case("g.r_end", ENDINGS)} AS ending,
                           {_case("g.r_outcome", OUTCOMES)} AS drawn_outcome
                    FROM g JOIN sim_choice c ON c.idx = floor(g.r_choice * %(choices)s)::int
                ), e AS (
                    SELECT t.*, t.received + (4 + floor(t.r_hours * {MAX_HOURS - 4})) * interval '1 hour' AS ends
                    FROM t
                )
                INSERT INTO dossiers_dossier (
                    code, lookup_secret, procedure_id, procedure_version_id, channel, status, applicant_id,
                    applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address,
                    organisation_id, form_data, return_method, postal_tracking, external_id, idempotency_key,
                    request_fingerprint, receiving_agency_id, competent_agency_id, step_index, current_agency_id,
                    "current_role", assignee_id, version, submitted_at, received_at, due_at, extended_due_at,
                    step_started_at, step_due_at, paused_at, result_ready_at, finished_at, outcome, created_at)
                SELECT 'SIM-' || lpad(n::text, 9, '0'), 'SIMULATED0', procedure_id, version_id, channel,
                       CASE WHEN ends > %(now)s THEN '{Status.PROCESSING}'
                            WHEN ending = 'return_result' THEN '{Status.RETURNED}'
                            WHEN ending = 'refuse' THEN '{Status.REFUSED}' ELSE '{Status.WITHDRAWN}' END,
                       NULL, 'Công dân mô phỏng', '', '', '', '', NULL, '{{}}'::jsonb, 'counter', '', '', NULL, '',
                       agency_id, agency_id, 1, agency_id, 'specialist', NULL,
                       CASE WHEN ends > %(now)s THEN 1 ELSE 2 END,
                       received, received, received + interval '10 days', NULL, received, NULL, NULL, NULL,
                       CASE WHEN ends > %(now)s THEN NULL ELSE ends END,
                       CASE WHEN ends <= %(now)s AND ending = 'return_result' THEN drawn_outcome ELSE '' END,
                       received
                FROM e ORDER BY n
            """, {"first": first, "last": first + size - 1, "start": start, "now": now, "choices": len(choices)})  # noqa: S608 - constants only
            sim = "id > %(before)s AND code LIKE 'SIM-%%'"
            cursor.execute(f"""
                INSERT INTO dossiers_dossierevent (dossier_id, seq, action, from_status, to_status, from_step, to_step,
                    actor_id, actor_agency_id, to_agency_id, note, is_public, data, created_at)
                SELECT id, 1, 'receive', '', '{Status.RECEIVED}', NULL::smallint, 0, NULL::bigint, NULL::bigint,
                       competent_agency_id, '', true, '{{}}'::jsonb, received_at
                FROM dossiers_dossier WHERE {sim}
                UNION ALL
                SELECT id, 2, CASE status WHEN '{Status.RETURNED}' THEN 'return_result'
                                          WHEN '{Status.REFUSED}' THEN 'refuse' ELSE 'withdraw' END,
                       '{Status.PROCESSING}', status, 1, 1, NULL, NULL, competent_agency_id, '', true,
                       CASE WHEN outcome <> '' THEN jsonb_build_object('outcome', outcome) ELSE '{{}}'::jsonb END,
                       finished_at
                FROM dossiers_dossier WHERE {sim} AND finished_at IS NOT NULL
            """, {"before": before})  # noqa: S608 - constants only
            month = f"date_trunc('month', %s AT TIME ZONE '{tz}')::date"
            cursor.execute(f"""
                INSERT INTO reports_monthlyrollup (month, agency_id, procedure_id, channel, metric, value)
                SELECT month, agency_id, procedure_id, channel, metric, count(*) FROM (
                    SELECT {month % "received_at"} AS month, competent_agency_id AS agency_id, procedure_id,
                           channel, 'received' AS metric
                    FROM dossiers_dossier WHERE {sim}
                    UNION ALL
                    SELECT {month % "finished_at"}, competent_agency_id, procedure_id, channel,
                           CASE WHEN status = '{Status.REFUSED}' THEN 'refused'
                                WHEN status = '{Status.WITHDRAWN}' THEN 'withdrawn'
                                ELSE 'resolved_' || outcome END
                    FROM dossiers_dossier WHERE {sim} AND finished_at IS NOT NULL
                ) AS cells
                GROUP BY month, agency_id, procedure_id, channel, metric
                ON CONFLICT (month, agency_id, procedure_id, channel, metric)
                DO UPDATE SET value = reports_monthlyrollup.value + EXCLUDED.value
            """, {"before": before})  # noqa: S608 - constants only

    # --- elsewhere: Python rows, then a rebuild of the figures ----------------------------------------------

    def _generate_python(self, first: int, size: int, choices: list[tuple[int, int, int]], now: dt.datetime,
                         seed: int) -> None:
        rng = random.Random(seed * 7919 + first)  # noqa: S311 - reproducible test data, not secrets
        start = now - dt.timedelta(days=SPAN_DAYS)
        with transaction.atomic():
            dossiers, plans = [], []
            for number in range(first, first + size):
                procedure_id, version_id, agency_id = rng.choice(choices)
                channel = pick(rng, CHANNELS)
                received = start + dt.timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
                ending = pick(rng, ENDINGS)
                outcome = pick(rng, OUTCOMES)
                ends = received + dt.timedelta(hours=4 + rng.randrange(MAX_HOURS - 4))
                if ends > now:
                    ending, finished, outcome = None, None, ""
                else:
                    finished = ends
                    outcome = outcome if ending == "return_result" else ""
                status = ENDING_STATUS[ending] if ending else Status.PROCESSING
                dossiers.append(Dossier(
                    code=f"SIM-{number:09d}", lookup_secret="SIMULATED0",  # noqa: S106 - simulated rows
                    procedure_id=procedure_id, procedure_version_id=version_id, channel=channel, status=status,
                    applicant_name="Công dân mô phỏng", receiving_agency_id=agency_id, competent_agency_id=agency_id,
                    current_agency_id=agency_id, current_role="specialist", submitted_at=received,
                    received_at=received, due_at=received + dt.timedelta(days=10), step_started_at=received,
                    finished_at=finished, outcome=outcome, version=2 if ending else 1, step_index=1,
                ))
                plans.append((received, ending, outcome, finished, status))
            Dossier.objects.bulk_create(dossiers, batch_size=2000)
            events = []
            for dossier, (received, ending, outcome, finished, status) in zip(dossiers, plans, strict=True):
                events.append(DossierEvent(dossier=dossier, seq=1, action="receive", from_status="",
                                           to_status=Status.RECEIVED, from_step=None, to_step=0,
                                           to_agency_id=dossier.competent_agency_id, created_at=received))
                if ending and finished is not None:
                    events.append(DossierEvent(dossier=dossier, seq=2, action=ending, from_status=Status.PROCESSING,
                                               to_status=status, from_step=1, to_step=1,
                                               to_agency_id=dossier.competent_agency_id, created_at=finished,
                                               data={"outcome": outcome} if outcome else {}))
            DossierEvent.objects.bulk_create(events, batch_size=2000)
