"""Transfer between agencies (the deadline counts again from the transfer) and merging a duplicate."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers.workflow import WorkflowError
from motcua.feedback import actions
from motcua.feedback.models import Classification, Status
from motcua.feedback.tests.factories import at, petition
from motcua.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def test_transfer_to_the_competent_agency(citizen, leader, specialist, commune_leader, demo_agencies):
    feedback = petition(citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 9))
    feedback = actions.assign_feedback(feedback, actor=leader, classification=Classification.PHAN_ANH,
                                       assignee=specialist, at=at(2026, 4, 23, 8))
    with pytest.raises(WorkflowError) as no_reason:
        actions.transfer_feedback(feedback, actor=leader, to_agency=demo_agencies["tran_bien"], note=" ")
    assert no_reason.value.code == "note_required"
    with pytest.raises(WorkflowError) as same:
        actions.transfer_feedback(feedback, actor=leader, to_agency=demo_agencies["land_office"], note="x")
    assert same.value.code == "bad_agency"

    feedback = actions.transfer_feedback(feedback, actor=leader, to_agency=demo_agencies["tran_bien"],
                                         note="Thuộc thẩm quyền UBND phường", at=at(2026, 4, 29, 9))
    assert feedback.status == Status.RECEIVED and feedback.agency == demo_agencies["tran_bien"]
    assert feedback.assignee is None and feedback.classification == ""
    # 10 working days from Wed 29/04 09:00 over 30/04, 01/05 and the weekend: 04–08/05, 11–15/05 → 15/05 09:00.
    assert feedback.due_at == at(2026, 5, 15, 9)
    event = feedback.events.get(action="transfer")
    assert event.from_agency == demo_agencies["land_office"] and event.to_agency == demo_agencies["tran_bien"]
    assert dt.datetime.fromisoformat(event.data["previous_due_at"]) == at(2026, 5, 11, 9)
    message = OutboundMessage.objects.get(feedback_event=event, channel="email")
    assert message.kind == "feedback_transferred" and demo_agencies["tran_bien"].name in message.subject
    assert "09:00 15/05/2026" in message.body

    with pytest.raises(WorkflowError) as gone:  # the land office no longer handles it
        actions.assign_feedback(feedback, actor=leader, classification=Classification.PHAN_ANH)
    assert gone.value.code == "forbidden"
    feedback = actions.assign_feedback(feedback, actor=commune_leader, classification=Classification.PHAN_ANH,
                                       at=at(2026, 4, 29, 10))
    assert feedback.status == Status.ASSIGNED


def test_merge_a_duplicate(citizen, other_citizen, leader, demo_agencies):
    first = petition(citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 9))
    second = petition(other_citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 10), name="Trần Thị Bình",
                      email="binh@example.vn", phone="0987654321")
    elsewhere = petition(citizen, demo_agencies["tran_bien"], when=at(2026, 4, 22, 11))
    for target, code in ((second.code, "bad_target"), (elsewhere.code, "bad_target"), ("PA-KHONG-CO", "bad_target")):
        with pytest.raises(WorkflowError) as refused:
            actions.merge_feedback(second, actor=leader, into_code=target)
        assert refused.value.code == code

    merged = actions.merge_feedback(second, actor=leader, into_code=first.code.lower(), at=at(2026, 4, 23, 8))
    assert merged.status == Status.MERGED and merged.merged_into == first and merged.closed_at == at(2026, 4, 23, 8)
    assert list(first.duplicates.all()) == [merged]
    message = OutboundMessage.objects.get(feedback_event__feedback=merged, kind="feedback_merged", channel="email")
    assert message.recipient == "binh@example.vn" and first.code in message.body
    with pytest.raises(WorkflowError):  # a merged petition is finished
        actions.assign_feedback(merged, actor=leader, classification=Classification.PHAN_ANH)
    with pytest.raises(WorkflowError) as into_merged:
        third = petition(citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 12), title="Lần ba")
        actions.merge_feedback(third, actor=leader, into_code=merged.code)
    assert into_merged.value.code == "bad_target"
