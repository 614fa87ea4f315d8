"""Generate N realistic dossiers with their events, and their monthly figures (for benchmarks).

Dossiers are spread over the last 24 months across the published procedures and their competent agencies, with
the channel mix, endings and outcomes of a province (weights below). Each gets a receive event and, when it has
ended, its ending event, exactly as the workflow writes them; dossiers received in the last weeks may still be in
progress (some already overdue). Codes start with SIM- so a real register is never confused with them.

Dates go through the province's working calendar (`WorkingCalendar`, laid out as a line of working seconds by
`motcua.reports.simulation`): receipts fall inside working sessions of working days, the due instant is the one
`WorkingCalendar.due_at` gives (cut-off, same-day and calendar-day procedures included), and the drawn outcome
agrees with the dates — an early result is ready on a day before the due day, an on-time one by the due instant,
a late one after it (with the new appointment of its apology letter); the result is handed over after it is ready.

On PostgreSQL the rows are made by the database itself (INSERT … SELECT over generate_series, seeded), in batches,
and the batch's figures are added to the rollups with one grouped INSERT … ON CONFLICT: 10 M dossiers take minutes,
not hours. Elsewhere (SQLite) the rows are built in Python and the figures rebuilt from the events. Both paths give
rollups equal to `rollups.recompute()` (tested). Each step of the SQL row recipe is a MATERIALIZED CTE: inlined, the
nested CASE expressions were copied into one another and a batch of 50 000 took minutes instead of 11 s.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from motcua.calendar.service import WorkingCalendar
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Channel, Dossier, DossierEvent, Outcome, Status
from motcua.reports.models import Metric
from motcua.reports.rollups import rebuild
from motcua.reports.simulation import WorkingLine

# Weights: channel mix, endings of dossiers received more than a few weeks ago, and outcomes of returned ones.
CHANNELS = [(Channel.ONLINE, 45), (Channel.COUNTER, 45), (Channel.POSTAL, 3), (Channel.NATIONAL_PORTAL, 7)]
ENDINGS = [("return_result", 90), ("refuse", 5), ("withdraw", 5)]
OUTCOMES = [(Outcome.EARLY, 55), (Outcome.ON_TIME, 35), (Outcome.LATE, 10)]
ENDING_STATUS = {"return_result": Status.RETURNED, "refuse": Status.REFUSED, "withdraw": Status.WITHDRAWN}
SPAN_DAYS = 730
LATE_DAYS = 5  # a late result comes within this many working days after the due instant
RETURN_DAYS = 2  # the result is handed over within this many working days after it is ready
HORIZON_DAYS = 400  # calendar laid out this far after today (due dates of recent dossiers)


class Choice(NamedTuple):
    procedure_id: int
    version_id: int
    agency_id: int
    days: Decimal
    unit: str


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


@dataclass(frozen=True)
class Drawn:
    """One dossier's dates, as working-line coordinates (see `motcua.reports.simulation`)."""
    received: int
    start: int  # the statutory clock's start
    due: int
    ready: int | None  # the result ready (returned dossiers)
    finished: int | None  # None: still in progress now
    ending: str | None
    outcome: str


def draw(line: WorkingLine, days: Decimal, unit: str, ending: str, outcome: str, now: int, today: int,
         r_day: float, r_minute: float, r_ready: float, r_gap: float) -> Drawn:
    """A dossier's dates from uniform draws in [0, 1): received at a working instant of a working day before today;
    ready before the due day (early), on the due day by the due instant (on time), or after it (late); handed over
    within RETURN_DAYS; refused or withdrawn before the due instant. The SQL in `_generate_sql` is this, in SQL."""
    day = line.day_length
    received = math.floor(r_day * today) * day + math.floor(r_minute * day)
    start = line.counting_start(received)
    due = line.due(received, days, unit)
    due_day_opens = (math.ceil(due / day) - 1) * day
    ready: int | None = None
    if ending == "return_result":
        if outcome == Outcome.EARLY and due_day_opens <= received:
            outcome = Outcome.ON_TIME  # due the day it was received: it cannot be early
        low, high = {Outcome.EARLY: (received, due_day_opens), Outcome.ON_TIME: (max(received, due_day_opens), due),
                     Outcome.LATE: (due, due + LATE_DAYS * day)}[Outcome(outcome)]
        ready = low + 1 + math.floor(r_ready * (high - low))
        finished = ready + 1 + math.floor(r_gap * RETURN_DAYS * day)
    else:
        finished = received + 1 + math.floor(r_ready * (due - received))
    if finished > now:
        return Drawn(received, start, due, None, None, None, "")
    return Drawn(received, start, due, ready, finished, ending, outcome if ending == "return_result" else "")


