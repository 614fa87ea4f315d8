"""The "Kết nối liên thông" page: per system health and backlog figures, and the province administrator's retry
and skip of a failed national-portal sync (audited); nobody else may see it or act."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import PortalSync
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.integrations.client import breaker_for
from motcua.integrations.config import SystemConfig
from motcua.integrations.models import CallRecord, QueueItemAct

SYSTEMS = {"dvcqg": {"base_url": "https://dvcqg.invalid", "label": "Cổng DVCQG", "breaker_failures": 1}}


@pytest.fixture
def syncs(demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 12, 1, 9))
    rows = list(PortalSync.objects.filter(dossier=dossier).order_by("pk"))
    assert rows
    dead = rows[0]
    dead.state, dead.attempts = PortalSync.State.FAILED, 3
    dead.save()
    # Two pending items, the older one ten minutes old.
    for minutes in (10, 2):
        extra = PortalSync.objects.create(dossier=dossier, event=_other_event(dossier, minutes), payload={})
        PortalSync.objects.filter(pk=extra.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes))
    return dossier, dead


def _other_event(dossier, seq):
    from motcua.dossiers.models import DossierEvent

    return DossierEvent.objects.create(dossier=dossier, seq=1000 + seq, action="note", from_status=dossier.status,
                                       to_status=dossier.status, created_at=timezone.now())


def _calls(now):
    for minutes, status, error in ((50, 200, ""), (40, 503, "HTTP 503"), (30, None, "timeout: ReadTimeout"),
                                   (20, 200, "")):
        CallRecord.objects.create(system="dvcqg", operation="DongBoHoSoMC", status_code=status, error=error,
                                  created_at=now - dt.timedelta(minutes=minutes))
    CallRecord.objects.create(system="dvcqg", operation="DongBoHoSoMC", status_code=500, error="HTTP 500",
                              created_at=now - dt.timedelta(days=3))


@override_settings(MOTCUA_INTEGRATION_SYSTEMS=SYSTEMS)
def test_the_page_shows_health_and_backlog_in_vietnamese(client, province_admin, syncs):
    dossier, _dead = syncs
    now = timezone.now()
    _calls(now)
    breaker_for(SystemConfig(name="dvcqg", base_url="x", breaker_failures=1)).record_failure()
    client.force_login(province_admin)
    page = client.get(reverse("integrations:connections"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kết nối liên thông" in body and "Cổng DVCQG" in body
    assert "50% (2 / 4 lần gọi)" in body  # the last 24 hours only
    assert "timeout: ReadTimeout" in body  # the last error
    assert timezone.localtime(now - dt.timedelta(minutes=20)).strftime("%H:%M %d/%m/%Y") in body  # last success
    assert "2 mục đang chờ" in body and "1 mục lỗi" in body
    assert "Đang mở" in body  # breaker open
    assert dossier.code in body and "Gửi lại" in body and "Bỏ qua mục này" in body


def test_retry_puts_a_dead_item_back_to_pending_and_is_audited(client, province_admin, syncs):
    _dossier, dead = syncs
    client.force_login(province_admin)
    response = client.post(reverse("integrations:retry_item", args=["dvcqg", "portal_sync", dead.pk]))
    assert response.status_code == 302
    dead.refresh_from_db()
    assert (dead.state, dead.attempts) == (PortalSync.State.PENDING, 0)
    act = QueueItemAct.objects.get()
    assert (act.kind, act.item_id, act.actor) == ("retry", str(dead.pk), province_admin)
    # Not dead any more: a second retry finds nothing.
    again = client.post(reverse("integrations:retry_item", args=["dvcqg", "portal_sync", dead.pk]))
    assert again.status_code == 404


def test_skip_needs_a_reason_and_records_who_and_why(client, province_admin, syncs):
    _dossier, dead = syncs
    client.force_login(province_admin)
    url = reverse("integrations:skip_item", args=["dvcqg", "portal_sync", dead.pk])
    client.post(url, {"reason": "  "})
    dead.refresh_from_db()
    assert dead.state == PortalSync.State.FAILED and not QueueItemAct.objects.exists()
    client.post(url, {"reason": "Hồ sơ đã đồng bộ tay trên Cổng DVCQG"})
    dead.refresh_from_db()
    assert dead.state == PortalSync.State.SKIPPED and dead.skipped_by == province_admin
    assert dead.skip_reason == "Hồ sơ đã đồng bộ tay trên Cổng DVCQG" and dead.skipped_at is not None
    act = QueueItemAct.objects.get()
    assert (act.kind, act.reason, act.actor) == ("skip", dead.skip_reason, province_admin)


@pytest.mark.parametrize("who", ["clerk", "leader", "citizen", "agency_admin"])
def test_only_the_province_administrator_may_see_or_act(client, request, syncs, who):
    _dossier, dead = syncs
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("integrations:connections")).status_code == 403
    for name in ("retry_item", "skip_item"):
        response = client.post(reverse(f"integrations:{name}", args=["dvcqg", "portal_sync", dead.pk]),
                               {"reason": "x"})
        assert response.status_code == 403
    dead.refresh_from_db()
    assert dead.state == PortalSync.State.FAILED and not QueueItemAct.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("integrations:connections"))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


