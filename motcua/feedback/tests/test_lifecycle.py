"""A petition from receipt to publication and rating, with its deadline across the Hùng Kings' and 30/4–1/5
holidays of 2026; one event per accepted action, none for a refused one; the citizen's messages in the outbox."""

from __future__ import annotations

import pytest

from motcua.dossiers.workflow import WorkflowError
from motcua.feedback import actions
from motcua.feedback.models import Classification, Feedback, Status
from motcua.feedback.tests.factories import at, petition
from motcua.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def test_deadline_counts_ten_working_days_over_the_holidays(citizen, demo_agencies):
    # Wed 22/04/2026 09:00 + 10 working days, skipping Sat 25, Sun 26 (Giỗ Tổ), Mon 27 (its day in lieu),
    # Thu 30/04, Fri 01/05 and the weekend 2–3/05: 23, 24, 28, 29/04, 04, 05, 06, 07, 08, 11/05.
    feedback = petition(citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 9))
    assert feedback.due_at == at(2026, 5, 11, 9)
    assert feedback.code == "PA-000.01.16.H19-260422-0001" and len(feedback.lookup_secret) == 10
    # After the 15:00 cut-off the clock starts the next working day: due at the close of Monday 11/05.
    late_in_day = petition(citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 16), title="Khác")
    assert late_in_day.due_at == at(2026, 5, 11, 17)
    assert late_in_day.code == "PA-000.01.16.H19-260422-0002"


def test_lifecycle_to_publication_and_rating(citizen, specialist, leader, demo_agencies):
    feedback = petition(citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 9))
    received = OutboundMessage.objects.filter(feedback_event__feedback=feedback)
    assert sorted(received.values_list("kind", "channel", "recipient")) == [
        ("feedback_received", "email", "an@example.vn"), ("feedback_received", "sms", "84912345678")]
    email = received.get(channel="email")
    assert feedback.code in email.subject and "09:00 11/05/2026" in email.body and feedback.lookup_secret in email.body

    feedback = actions.assign_feedback(feedback, actor=leader, classification=Classification.PHAN_ANH,
                                       assignee=specialist, at=at(2026, 4, 23, 8))
    assert feedback.status == Status.ASSIGNED and feedback.assignee == specialist
    feedback = actions.start_feedback(feedback, actor=specialist, at=at(2026, 4, 23, 9))
    feedback = actions.draft_reply(feedback, actor=specialist, reply="Hồ sơ đã được trả ngày 05/05/2026.",
                                   at=at(2026, 5, 5, 9))
    with pytest.raises(WorkflowError) as refused:  # only a leader approves the reply
        actions.approve_reply(feedback, actor=specialist, at=at(2026, 5, 5, 10))
    assert refused.value.code == "forbidden"
    with pytest.raises(WorkflowError) as early:  # not answered before a leader approved
        actions.answer_feedback(feedback, actor=specialist, at=at(2026, 5, 5, 10))
    assert early.value.code == "illegal"
    feedback = actions.approve_reply(feedback, actor=leader, at=at(2026, 5, 6, 9))
    assert feedback.reply_approved_by == leader
    feedback = actions.answer_feedback(feedback, actor=specialist, at=at(2026, 5, 8, 10))
    assert feedback.status == Status.ANSWERED and feedback.on_time is True
    assert feedback.answered_at == at(2026, 5, 8, 10)
    answered = OutboundMessage.objects.filter(feedback_event__feedback=feedback, kind="feedback_answered")
    assert answered.count() == 2

    feedback = actions.publish_feedback(feedback, actor=leader, at=at(2026, 5, 8, 11))
    assert feedback.status == Status.PUBLISHED and feedback.published_at == at(2026, 5, 8, 11)
    assert feedback.closed_at == at(2026, 5, 8, 11)

    feedback = actions.rate_feedback(feedback, rating=5, comment="Cảm ơn", holds_secret=True, at=at(2026, 5, 9, 9))
    assert feedback.rating == 5 and feedback.status == Status.PUBLISHED
    with pytest.raises(WorkflowError):  # once only
        actions.rate_feedback(feedback, rating=1, holds_secret=True)

    events = list(feedback.events.order_by("seq").values_list("seq", "action", "from_status", "to_status"))
    assert events == [
        (1, "submit", "", "received"), (2, "assign", "received", "assigned"),
        (3, "start", "assigned", "in_progress"), (4, "draft_reply", "in_progress", "reply_drafted"),
        (5, "approve_reply", "reply_drafted", "reply_approved"), (6, "answer", "reply_approved", "answered"),
        (7, "publish", "answered", "published"), (8, "rate", "published", "published"),
    ]
    assert Feedback.objects.get(pk=feedback.pk).version == 8


def test_late_answer_and_refusals(citizen, specialist, leader, other_clerk, demo_agencies):
    feedback = petition(citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 9), consent=False)
    with pytest.raises(WorkflowError) as outsider:
        actions.assign_feedback(feedback, actor=other_clerk, classification=Classification.PHAN_ANH)
    assert outsider.value.code == "forbidden"
    feedback = actions.assign_feedback(feedback, actor=leader, classification=Classification.KIEN_NGHI,
                                       at=at(2026, 4, 23, 8))
    with pytest.raises(WorkflowError) as stale:
        actions.start_feedback(feedback, actor=specialist, expected_version=1)
    assert stale.value.code == "stale"
    feedback = actions.draft_reply(feedback, actor=specialist, reply="Trả lời", at=at(2026, 5, 11, 8))
    feedback = actions.approve_reply(feedback, actor=leader, at=at(2026, 5, 11, 8, 30))
    feedback = actions.answer_feedback(feedback, actor=specialist, at=at(2026, 5, 11, 9, 1))
    assert feedback.on_time is False  # one minute after the deadline (11/05 09:00)
    with pytest.raises(WorkflowError) as no_consent:  # the citizen did not agree to publication
        actions.publish_feedback(feedback, actor=leader)
    assert no_consent.value.code == "illegal"
    version = feedback.version
    feedback = actions.close_feedback(feedback, actor=leader, note="Đã trả lời, không công khai")
    assert feedback.status == Status.CLOSED and feedback.version == version + 1
    assert feedback.events.count() == feedback.version  # refused actions wrote nothing
