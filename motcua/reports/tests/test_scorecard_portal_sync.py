"""Indicator 1d (dossiers synced to the national portal / dossiers received): which dossiers count, at the period's
boundaries, for the agencies asked, as seeded by migration reports 0011 and shown on the scorecard page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.models import Channel, PortalSync
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.reports.scorecard import compute, current_scorecard
from motcua.reports.selectors import portal_sync_counts

NOV, DEC = dt.date(2026, 11, 1), dt.date(2026, 12, 1)


def mark(dossier, state, seq=None):
    rows = PortalSync.objects.filter(dossier=dossier)
    if seq is not None:
        rows = rows.filter(event__seq=seq)
    rows.update(state=state)


@pytest.fixture
def cast(demo_catalog, demo_agencies, clerk):
    """Dossiers of the land office in November and December, in every sync state."""
    def received(when, **kw):
        return land_dossier(demo_catalog, demo_agencies, clerk, when, **kw)

    d = {}
    d["sent"] = received(at(2026, 11, 2))
    mark(d["sent"], "sent")
    d["later_event_pending"] = actions.forward_dossier(received(at(2026, 11, 3)), actor=clerk,
                                                       at=at(2026, 11, 3, 10))
    mark(d["later_event_pending"], "sent", seq=1)  # its second event is still waiting
    d["failed"] = received(at(2026, 11, 4))
    mark(d["failed"], "failed")
    d["skipped"] = received(at(2026, 11, 5))
    mark(d["skipped"], "skipped")
    d["last_minute"] = received(at(2026, 11, 30, 23, 59))
    mark(d["last_minute"], "sent")
    d["december"] = received(at(2026, 12, 1, 0, 0))
    mark(d["december"], "sent")
    # Received and sent in November; a December event still pending does not count against November.
    d["next_month_pending"] = received(at(2026, 11, 6))
    mark(d["next_month_pending"], "sent")
    actions.forward_dossier(d["next_month_pending"], actor=clerk, at=at(2026, 12, 2, 10))
    # Sent, then found different by the reconciliation: queued again, so not synced until delivered.
    d["requeued"] = received(at(2026, 11, 9))
    mark(d["requeued"], "sent")
    first = PortalSync.objects.get(dossier=d["requeued"])
    PortalSync.objects.create(dossier=d["requeued"], event=first.event, origin=PortalSync.Origin.RECONCILE)
    # Submitted online in November, never received: not in the denominator.
    d["not_received"] = received(at(2026, 11, 10), channel=Channel.ONLINE, assurance_level=2)
    mark(d["not_received"], "sent")
    return d


def test_the_formula_counts_only_fully_sent_dossiers_received_in_the_period(cast, demo_agencies):
    land = [demo_agencies["land_office"]]
    # Received in November: 7 (not the one never received, nor December's); fully sent: sent, last_minute and
    # next_month_pending (its December event is after the period).
    assert portal_sync_counts(NOV, NOV, land) == (3, 7)
    assert portal_sync_counts(DEC, DEC, land) == (1, 1)  # december
    # Over both months, December's pending event now counts against its dossier.
    assert portal_sync_counts(NOV, DEC, land) == (3, 8)
    mark(cast["failed"], "sent")
    PortalSync.objects.filter(dossier=cast["requeued"], origin=PortalSync.Origin.RECONCILE).update(state="sent")
    assert portal_sync_counts(NOV, NOV, land) == (5, 7)


def test_next_month_pending_counts_for_november(cast, demo_agencies):
    land = [demo_agencies["land_office"]]
    synced, _ = portal_sync_counts(NOV, NOV, land)
    PortalSync.objects.filter(dossier=cast["next_month_pending"], event__seq=2).update(state="sent")
    assert portal_sync_counts(NOV, NOV, land) == (synced, 7)
    PortalSync.objects.filter(dossier=cast["next_month_pending"], event__seq=1).update(state="pending")
    assert portal_sync_counts(NOV, NOV, land) == (synced - 1, 7)


def test_the_agency_filter(cast, demo_agencies):
    others = [a for key, a in demo_agencies.items() if key != "land_office"]
    assert portal_sync_counts(NOV, NOV, others) == (0, 0)
    cast["sent"].__class__.objects.filter(pk=cast["sent"].pk).update(competent_agency=others[0])
    assert portal_sync_counts(NOV, NOV, others) == (1, 1)
    assert portal_sync_counts(NOV, NOV, [demo_agencies["land_office"]]) == (2, 6)
    assert portal_sync_counts(NOV, NOV, None) == (3, 7)


def test_scored_on_the_seeded_card_and_shown(cast, demo_agencies, province_admin, client):
    card = current_scorecard(NOV)
    assert card is not None
    indicator = next(i for i in card.indicators if i["code"] == "1d")
    assert indicator["formula"] == {"portal_sync": "received"}
    assert "Cổng DVCQG đã nhận đủ" in indicator["definition"]
    lines = {line.code: line for line in compute(card, NOV, NOV, list(demo_agencies.values()))}
    assert lines["1d"].rate == Decimal("42.9")  # 3 of 7
    assert lines["1d"].points == Decimal("2.57")  # 6 points × 42.9 %
    client.force_login(province_admin)
    page = client.get(reverse("reports:scorecard"), {"tu": "2026-11", "den": "2026-11"}).content.decode()
    assert "3 trên 7 hồ sơ đã đồng bộ" in page
    assert "Cổng DVCQG đã nhận đủ mọi thay đổi" in page
