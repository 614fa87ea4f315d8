"""Nightly reconciliation with the national portal, against the simulator: a dossier the portal lost, a wrong status,
wrong dates, a lost progress step are queued again and delivered by the ordinary drain; a second run finds nothing;
a run twice queues once; portal down stops cleanly and the next run continues; the per-run limit resumes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.models import PortalSync
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.integrations import national_portal_sync as sync
from motcua.integrations.models import CallRecord, PortalReconciliation
from motcua.integrations.reconcile_portal import reconcile
from motcua.integrations.tests import test_national_portal_sync as sync_tests
from motcua.integrations.tests.test_national_portal_sync import expected_steps, steps_of, stored

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")  # committed evidence (PostgreSQL)

# The sync tests' fixtures: the simulator on a free port, the settings pointing at it, and the clean-up of the call
# records committed on their own connection.
simulator = sync_tests.simulator
portal_settings = sync_tests.portal_settings


def synced_dossier(catalog, agencies, clerk, day=30):
    """A land dossier received and forwarded (two public events), both delivered to the portal."""
    dossier = land_dossier(catalog, agencies, clerk, at(2026, 11, day))
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, day, 10))
    sync.drain()
    assert set(PortalSync.objects.filter(dossier=dossier).values_list("state", flat=True)) == {"sent"}
    return dossier


def reconcile_rows(dossier):
    return list(PortalSync.objects.filter(dossier=dossier, origin=PortalSync.Origin.RECONCILE)
                .order_by("event__seq").values_list("event__seq", "state"))


def figures(run):
    return {name: getattr(run, name) for name in ("state", "checked", "in_flight", "missing", "status_differs",
                                                    "dates_differ", "progress_missing", "requeued", "errors")}


def test_a_dossier_the_portal_lost_is_sent_again_whole_and_once(portal_settings, demo_catalog, demo_agencies,
                                                                 clerk):
    sim = portal_settings
    dossier = synced_dossier(demo_catalog, demo_agencies, clerk)
    in_order = synced_dossier(demo_catalog, demo_agencies, clerk, day=27)
    assert reconcile(days=1).differences == 0  # both held as sent
    sim.state.reset()  # the portal loses everything

    run = reconcile(days=1)
    assert figures(run) == {"state": "done", "checked": 2, "in_flight": 0, "missing": 2, "status_differs": 0,
                            "dates_differ": 0, "progress_missing": 0, "requeued": 2, "errors": 0}
    assert reconcile_rows(dossier) == [(1, "pending"), (2, "pending")]  # its whole history, in order
    assert {d["kind"] for d in run.details} == {"missing"}

    again = reconcile(days=1)  # before the drain: queued once, not twice
    assert (again.in_flight, again.requeued, again.checked) == (2, 0, 0)
    assert len(reconcile_rows(dossier)) == 2

    lookups = CallRecord.objects.filter(dossier_id=dossier.pk, operation="TraCuuHoSo")
    before = lookups.count()
    assert sync.drain().sent == 4
    assert lookups.count() == before + 2  # each row queued again asks first (isUpdating False for a lost one)
    for d in (dossier, in_order):
        assert steps_of(sim, d.code) == expected_steps(d)
        assert stored(sim, d.code)["dossier"]["TrangThaiHoSo"] == "4"
    assert reconcile_rows(dossier) == [(1, "sent"), (2, "sent")]

    after = reconcile()  # since the last completed run: the rows just delivered are in its window
    assert (after.state, after.checked, after.differences, after.requeued) == ("done", 2, 0, 0)


def test_a_wrong_status_or_date_queues_the_latest_event_again(portal_settings, demo_catalog, demo_agencies, clerk):
    sim = portal_settings
    dossier = synced_dossier(demo_catalog, demo_agencies, clerk)
    held = sim.state.dossiers[dossier.code].dossier
    right_due = held["NgayHenTra"]
    held["TrangThaiHoSo"] = "8"
    held["NgayHenTra"] = "20270101080000"
    versions = stored(sim, dossier.code)["versions"]

    run = reconcile(days=1)
    assert (run.checked, run.missing, run.status_differs, run.dates_differ, run.progress_missing,
            run.requeued) == (1, 0, 1, 1, 0, 1)
    assert {(d["kind"], d["field"], d["local"], d["portal"]) for d in run.details} == {
        ("status", "TrangThaiHoSo", "4", "8"), ("dates", "NgayHenTra", right_due, "20270101080000")}
    assert reconcile_rows(dossier) == [(2, "pending")]  # only the latest event: the steps are all there

    assert sync.drain().sent == 1
    item = stored(sim, dossier.code)
    assert (item["dossier"]["TrangThaiHoSo"], item["dossier"]["NgayHenTra"]) == ("4", right_due)
    assert item["versions"] == versions + 1
    assert steps_of(sim, dossier.code) == expected_steps(dossier)  # the identical step is not stored twice
    assert reconcile().differences == 0


def test_the_province_status_table_decides_what_counts_as_different(portal_settings, demo_catalog, demo_agencies,
                                                                    clerk):
    from motcua.integrations.models import PortalStatusMapping

    dossier = synced_dossier(demo_catalog, demo_agencies, clerk)
    PortalStatusMapping.objects.filter(local_status="processing").update(portal_code="9")
    run = reconcile(days=1)
    assert (run.status_differs, run.requeued) == (1, 1)
    assert sync.drain().sent == 1
    assert stored(portal_settings, dossier.code)["dossier"]["TrangThaiHoSo"] == "9"


def test_a_lost_progress_step_is_sent_again_then_the_latest_state(portal_settings, demo_catalog, demo_agencies,
                                                                 clerk, specialist):
    sim = portal_settings
    dossier = synced_dossier(demo_catalog, demo_agencies, clerk)
    dossier = actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 1, 15))
    sync.drain()
    del sim.state.dossiers[dossier.code].progress[0]  # the portal lost the first step

    run = reconcile(days=1)
    assert (run.progress_missing, run.status_differs, run.missing, run.requeued) == (1, 0, 0, 1)
    assert reconcile_rows(dossier) == [(1, "pending"), (3, "pending")]  # the lost step, then the latest state
    assert sync.drain().sent == 2
    assert sorted(steps_of(sim, dossier.code)) == sorted(expected_steps(dossier))
    assert stored(sim, dossier.code)["dossier"]["TrangThaiHoSo"] == "4"
    assert reconcile().differences == 0


def test_a_dossier_still_queued_is_left_to_the_queue(portal_settings, demo_catalog, demo_agencies, clerk):
    sim = portal_settings
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))  # pending, never sent
    calls = sim.state.snapshot()
    run = reconcile(days=1)
    assert (run.in_flight, run.checked, run.requeued) == (1, 0, 0)
    assert sim.state.snapshot() == calls and reconcile_rows(dossier) == []


def test_portal_down_stops_cleanly_and_the_next_run_continues(portal_settings, demo_catalog, demo_agencies, clerk,
                                                              province_admin, client):
    sim = portal_settings
    first = synced_dossier(demo_catalog, demo_agencies, clerk, day=27)
    second = synced_dossier(demo_catalog, demo_agencies, clerk)
    sim.state.reset()
    sim.state.faults.down = True
    sync.forget_sessions()
    client.force_login(province_admin)

    run = reconcile(days=1)
    assert (run.state, run.checked, run.requeued, run.cursor) == ("interrupted", 0, 0, 0)
    assert "transport" in run.message and run.finished_at is not None
    assert not PortalSync.objects.filter(origin=PortalSync.Origin.RECONCILE).exists()
    with pytest.raises(CommandError):
        call_command("reconcile_national_portal", stdout=StringIO())
    page = client.get(reverse("integrations:connections")).content.decode()
    assert "Bị gián đoạn: Cổng DVCQG không phản hồi" in page

    sim.state.faults.down = False
    resumed = reconcile(limit=1)  # the same window, from where it stopped; one dossier per run
    assert (resumed.state, resumed.window_start, resumed.checked, resumed.missing) == (
        "partial", run.window_start, 1, 1)
    assert resumed.cursor == min(first.pk, second.pk)
    last = reconcile(limit=1)
    assert (last.state, last.checked, last.cursor) == ("done", 1, max(first.pk, second.pk))
    assert sync.drain().sent == 4
    assert all(steps_of(sim, d.code) == expected_steps(d) for d in (first, second))


def test_one_unfinished_row_per_event(portal_settings, demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    row = PortalSync.objects.get(dossier=dossier)
    with pytest.raises(IntegrityError), transaction.atomic():
        PortalSync.objects.create(dossier=dossier, event=row.event, origin=PortalSync.Origin.RECONCILE)
    sync.drain()
    PortalSync.objects.create(dossier=dossier, event=row.event, origin=PortalSync.Origin.RECONCILE)  # once sent


def test_the_command_and_the_page(portal_settings, demo_catalog, demo_agencies, clerk, province_admin, client):
    dossier = synced_dossier(demo_catalog, demo_agencies, clerk)
    portal_settings.state.reset()
    out = StringIO()
    call_command("reconcile_national_portal", "--days", "1", stdout=out)
    assert "done: checked 1, in flight 0, missing 1," in out.getvalue()
    with pytest.raises(CommandError):
        call_command("reconcile_national_portal", "--limit", "0", stdout=out)
    client.force_login(province_admin)
    page = client.get(reverse("integrations:connections")).content.decode()
    assert "Đối soát với Cổng DVCQG" in page and "Hồ sơ đã đồng bộ trong tháng" in page
    assert "Cổng chưa có hồ sơ" in page  # the kind of difference, in Vietnamese
    assert dossier.code in page  # the difference listed
    with override_settings(MOTCUA_NATIONAL_PORTAL_USERNAME=""):
        call_command("reconcile_national_portal", stdout=out)
    assert "not configured" in out.getvalue()
    assert PortalReconciliation.objects.count() == 1


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=IMMEDIATE_TASKS, MOTCUA_NATIONAL_PORTAL_RECONCILE_LIMIT=1)
def test_the_job_chains_bounded_runs_until_the_window_is_done(portal_settings, demo_catalog, demo_agencies, clerk):
    from motcua.integrations.tasks import reconcile_national_portal

    synced_dossier(demo_catalog, demo_agencies, clerk, day=27)
    synced_dossier(demo_catalog, demo_agencies, clerk)
    portal_settings.state.reset()
    reconcile_national_portal.enqueue()
    runs = list(PortalReconciliation.objects.order_by("pk").values_list("state", "checked", "missing"))
    assert runs == [("partial", 1, 1), ("done", 1, 1)]
