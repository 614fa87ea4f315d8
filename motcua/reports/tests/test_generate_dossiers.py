"""The benchmark's dossier generator writes dossiers, events and figures that agree with each other: the rollups
it leaves equal the ones recomputed from its events, on SQLite (Python rows) and PostgreSQL (SQL rows)."""

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.reports.rollups import recompute, stored


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
