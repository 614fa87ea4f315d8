"""Outbound sync of dossier status changes to the national portal, against the simulator on a free port: order per
dossier, exactly-once marking, retries and backoff, dead items, session expiry, a portal dossier's own MaHoSo."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from motcua.adapters import national_portal as portal
from motcua.dossiers import actions
from motcua.dossiers.models import Channel, PortalSync
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.integrations import national_portal_sync as sync
from motcua.integrations.models import CallRecord
from motcua.integrations.portal_queue import PortalSyncQueue
from simulators.national_portal import PortalSimulator, SimulatorConfig

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")


@pytest.fixture
def simulator():
    sim = PortalSimulator(SimulatorConfig(seed=1)).start()
    yield sim
    sim.stop()


@pytest.fixture
def portal_settings(simulator):
    cfg = simulator.config
    systems = {"dvcqg": {"base_url": simulator.url, "connect_timeout": 0.5, "read_timeout": 0.5,
                         "max_attempts": 2, "backoff_base": 0, "backoff_max": 0, "breaker_failures": 1000,
                         "headers": {"dstcode": cfg.dstcode}}}
    with override_settings(MOTCUA_INTEGRATION_SYSTEMS=systems, MOTCUA_NATIONAL_PORTAL_MADONVI=cfg.agency_code,
                           MOTCUA_NATIONAL_PORTAL_USERNAME=cfg.username, MOTCUA_NATIONAL_PORTAL_PASSWORD=cfg.password,
                           MOTCUA_NATIONAL_PORTAL_SYNC_MAX_ATTEMPTS=3, MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_SECONDS=60):
        sync.forget_sessions()
        yield simulator
        sync.forget_sessions()


def stored(simulator, code):
    return simulator.state.snapshot()["dossiers"].get(code)


def steps_of(simulator, code):
    return [(p["step"]["TrangThai"], p["step"]["ThoiDiemXuLy"]) for p in stored(simulator, code)["progress"]]


def expected_steps(dossier):
    return [(portal.map_status(e.to_status), portal.format_portal_datetime(e.created_at))
            for e in dossier.events.order_by("seq") if e.is_public]


def states(dossier):
    return list(PortalSync.objects.filter(dossier=dossier).order_by("event__seq").values_list("state", flat=True))


def test_not_configured_leaves_rows_pending(demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    assert sync.drain() == sync.DrainReport()
    assert states(dossier) == ["pending"]


def test_land_transfer_reaches_the_portal_step_by_step_in_order(
        portal_settings, demo_catalog, demo_agencies, clerk, specialist, leader, tax_specialist,
        treasury_specialist):
    sim = portal_settings
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    last_call = CallRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert sync.drain().sent == 1
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    dossier = actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 1, 15))
    dossier = actions.pause_for_fees(dossier, actor=tax_specialist, note="Thông báo nộp thuế",
                                     amount=25_000_000, at=at(2026, 12, 2, 9))
    dossier = actions.record_payment(dossier, actor=None, reference="KB-1", at=at(2026, 12, 7, 9))
    for actor, when in ((tax_specialist, at(2026, 12, 7, 10)), (treasury_specialist, at(2026, 12, 7, 11)),
                        (specialist, at(2026, 12, 8, 14))):
        dossier = actions.forward_dossier(dossier, actor=actor, at=when)
    dossier = actions.approve_dossier(dossier, actor=leader, at=at(2026, 12, 9, 10))
    dossier = actions.return_result(dossier, actor=clerk, at=at(2026, 12, 10, 8))

    report = sync.drain()
    expected = expected_steps(dossier)
    assert report.sent == len(expected) - 1
    assert set(states(dossier)) == {"sent"}
    item = stored(sim, dossier.code)
    assert steps_of(sim, dossier.code) == expected
    assert not any(p["out_of_order"] for p in item["progress"])
    assert item["versions"] == len(expected)  # one DongBoHoSoMC per event
    assert item["dossier"]["TrangThaiHoSo"] == "10"
    assert item["dossier"]["NgayTra"] == "20261210080000"
    assert sync.drain() == sync.DrainReport()  # nothing sent twice
    operations = list(CallRecord.objects.filter(dossier_id=dossier.pk, pk__gt=last_call).order_by("pk")
                      .values_list("operation", flat=True))
    assert operations == ["TraCuuHoSo"] + ["DongBoHoSoMC", "CapNhatTienDoHoSoMC"] * len(expected)


def test_portal_down_then_up_loses_nothing_and_keeps_order(portal_settings, demo_catalog, demo_agencies, clerk):
    sim = portal_settings
    sim.state.faults.down = True
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    now = timezone.now()
    assert sync.drain(now=now).retrying == 1
    row = PortalSync.objects.get(dossier=dossier)
    assert (row.state, row.attempts, row.next_attempt_at) == ("pending", 1, now + dt.timedelta(seconds=60))
    assert "transport" in row.last_error
    sim.state.faults.down = False
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    # The second event is due but waits behind the first one's backoff.
    assert sync.drain(now=now) == sync.DrainReport()
    assert stored(sim, dossier.code) is None
    assert sync.drain(now=now + dt.timedelta(seconds=61)).sent == 2
    assert steps_of(sim, dossier.code) == expected_steps(dossier)
    assert states(dossier) == ["sent", "sent"]


def test_5xx_retried_by_the_client_then_timeouts_backed_off_then_delivered(
        portal_settings, demo_catalog, demo_agencies, clerk):
    sim = portal_settings
    sim.state.faults.fail_next = 1  # one 503: the client's second attempt goes through
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    failed_before = CallRecord.objects.filter(system="dvcqg", status_code=503).count()
    assert sync.drain().sent == 1
    assert CallRecord.objects.filter(system="dvcqg", status_code=503).count() == failed_before + 1
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    sim.state.faults.timeout = True
    now = timezone.now()
    assert sync.drain(now=now).retrying == 1
    assert "timeout" in PortalSync.objects.get(event__seq=2, dossier=dossier).last_error
    sim.state.faults.timeout = False
    assert sync.drain(now=now + dt.timedelta(seconds=61)).sent == 1
    assert steps_of(sim, dossier.code) == expected_steps(dossier)


def test_duplicate_ack_is_marked_sent_once(portal_settings, demo_catalog, demo_agencies, clerk):
    sim = portal_settings
    sim.state.faults.duplicate_next = 2  # both DongBoHoSoMC and CapNhatTienDoHoSoMC answer "already received"
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    assert sync.drain().sent == 1
    row = PortalSync.objects.get(dossier=dossier)
    assert (row.state, row.attempts) == ("sent", 1) and row.sent_at is not None
    assert sync.drain() == sync.DrainReport()
    item = stored(sim, dossier.code)
    assert item["versions"] == 1 and len(item["progress"]) == 1


def test_session_expiry_logs_in_again_and_delivers(portal_settings, demo_catalog, demo_agencies, clerk,
                                                    specialist):
    sim = portal_settings
    logins = CallRecord.objects.filter(operation="DangNhap")
    before = logins.count()
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    assert sync.drain().sent == 1
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    assert sync.drain().sent == 1
    assert logins.count() == before + 1  # the session is cached
    sim.state.expire_sessions()
    dossier = actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 1, 15))
    assert sync.drain().sent == 1
    assert logins.count() == before + 2
    assert states(dossier) == ["sent", "sent", "sent"]
    assert len(stored(sim, dossier.code)["progress"]) == 3


def test_a_row_that_keeps_failing_becomes_dead_and_blocks_its_dossier(
        portal_settings, demo_catalog, demo_agencies, clerk, province_admin, client):
    sim = portal_settings
    sim.state.faults.fail_ratio = 1.0
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    now = timezone.now()
    for minutes in (0, 2, 4):  # backoff 60 s, then 120 s
        sync.drain(now=now + dt.timedelta(minutes=minutes))
    row = PortalSync.objects.get(dossier=dossier)
    assert (row.state, row.attempts) == ("failed", 3)
    assert "HTTP 503" in row.last_error
    actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    sim.state.faults.fail_ratio = 0.0
    assert sync.drain(now=now + dt.timedelta(hours=1)) == sync.DrainReport()  # held behind the dead row
    assert stored(sim, dossier.code) is None
    assert [item.id for item in PortalSyncQueue().dead_items()] == [str(row.pk)]
    client.force_login(province_admin)
    page = client.get(reverse("integrations:connections"))
    assert page.status_code == 200 and dossier.code in page.content.decode()
    PortalSyncQueue().retry(str(row.pk))  # the administrator's "send again"
    assert sync.drain(now=now + dt.timedelta(hours=1)).sent == 2
    assert steps_of(sim, dossier.code) == expected_steps(dossier.__class__.objects.get(pk=dossier.pk))


def test_worker_killed_mid_send_resends_exactly_one_copy(portal_settings, demo_catalog, demo_agencies, clerk,
                                                          monkeypatch):
    sim = portal_settings
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    real_push = sync.push

    def push_then_die(connection, row, *, first):
        real_push(connection, row, first=first)
        raise KeyboardInterrupt("worker killed after the portal stored the event")

    monkeypatch.setattr(sync, "push", push_then_die)
    with pytest.raises(KeyboardInterrupt):
        sync.drain()
    assert states(dossier) == ["pending"]
    assert len(stored(sim, dossier.code)["progress"]) == 1
    monkeypatch.setattr(sync, "push", real_push)
    assert sync.drain().sent == 1
    assert states(dossier) == ["sent"]
    assert list(sim.state.snapshot()["dossiers"]) == [dossier.code]
    assert steps_of(sim, dossier.code) == expected_steps(dossier)  # the resent step is not stored twice


def test_portal_dossier_keeps_its_mahoso(portal_settings, demo_catalog, demo_agencies, clerk):
    sim = portal_settings
    dossier = land_dossier(demo_catalog, demo_agencies, None, at(2026, 11, 30), channel=Channel.NATIONAL_PORTAL,
                           external_id="G22.99-261130-000042")
    assert dossier.code != "G22.99-261130-000042"
    assert sync.drain().sent == 1
    assert stored(sim, dossier.code) is None
    item = stored(sim, "G22.99-261130-000042")
    assert item["dossier"]["SoBienNhan"] == dossier.code
    assert [p["step"]["MaHoSo"] for p in item["progress"]] == ["G22.99-261130-000042"]


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_a_committed_step_queues_the_job_that_sends_it(portal_settings, demo_catalog, demo_agencies, clerk,
                                                        django_capture_on_commit_callbacks):
    sim = portal_settings
    with django_capture_on_commit_callbacks(execute=True):
        dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    assert states(dossier) == ["sent"]
    assert steps_of(sim, dossier.code) == expected_steps(dossier)


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_retrying_a_dead_row_queues_the_job(portal_settings, demo_catalog, demo_agencies, clerk,
                                            django_capture_on_commit_callbacks):
    sim = portal_settings
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    PortalSync.objects.filter(dossier=dossier).update(state=PortalSync.State.FAILED, attempts=3)
    row = PortalSync.objects.get(dossier=dossier)
    with django_capture_on_commit_callbacks(execute=True):
        PortalSyncQueue().retry(str(row.pk))
    assert states(dossier) == ["sent"]
    assert stored(sim, dossier.code) is not None


def test_the_province_status_table_decides_the_portal_status(portal_settings, demo_catalog, demo_agencies, clerk):
    from motcua.integrations.models import PortalStatusMapping

    sim = portal_settings
    assert dict(PortalStatusMapping.objects.values_list("local_status", "portal_code")) == dict(
        portal.DEFAULT_STATUS_MAPPING)  # seeded by the migration
    PortalStatusMapping.objects.filter(local_status="received").update(portal_code="4")
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    assert sync.drain().sent == 1
    item = stored(sim, dossier.code)
    assert item["dossier"]["TrangThaiHoSo"] == "4"
    assert [p["step"]["TrangThai"] for p in item["progress"]] == ["4"]


def test_the_sync_command_drains_every_due_row(portal_settings, demo_catalog, demo_agencies, clerk):
    from io import StringIO

    from django.core.management import call_command

    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    out = StringIO()
    call_command("sync_national_portal", stdout=out)
    assert "sent 1," in out.getvalue()
    assert states(dossier) == ["sent"]
    with override_settings(MOTCUA_NATIONAL_PORTAL_USERNAME=""):
        call_command("sync_national_portal", stdout=out)
    assert "not configured" in out.getvalue()


def test_an_outage_stops_the_pass_instead_of_failing_every_dossier(portal_settings, demo_catalog, demo_agencies,
                                                                   clerk, settings):
    sim = portal_settings
    sim.state.faults.down = True
    dossiers = [land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9, n)) for n in range(3)]
    rows = PortalSync.objects.filter(dossier__in=dossiers).order_by("dossier_id")
    now = timezone.now()
    report = sync.drain(now=now)
    assert (report.retrying, report.portal_unavailable) == (1, True)
    assert [(r.attempts, r.next_attempt_at is None) for r in rows.all()] == [(1, False), (0, True), (0, True)]
    # With the breaker open, a pass touches nothing at all until the breaker lets a trial call through.
    systems = {"dvcqg": {**settings.MOTCUA_INTEGRATION_SYSTEMS["dvcqg"], "breaker_failures": 1}}
    with override_settings(MOTCUA_INTEGRATION_SYSTEMS=systems):
        later = now + dt.timedelta(seconds=61)
        assert sync.drain(now=later).portal_unavailable  # the first dossier's row again: the breaker opens
        assert sync.drain(now=later) == sync.DrainReport(portal_unavailable=True)
        assert [r.attempts for r in rows.all()] == [2, 0, 0]
    sim.state.faults.down = False
    from motcua.integrations.client import reset_breakers

    reset_breakers()
    assert sync.drain(now=now + dt.timedelta(minutes=5)).sent == 3
    assert all(steps_of(sim, d.code) == expected_steps(d) for d in dossiers)
