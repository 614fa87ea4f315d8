"""The benchmark's dossier generator writes dossiers, events and figures that agree with each other: the rollups
it leaves equal the ones recomputed from its events, on SQLite (Python rows) and PostgreSQL (SQL rows)."""

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from motcua.calendar.service import WorkingCalendar
from motcua.dossiers.deadlines import outcome_of
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.reports.models import Metric
from motcua.reports.rollups import recompute, resolution_minutes, stored


def test_generated_dossiers_events_and_figures_agree(demo_catalog):
    call_command("generate_dossiers", count=600, batch=250, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Dossier.objects.filter(code__startswith="SIM-").count() == 600
    call_command("generate_dossiers", count=600, stdout=open("/dev/null", "w"))  # noqa: SIM115 - already there
    assert Dossier.objects.count() == 600

    figures = stored()
    assert figures == recompute()
    received = sum(v for cell, v in figures.items() if cell[4] == "received")
    assert received == 600 == DossierEvent.objects.filter(action="receive").count()

    by_status = dict(Dossier.objects.values_list("status").annotate(n=Count("id")))
    assert by_status[Status.RETURNED] > 400 and by_status.get(Status.REFUSED, 0) > 0
    finished = Dossier.objects.filter(finished_at__isnull=False)
    assert finished.count() + by_status.get(Status.PROCESSING, 0) == 600
    assert DossierEvent.objects.filter(seq=2).count() == finished.count()
    assert not finished.filter(finished_at__gt=timezone.now()).exists()
    returned = Dossier.objects.filter(status=Status.RETURNED)
    assert not returned.filter(outcome="").exists()
    assert {o for (o,) in returned.values_list("outcome").distinct()} == {"early", "on_time", "late"}


def test_generated_dates_follow_the_working_calendar(demo_catalog):
    """Every generated dossier is received inside a working session of a working day, is due when the calendar
    says, and its outcome agrees with its dates: early = ready on a day before the due day, on time = by the due
    instant, late = after it (with a new appointment covering it); the result is ready before it is handed over."""
    call_command("generate_dossiers", count=800, batch=300, stdout=open("/dev/null", "w"))  # noqa: SIM115
    calendar = WorkingCalendar.for_province()
    now = timezone.now()
    checked = {"early": 0, "on_time": 0, "late": 0}
    for d in Dossier.objects.select_related("procedure_version"):
        assert d.received_at is not None and d.due_at is not None
        received = d.received_at.astimezone(calendar.tz)
        assert calendar.is_working_day(received.date()), d.code
        assert any(start <= received.time() < end for start, end in calendar.sessions), (d.code, received)
        version = d.procedure_version
        assert d.due_at == calendar.due_at(d.received_at, version.statutory_days, version.statutory_unit), d.code
        if d.status == Status.RETURNED:
            assert d.result_ready_at is not None and d.finished_at is not None
            assert d.received_at < d.result_ready_at <= d.finished_at <= now
            assert d.outcome == outcome_of(calendar, d.due_at, d.result_ready_at), d.code
            checked[d.outcome] += 1
            if d.outcome == "late":
                assert d.extended_due_at is not None and d.extended_due_at >= d.result_ready_at
        else:
            assert d.result_ready_at is None and d.outcome == ""
            if d.finished_at is not None:
                assert d.received_at < d.finished_at <= now
    assert all(checked.values()), checked  # every outcome occurs


def test_average_resolution_time_figures_agree_with_the_dates(demo_catalog):
    """The 2b sums the generator writes (PostgreSQL) or rebuilds (SQLite) are the working minutes between each
    returned dossier's clock start and its result, and the time the law allowed it."""
    call_command("generate_dossiers", count=300, stdout=open("/dev/null", "w"))  # noqa: SIM115
    figures = stored()
    assert figures == recompute()
    taken = sum(v for cell, v in figures.items() if cell[4] == Metric.RESOLUTION_MINUTES)
    allowed = sum(v for cell, v in figures.items() if cell[4] == Metric.ALLOWED_MINUTES)
    assert taken > 0 and allowed > 0
    expected = 0
    for d in Dossier.objects.filter(status=Status.RETURNED).select_related("procedure_version"):
        minutes = resolution_minutes(d)
        assert minutes is not None
        expected += minutes[0]
    assert taken == expected