class Command(BaseCommand):
    help = "Generate N dossiers with their events and monthly figures (codes start with SIM-)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000, help="dossiers wanted in total (SIM-)")
        parser.add_argument("--seed", type=int, default=766)
        parser.add_argument("--batch", type=int, default=500_000)

    def handle(self, *args: Any, **options: Any) -> None:
        procedures = list(Procedure.objects.published().prefetch_related("competent_agencies")
                          .select_related("current_version"))
        choices = [Choice(p.pk, p.current_version.pk, a.pk, p.current_version.statutory_days,
                          p.current_version.statutory_unit)
                   for p in procedures if p.current_version is not None for a in p.competent_agencies.all()]
        if not choices:
            self.stderr.write("No procedures with agencies: run setup_demo first.")
            return
        now = timezone.now().replace(microsecond=0)
        today = timezone.localdate(now)
        line = WorkingLine(WorkingCalendar.for_province(), today - dt.timedelta(days=SPAN_DAYS),
                           today + dt.timedelta(days=HORIZON_DAYS))
        made = Dossier.objects.filter(code__startswith="SIM-").count()
        total = options["count"]
        began = time.perf_counter()
        generate = self._generate_sql if connection.vendor == "postgresql" else self._generate_python
        while made < total:
            size = min(options["batch"], total - made)
            generate(made, size, choices, line, now, options["seed"])
            made += size
            self.stdout.write(f"{made}/{total} ({time.perf_counter() - began:.0f} s)")
        if connection.vendor != "postgresql":
            self.stdout.write(f"rollup rows: {rebuild()}")

    # --- PostgreSQL: the database makes the rows ------------------------------------------------------------

    def _generate_sql(self, first: int, size: int, choices: list[Choice], line: WorkingLine, now: dt.datetime,
                      seed: int) -> None:
        tz = settings.TIME_ZONE
        day = line.day_length
        today = line.next_day[(timezone.localdate(now) - line.start).days]

        def instant(x: str, closing: bool) -> str:
            """SQL for the instant of coordinate X (an opening or a closing reading, as WorkingLine does)."""
            if closing:
                number, offset = f"(({x} + {day} - 1) / {day} - 1)", f"({x} - (({x} + {day} - 1) / {day} - 1) * {day})"
            else:
                number, offset = f"({x} / {day})", f"mod({x}, {day})"
            test = "<=" if closing else "<"
            branches = " ".join(f"WHEN {offset} {test} {s.last} THEN {s.opens - s.first} + {offset}"
                                for s in line.sessions)
            return f"(cal.days[{number} + 1] + (CASE {branches} END) * interval '1 second') AT TIME ZONE '{tz}'"

        due_day_opens = f"((d.due + {day} - 1) / {day} - 1) * {day}"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS sim_choice (idx int PRIMARY KEY, procedure_id bigint,"
                           " version_id bigint, agency_id bigint, days numeric, unit text) ON COMMIT DROP")
            cursor.execute("TRUNCATE sim_choice")
            cursor.executemany("INSERT INTO sim_choice VALUES (%s, %s, %s, %s, %s, %s)",
                               [(i, *choice) for i, choice in enumerate(choices)])
            cursor.execute("SELECT coalesce(max(id), 0) FROM dossiers_dossier")
            (before,) = cursor.fetchone()
            # A seed per batch: the same --seed gives the same dossiers.
            cursor.execute("SELECT setseed(%s)", [((seed * 7919 + first) % 2_000_000) / 1_000_000 - 1])
            cursor.execute("DROP TABLE IF EXISTS sim_batch")
            cursor.execute(f"""
                CREATE TEMP TABLE sim_batch ON COMMIT DROP AS
                WITH cal AS (SELECT %(days)s::date[] AS days, %(next_day)s::int[] AS next_day),
                g AS (
                    SELECT n, random() AS r_choice, random() AS r_channel, random() AS r_day, random() AS r_minute,
                           random() AS r_end, random() AS r_ready, random() AS r_gap, random() AS r_outcome
                    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS n
                ), t AS MATERIALIZED (
                    SELECT g.*, c.procedure_id, c.version_id, c.agency_id, c.days, c.unit,
                           {_case("g.r_channel", CHANNELS)} AS channel,
                           {_case("g.r_end", ENDINGS)} AS ending,
                           {_case("g.r_outcome", OUTCOMES)} AS drawn_outcome,
                           floor(g.r_day * {today})::bigint * {day} + floor(g.r_minute * {day})::bigint AS received
                    FROM g JOIN sim_choice c ON c.idx = floor(g.r_choice * %(choices)s)::int
                ), s AS MATERIALIZED (
                    SELECT t.*, CASE WHEN mod(t.received, {day}) < {line.cutoff} THEN t.received
                                     ELSE (t.received / {day} + 1) * {day} END AS start
                    FROM t
                ), d AS MATERIALIZED (
                    SELECT s.*, CASE
                        WHEN s.unit = 'calendar_days' THEN (cal.next_day[(cal.days[s.received / {day} + 1]
                            - %(start_date)s::date) + ceil(s.days)::int + 1] + 1)::bigint * {day}
                        WHEN s.days = 0 THEN (s.start / {day} + 1) * {day}
                        ELSE s.start + round(s.days * {day})::bigint END AS due
                    FROM s CROSS JOIN cal
                ), o AS MATERIALIZED (
                    SELECT d.*, CASE WHEN d.drawn_outcome = '{Outcome.EARLY}' AND {due_day_opens} <= d.received
                                     THEN '{Outcome.ON_TIME}' ELSE d.drawn_outcome END AS outcome_if_returned,
                           {due_day_opens} AS due_day_opens
                    FROM d
                ), r AS MATERIALIZED (
                    SELECT o.*, CASE WHEN o.ending <> 'return_result' THEN NULL
                        WHEN o.outcome_if_returned = '{Outcome.EARLY}'
                            THEN o.received + 1 + floor(o.r_ready * (o.due_day_opens - o.received))::bigint
                        WHEN o.outcome_if_returned = '{Outcome.ON_TIME}'
                            THEN greatest(o.received, o.due_day_opens) + 1
                                 + floor(o.r_ready * (o.due - greatest(o.received, o.due_day_opens)))::bigint
                        ELSE o.due + 1 + floor(o.r_ready * {LATE_DAYS * day})::bigint END AS ready
                    FROM o
                ), f AS MATERIALIZED (
                    SELECT r.*, CASE WHEN r.ending = 'return_result'
                                     THEN r.ready + 1 + floor(r.r_gap * {RETURN_DAYS * day})::bigint
                                     ELSE r.received + 1 + floor(r.r_ready * (r.due - r.received))::bigint
                                END AS finished
                    FROM r
                ), e AS (
                    SELECT f.*, f.finished <= %(now_x)s AS done FROM f
                )
                SELECT e.n, e.procedure_id, e.version_id, e.agency_id, e.channel,
                       CASE WHEN NOT e.done THEN '{Status.PROCESSING}'
                            WHEN e.ending = 'return_result' THEN '{Status.RETURNED}'
                            WHEN e.ending = 'refuse' THEN '{Status.REFUSED}' ELSE '{Status.WITHDRAWN}' END AS status,
                       {instant("e.received", closing=False)} AS received_at,
                       {instant("e.due", closing=True)} AS due_at,
                       CASE WHEN e.done AND e.ending = 'return_result' THEN {instant("e.ready", closing=True)} END
                           AS result_ready_at,
                       CASE WHEN e.done AND e.ending = 'return_result' AND e.outcome_if_returned = '{Outcome.LATE}'
                            THEN {instant(f"((e.ready + {day} - 1) / {day}) * {day}", closing=True)} END
                           AS extended_due_at,
                       CASE WHEN e.done THEN {instant("e.finished", closing=True)} END AS finished_at,
                       CASE WHEN e.done AND e.ending = 'return_result' THEN e.outcome_if_returned ELSE '' END
                           AS outcome,
                       CASE WHEN e.done AND e.ending = 'return_result' THEN greatest(e.ready - e.start, 0) / 60 END
                           AS taken_minutes,
                       CASE WHEN e.done AND e.ending = 'return_result' THEN (e.due - e.start) / 60 END
                           AS allowed_minutes
                FROM e CROSS JOIN cal
            """, {"first": first, "last": first + size - 1, "choices": len(choices), "days": line.days,  # noqa: S608 - constants only
                  "next_day": line.next_day, "start_date": line.start, "now_x": line.coordinate(now)})
            cursor.execute("""
                INSERT INTO dossiers_dossier (
                    code, lookup_secret, procedure_id, procedure_version_id, channel, status, applicant_id,
                    applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address,
                    organisation_id, form_data, return_method, postal_tracking, external_id, idempotency_key,
                    request_fingerprint, receiving_agency_id, competent_agency_id, step_index, current_agency_id,
                    "current_role", assignee_id, version, submitted_at, received_at, due_at, extended_due_at,
                    step_started_at, step_due_at, paused_at, result_ready_at, finished_at, outcome, created_at)
                SELECT 'SIM-' || lpad(n::text, 9, '0'), 'SIMULATED0', procedure_id, version_id, channel, status,
                       NULL, 'Công dân mô phỏng', '', '', '', '', NULL, '{}'::jsonb, 'counter', '', '', NULL, '',
                       agency_id, agency_id, 1, agency_id, 'specialist', NULL,
                       CASE WHEN finished_at IS NULL THEN 1 ELSE 2 END,
                       received_at, received_at, due_at, extended_due_at, received_at, NULL, NULL, result_ready_at,
                       finished_at, outcome, received_at
                FROM sim_batch ORDER BY n
            """)
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
                SELECT month, agency_id, procedure_id, channel, metric, sum(amount) FROM (
                    SELECT {month % "received_at"} AS month, agency_id, procedure_id, channel,
                           '{Metric.RECEIVED}' AS metric, 1 AS amount
                    FROM sim_batch
                    UNION ALL
                    SELECT {month % "finished_at"}, agency_id, procedure_id, channel,
                           CASE WHEN status = '{Status.REFUSED}' THEN 'refused'
                                WHEN status = '{Status.WITHDRAWN}' THEN 'withdrawn'
                                ELSE 'resolved_' || outcome END, 1
                    FROM sim_batch WHERE finished_at IS NOT NULL
                    UNION ALL
                    SELECT {month % "finished_at"}, agency_id, procedure_id, channel, minutes.metric, minutes.amount
                    FROM sim_batch CROSS JOIN LATERAL (VALUES ('{Metric.RESOLUTION_MINUTES}', taken_minutes),
                                                              ('{Metric.ALLOWED_MINUTES}', allowed_minutes))
                         AS minutes (metric, amount)
                    WHERE finished_at IS NOT NULL AND status = '{Status.RETURNED}'
                ) AS cells
                GROUP BY month, agency_id, procedure_id, channel, metric
                HAVING sum(amount) > 0
                ON CONFLICT (month, agency_id, procedure_id, channel, metric)
                DO UPDATE SET value = reports_monthlyrollup.value + EXCLUDED.value
            """)  # noqa: S608 - constants only

    # --- elsewhere: Python rows, then a rebuild of the figures ----------------------------------------------

    def _generate_python(self, first: int, size: int, choices: list[Choice], line: WorkingLine,
                         now: dt.datetime, seed: int) -> None:
        rng = random.Random(seed * 7919 + first)  # noqa: S311 - reproducible test data, not secrets
        now_x = line.coordinate(now)
        today = line.next_day[(timezone.localdate(now) - line.start).days]
        with transaction.atomic():
            dossiers, plans = [], []
            for number in range(first, first + size):
                choice = rng.choice(choices)
                channel = pick(rng, CHANNELS)
                plan = draw(line, choice.days, choice.unit, pick(rng, ENDINGS), pick(rng, OUTCOMES), now_x, today,
                            rng.random(), rng.random(), rng.random(), rng.random())
                status = ENDING_STATUS[plan.ending] if plan.ending else Status.PROCESSING
                received = line.opening(plan.received)
                late = plan.outcome == Outcome.LATE and plan.ready is not None
                finished = line.closing(plan.finished) if plan.finished is not None else None
                dossiers.append(Dossier(
                    code=f"SIM-{number:09d}", lookup_secret="SIMULATED0",  # noqa: S106 - simulated rows
                    procedure_id=choice.procedure_id, procedure_version_id=choice.version_id, channel=channel,
                    status=status, applicant_name="Công dân mô phỏng", receiving_agency_id=choice.agency_id,
                    competent_agency_id=choice.agency_id, current_agency_id=choice.agency_id,
                    current_role="specialist", submitted_at=received, received_at=received,
                    due_at=line.closing(plan.due), step_started_at=received,
                    result_ready_at=line.closing(plan.ready) if plan.ready is not None else None,
                    extended_due_at=line.closing(math.ceil(plan.ready / line.day_length) * line.day_length)
                    if late and plan.ready is not None else None,
                    finished_at=finished,
                    outcome=plan.outcome, version=2 if plan.ending else 1, step_index=1,
                ))
                plans.append((plan, received, finished))
            Dossier.objects.bulk_create(dossiers, batch_size=2000)
            events = []
            for dossier, (plan, received, finished) in zip(dossiers, plans, strict=True):
                events.append(DossierEvent(dossier=dossier, seq=1, action="receive", from_status="",
                                           to_status=Status.RECEIVED, from_step=None, to_step=0,
                                           to_agency_id=dossier.competent_agency_id, created_at=received))
                if plan.ending and finished is not None:
                    events.append(DossierEvent(dossier=dossier, seq=2, action=plan.ending,
                                               from_status=Status.PROCESSING, to_status=dossier.status, from_step=1,
                                               to_step=1, to_agency_id=dossier.competent_agency_id,
                                               created_at=finished,
                                               data={"outcome": plan.outcome} if plan.outcome else {}))
            DossierEvent.objects.bulk_create(events, batch_size=2000)
