"""End to end: a land-use-right transfer received at the provincial centre, reviewed by the land office, handed
to the tax authority, paid (treasury), back to the land office, approved and returned."""

import datetime as dt

import pytest

from motcua.dossiers import actions
from motcua.dossiers.models import Notice, Outcome, PortalSync, Status
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.dossiers.workflow import WorkflowError


def test_land_transfer_walks_through_every_agency(demo_catalog, demo_agencies, clerk, specialist, leader,
                                                 tax_specialist, treasury_specialist, other_clerk):
    a = demo_agencies
    # Monday 30/11/2026 09:00 at the counter of the provincial service centre.
    dossier = land_dossier(demo_catalog, a, clerk, at(2026, 11, 30))
    assert dossier.code == "000.00.01.H19-261130-0001"
    assert dossier.status == Status.RECEIVED and dossier.current_agency == a["service_center"]
    # 8 working days: 01, 02, 03, 04, 07, 08, 09, 10/12 → Thursday 10/12/2026 at 09:00.
    assert dossier.due_at == at(2026, 12, 10)
    assert dossier.notices.filter(kind=Notice.Kind.RECEIPT).count() == 1

    dossier = actions.forward_dossier(dossier, actor=clerk, expected_version=dossier.version, at=at(2026, 11, 30, 10))
    assert (dossier.status, dossier.current_agency, dossier.current_role) == (
        Status.PROCESSING, a["land_office"], "specialist")

    with pytest.raises(WorkflowError) as denied:
        actions.forward_dossier(dossier, actor=other_clerk)
    assert denied.value.code == "forbidden"

    dossier = actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 1, 15))
    assert (dossier.status, dossier.current_agency) == (Status.IN_OTHER_AGENCY, a["tax"])

    dossier = actions.pause_for_fees(dossier, actor=tax_specialist, note="Thông báo nộp thuế TNCN, LPTB",
                                     amount=25_000_000, at=at(2026, 12, 2, 9))
    assert dossier.status == Status.PAUSED_FOR_FEES
    with pytest.raises(WorkflowError):
        actions.forward_dossier(dossier, actor=tax_specialist)

    # Paid three working days later: the clock resumes with the time that was left.
    dossier = actions.record_payment(dossier, actor=None, reference="KB-2026-778899", at=at(2026, 12, 7, 9))
    assert dossier.status == Status.IN_OTHER_AGENCY and dossier.current_agency == a["tax"]
    assert dossier.due_at == at(2026, 12, 15)  # 10/12 + the 3 working days paused (02, 03, 04/12)

    dossier = actions.forward_dossier(dossier, actor=tax_specialist, at=at(2026, 12, 7, 10))
    assert dossier.current_agency == a["treasury"]
    dossier = actions.forward_dossier(dossier, actor=treasury_specialist, at=at(2026, 12, 7, 11))
    assert (dossier.status, dossier.current_agency, dossier.current_role) == (
        Status.PROCESSING, a["land_office"], "specialist")

    dossier = actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 8, 14))
    assert dossier.current_role == "leader"
    dossier = actions.approve_dossier(dossier, actor=leader, at=at(2026, 12, 9, 10))
    assert (dossier.status, dossier.current_agency) == (Status.RESULT_READY, a["service_center"])
    assert dossier.result_ready_at == at(2026, 12, 9, 10)

    dossier = actions.return_result(dossier, actor=clerk, at=at(2026, 12, 10, 8))
    assert dossier.status == Status.RETURNED
    assert dossier.outcome == Outcome.EARLY

    events = list(dossier.events.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.action for e in events] == [
        "receive", "forward", "forward", "pause_for_fees", "record_payment", "forward", "forward", "forward",
        "approve", "return_result",
    ]
    assert events[2].to_agency == a["tax"] and events[2].actor_agency == a["land_office"]
    assert PortalSync.objects.filter(dossier=dossier).count() == len(events)


def test_step_due_dates_follow_the_definition(demo_catalog, demo_agencies, clerk, specialist):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9))
    # The receipt step has half a day (4 working hours): 09:00–11:30, then 13:00–14:30.
    assert dossier.step_due_at == at(2026, 11, 30, 14, 30)
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    # The land office's review has 2 working days from 10:00 Monday.
    assert dossier.step_due_at == at(2026, 12, 2, 10)


def test_named_assignment_limits_who_acts(demo_catalog, demo_agencies, clerk, specialist, citizen):
    from motcua.directory.actions import assign_role
    from motcua.directory.models import Role

    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    with pytest.raises(WorkflowError) as wrong:
        actions.forward_dossier(dossier, actor=clerk, assignee=clerk)
    assert wrong.value.code == "bad_assignee"
    dossier = actions.forward_dossier(dossier, actor=clerk, assignee=specialist)
    assert dossier.assignee == specialist
    # Another specialist of the same office cannot take it while it is assigned.
    from django.contrib.auth import get_user_model

    colleague = get_user_model().objects.create(username="chuyenvien2")
    province_admin = get_user_model().objects.get(username="quantri.tinh")
    assign_role(actor=province_admin, user=colleague, agency=demo_agencies["land_office"], role=Role.SPECIALIST)
    with pytest.raises(WorkflowError):
        actions.forward_dossier(dossier, actor=colleague)
    actions.forward_dossier(dossier, actor=specialist)


def test_stale_version_is_refused(demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    seen = dossier.version
    actions.forward_dossier(dossier, actor=clerk, expected_version=seen)
    with pytest.raises(WorkflowError) as stale:
        actions.forward_dossier(dossier, actor=clerk, expected_version=seen)
    assert stale.value.code == "stale"


def test_late_result_needs_an_apology_letter(demo_catalog, demo_agencies, clerk, specialist, leader,
                                             tax_specialist, treasury_specialist):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    for actor in (clerk, specialist, tax_specialist, treasury_specialist, specialist):
        dossier = actions.forward_dossier(dossier, actor=actor, at=at(2026, 12, 1))
    dossier = actions.approve_dossier(dossier, actor=leader, at=at(2026, 12, 14, 9))  # due 10/12: late
    with pytest.raises(WorkflowError) as late:
        actions.return_result(dossier, actor=clerk, at=at(2026, 12, 14, 10))
    assert late.value.code == "apology_required"
    with pytest.raises(WorkflowError):
        actions.extend_dossier(dossier, actor=leader, reason="Quá tải", new_due_at=at(2026, 12, 9))
    dossier = actions.extend_dossier(dossier, actor=leader, reason="Phải xác minh thêm ranh giới thửa đất",
                                     new_due_at=at(2026, 12, 16, 17), at=at(2026, 12, 14, 9, 30))
    assert dossier.notices.filter(kind=Notice.Kind.APOLOGY).count() == 1
    dossier = actions.return_result(dossier, actor=clerk, at=at(2026, 12, 14, 10))
    assert dossier.outcome == Outcome.LATE
    assert dossier.effective_due_at == at(2026, 12, 16, 17)


def test_on_time_is_the_due_day(demo_catalog, demo_agencies, clerk, specialist, leader, tax_specialist,
                                treasury_specialist):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    for actor in (clerk, specialist, tax_specialist, treasury_specialist, specialist):
        dossier = actions.forward_dossier(dossier, actor=actor, at=at(2026, 12, 1))
    dossier = actions.approve_dossier(dossier, actor=leader, at=at(2026, 12, 10, 8, 30))
    dossier = actions.return_result(dossier, actor=clerk, at=at(2026, 12, 10, 9) + dt.timedelta(hours=2))
    assert dossier.outcome == Outcome.ON_TIME
