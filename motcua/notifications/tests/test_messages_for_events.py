"""Which dossier events produce which messages, written in the event's own transaction, never twice."""

import pytest
from django.db import transaction

from motcua.dossiers import actions
from motcua.dossiers.tests.helpers import at
from motcua.notifications.actions import enqueue_for_event
from motcua.notifications.models import Channel, Kind, OutboundMessage
from motcua.notifications.tests.helpers import notified, notified_land_dossier


def kinds(dossier):
    return [(m.event.seq, m.kind, m.channel, m.recipient)
            for m in OutboundMessage.objects.filter(dossier=dossier).select_related("event").order_by("event__seq",
                                                                                                   "channel")]


def test_every_event_that_matters_to_the_applicant_is_told(demo_catalog, demo_agencies, clerk, specialist, leader,
                                                            tax_specialist, treasury_specialist):
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    dossier = notified(actions.forward_dossier, dossier, actor=clerk, at=at(2026, 11, 30, 10))
    dossier = notified(actions.forward_dossier, dossier, actor=specialist, at=at(2026, 12, 1, 15))
    dossier = notified(actions.pause_for_fees, dossier, actor=tax_specialist, note="Thông báo nộp thuế TNCN, LPTB",
                       amount=25_000_000, at=at(2026, 12, 2, 9))
    dossier = notified(actions.record_payment, dossier, actor=None, reference="KB-1", at=at(2026, 12, 3, 9))
    for actor in (tax_specialist, treasury_specialist, specialist):
        dossier = notified(actions.forward_dossier, dossier, actor=actor, at=at(2026, 12, 3, 10))
    dossier = notified(actions.approve_dossier, dossier, actor=leader, at=at(2026, 12, 4, 10))
    dossier = notified(actions.return_result, dossier, actor=clerk, at=at(2026, 12, 4, 11))

    email, phone = "tran.thi.binh@example.vn", "84987654321"
    assert kinds(dossier) == [
        (1, Kind.RECEIVED, Channel.EMAIL, email), (1, Kind.RECEIVED, Channel.SMS, phone),
        (4, Kind.PAUSED_FOR_FEES, Channel.EMAIL, email), (4, Kind.PAUSED_FOR_FEES, Channel.SMS, phone),
        (9, Kind.RESULT_READY, Channel.EMAIL, email), (9, Kind.RESULT_READY, Channel.SMS, phone),
        (10, Kind.RETURNED, Channel.EMAIL, email), (10, Kind.RETURNED, Channel.SMS, phone),
    ]
    paused = OutboundMessage.objects.get(dossier=dossier, kind=Kind.PAUSED_FOR_FEES, channel=Channel.SMS)
    assert "25.000.000 đồng" in paused.body
    assert paused.variables["so_tien"] == "25.000.000 đồng"
    received = OutboundMessage.objects.get(dossier=dossier, kind=Kind.RECEIVED, channel=Channel.EMAIL)
    assert received.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert "09:00 10/12/2026" in received.body  # the appointment
    assert f"/tra-cuu/{dossier.code}/?s={dossier.lookup_secret}" in received.body


def test_supplement_refusal_and_apology(demo_catalog, demo_agencies, clerk, specialist, leader):
    first = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    first = notified(actions.request_supplement, first, actor=clerk, items=["Bản sao sổ hộ khẩu"],
                     note="Thiếu giấy tờ", at=at(2026, 11, 30, 10))
    message = OutboundMessage.objects.get(dossier=first, kind=Kind.SUPPLEMENT_REQUESTED, channel=Channel.SMS)
    assert "Bản sao sổ hộ khẩu" in message.body and "Thiếu giấy tờ" in message.body

    second = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 11))
    second = notified(actions.refuse_dossier, second, actor=clerk, reason="Thửa đất đang có tranh chấp")
    assert OutboundMessage.objects.filter(dossier=second, kind=Kind.REFUSED).count() == 2

    third = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 13))
    third = notified(actions.extend_dossier, third, actor=clerk, reason="Phải xác minh ranh giới",
                     new_due_at=at(2026, 12, 16, 17), at=at(2026, 12, 9))
    apology = OutboundMessage.objects.get(dossier=third, kind=Kind.EXTENDED, channel=Channel.EMAIL)
    assert "17:00 16/12/2026" in apology.body and "Phải xác minh ranh giới" in apology.body


def test_never_twice_for_one_event(demo_catalog, demo_agencies, clerk):
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    event = dossier.events.get(seq=1)
    enqueue_for_event(event)
    enqueue_for_event(event)
    assert OutboundMessage.objects.filter(event=event).count() == 2  # one email, one SMS


def test_messages_roll_back_with_the_transition(demo_catalog, demo_agencies, clerk):
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    before = OutboundMessage.objects.count()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        notified(actions.refuse_dossier, dossier, actor=clerk, reason="Không đủ điều kiện")
        assert OutboundMessage.objects.count() == before + 2
        raise Abort
    assert OutboundMessage.objects.count() == before
    dossier.refresh_from_db()
    assert dossier.status == "received"


def test_contacts_are_checked(demo_catalog, demo_agencies, clerk, citizen, settings):
    from motcua.dossiers.actions import Applicant

    foreign = Applicant(name="John Smith", phone="+1 202 555 0143", email="not-an-email")
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30), applicant=foreign)
    assert OutboundMessage.objects.filter(dossier=dossier).count() == 0  # no +84 number, no valid address

    settings.MOTCUA_NOTIFY_CHANNELS = ["email"]
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 10))
    assert [m.channel for m in OutboundMessage.objects.filter(dossier=dossier)] == [Channel.EMAIL]


def test_zns_is_used_once_its_zalo_template_is_set(demo_catalog, demo_agencies, clerk, zns_templates):
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    zns = OutboundMessage.objects.get(dossier=dossier, channel=Channel.ZNS)
    assert not OutboundMessage.objects.filter(dossier=dossier, channel=Channel.SMS).exists()
    assert zns.recipient == "84987654321"
    assert zns.template_data == {
        "ma_ho_so": dossier.code, "nguoi_nop": "Trần Thị Bình", "ngay_tiep_nhan": "09:00 30/11/2026",
        "ngay_hen_tra": "09:00 10/12/2026", "ma_tra_cuu": dossier.lookup_secret,
    }


def test_non_public_and_routine_events_send_nothing(demo_catalog, demo_agencies, clerk, specialist):
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    count = OutboundMessage.objects.count()
    dossier = notified(actions.forward_dossier, dossier, actor=clerk)
    dossier = notified(actions.send_back, dossier, actor=specialist, note="Trả lại để kiểm tra")
    assert OutboundMessage.objects.count() == count


def test_a_broken_template_does_not_block_the_dossier(demo_catalog, demo_agencies, clerk):
    from motcua.notifications.models import MessageTemplate

    MessageTemplate.objects.filter(kind=Kind.REFUSED, channel=Channel.SMS).update(body="Hồ sơ {khong_co_bien}")
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    dossier = notified(actions.refuse_dossier, dossier, actor=clerk, reason="Không đủ điều kiện")
    assert dossier.status == "refused"
    assert [m.channel for m in OutboundMessage.objects.filter(dossier=dossier, kind=Kind.REFUSED)] == [Channel.EMAIL]
