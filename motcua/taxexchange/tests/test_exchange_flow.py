"""The tax step run electronically: the form sent pauses the dossier, the notice sets the amounts and tells the
citizen, the confirmation pays once and resumes the clock where it stopped, the external steps move on by
themselves. Faults: a duplicate confirmation, a changed amount, the tax system down (manual path)."""

import json

import pytest

from motcua.dossiers.models import Dossier, DossierEvent, PauseInterval, Status
from motcua.dossiers.tests.helpers import at
from motcua.integrations.models import CallRecord
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 (fixture)
from motcua.integrations.tests.loopback import Answer
from motcua.notifications.models import OutboundMessage
from motcua.payments.actions import record_counter_payment
from motcua.payments.models import Invoice, Payment
from motcua.taxexchange import actions
from motcua.taxexchange.models import Source, TaxPaymentConfirmation, TaxTransfer
from motcua.taxexchange.tests.helpers import LINES, at_tax_step, notice_for, receipt_for, tax_system

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_committed_call_records")]
OK = Answer(body=json.dumps({"error_code": 0, "message": "Đã tiếp nhận"}).encode())


@pytest.fixture
def sent(demo_catalog, demo_agencies, clerk, specialist, settings, loopback):
    """The land transfer at the tax step, its form sent on Tuesday 1/12 15:05."""
    tax_system(settings, loopback.url)
    loopback.answer(OK)
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    transfer = actions.start_transfer(dossier.pk, at=at(2026, 12, 1, 15, 5))
    assert transfer is not None and transfer.state == TaxTransfer.State.SENT
    return Dossier.objects.get(pk=dossier.pk)


def actions_of(dossier):
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("seq").values_list("action", flat=True))


def test_the_form_is_sent_once_through_the_integration_layer_and_pauses_the_dossier(sent, loopback):
    assert sent.status == Status.PAUSED_FOR_FEES and sent.paused_at == at(2026, 12, 1, 15, 5)
    body = json.loads(loopback.received[0].body)
    assert body["service"] == "GuiPhieuChuyenThongTin"
    assert body["data"]["MaHoSo"] == sent.code and body["data"]["ThuaDat"]["SoThua"] == "125"
    assert [p["VaiTro"] for p in body["data"]["NguoiSuDungDat"]] == ["ben_chuyen_nhuong", "ben_nhan_chuyen_nhuong"]
    assert loopback.received[0].headers["idempotency-key"] == f"{sent.code}-PCTT"
    assert CallRecord.objects.filter(system="thue", operation="GuiPhieuChuyenThongTin", dossier=sent).exists()
    pause = DossierEvent.objects.get(dossier=sent, action="pause_for_fees")
    assert pause.actor is None and pause.data["awaiting_notice"] and pause.data["transfer"] == f"{sent.code}-PCTT"
    assert actions.start_transfer(sent.pk) .state == TaxTransfer.State.SENT  # a second run sends nothing
    assert len(loopback.received) == 1 and actions_of(sent).count("pause_for_fees") == 1
    # The pause at sending tells the citizen nothing yet: the amounts come with the notice.
    assert not OutboundMessage.objects.filter(event=pause).exists()


def test_notice_then_confirmation_resumes_with_the_paying_time_not_counted(sent, django_capture_on_commit_callbacks):
    assert sent.due_at == at(2026, 12, 10, 9)  # 8 working days from Monday 30/11 09:00
    outcome = actions.record_notice(notice_for(sent), source=Source.PUSH, at=at(2026, 12, 2, 9))
    assert outcome.accepted
    invoice = Invoice.objects.get(dossier=sent, purpose=Invoice.Purpose.OBLIGATION)
    assert invoice.total == 50_000_000 and invoice.lines.count() == 2
    event = DossierEvent.objects.get(dossier=sent, action="tax_notice")
    assert event.data["amount"] == 50_000_000 and event.data["payment_reference"] == "TT0000000001"
    sms = OutboundMessage.objects.filter(event=event)
    assert sms.exists() and "50.000.000" in sms.first().body
    with django_capture_on_commit_callbacks(execute=True):
        outcome = actions.record_confirmation(receipt_for(sent), source=Source.PUSH, at=at(2026, 12, 4, 10))
    assert outcome.accepted
    dossier = Dossier.objects.get(pk=sent.pk)
    # Paused Tuesday 15:05 → resumed Friday 10:00: the 51 h 25 min of working time left at the pause are left again.
    assert dossier.due_at == at(2026, 12, 14, 14, 55)
    pause = PauseInterval.objects.get(dossier=sent)
    assert (pause.started_at, pause.ended_at) == (at(2026, 12, 1, 15, 5), at(2026, 12, 4, 10))
    # The external steps moved on by themselves: tax → treasury → the land office's update step.
    assert dossier.steps[dossier.step_index]["key"] == "cap_nhat" and dossier.status == Status.PROCESSING
    assert actions_of(sent)[-5:] == ["pause_for_fees", "tax_notice", "record_payment", "forward", "forward"]
    forwards = DossierEvent.objects.filter(dossier=sent, action="forward", actor__isnull=True)
    assert forwards.count() == 2 and "chứng từ CT-0001" in forwards.last().note
    payment = Payment.objects.get(invoice=invoice)
    assert payment.provider == "treasury" and payment.provider_txn_no == "CT-0001" and hasattr(payment, "receipt")


def test_a_duplicate_confirmation_pays_once(sent):
    actions.record_notice(notice_for(sent), source=Source.PUSH, at=at(2026, 12, 2, 9))
    for source in (Source.PUSH, Source.PUSH, Source.POLL):
        assert actions.record_confirmation(receipt_for(sent), source=source, at=at(2026, 12, 4, 10)).accepted
    confirmation = TaxPaymentConfirmation.objects.get(dossier=sent)
    assert confirmation.copies == 3 and confirmation.applied
    assert Payment.objects.filter(invoice__dossier=sent, invoice__purpose="obligation").count() == 1
    assert actions_of(sent).count("record_payment") == 1
    assert Invoice.objects.get(dossier=sent, purpose="obligation").paid_amount == 50_000_000


def test_a_confirmation_of_an_obligation_paid_otherwise_pays_nothing(sent, clerk):
    actions.record_notice(notice_for(sent), source=Source.PUSH, at=at(2026, 12, 2, 9))
    invoice = Invoice.objects.get(dossier=sent, purpose=Invoice.Purpose.OBLIGATION)
    record_counter_payment(invoice, actor=clerk, method="cash", amount=50_000_000, at=at(2026, 12, 3, 9))
    assert Dossier.objects.get(pk=sent.pk).status == Status.IN_OTHER_AGENCY
    outcome = actions.record_confirmation(receipt_for(sent, document="CT-7"), source=Source.PUSH)
    assert outcome.accepted and "trước đó" in outcome.message
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert not TaxPaymentConfirmation.objects.get(dossier=sent).applied


def test_a_changed_amount_tells_the_citizen_again(sent):
    actions.record_notice(notice_for(sent), source=Source.PUSH, at=at(2026, 12, 2, 9))
    again = actions.record_notice(notice_for(sent), source=Source.PUSH, at=at(2026, 12, 2, 9, 5))
    assert again.accepted and not again.changed  # the same notice twice: nothing new
    changed = notice_for(sent, revision=1, lines=(LINES[0], LINES[1].__class__("2801", LINES[1].name, 12_500_000)))
    outcome = actions.record_notice(changed, source=Source.PUSH, at=at(2026, 12, 3, 9))
    assert outcome.changed
    events = list(DossierEvent.objects.filter(dossier=sent, action="tax_notice").order_by("seq"))
    assert [e.data["amount"] for e in events] == [50_000_000, 52_500_000]
    assert events[1].data["changed"] and events[1].data["previous_amount"] == 50_000_000
    assert "52.500.000" in OutboundMessage.objects.filter(event=events[1]).first().body
    invoice = Invoice.objects.get(dossier=sent, purpose=Invoice.Purpose.OBLIGATION)
    assert invoice.total == 52_500_000 and invoice.state == Invoice.State.UNPAID
    older = actions.record_notice(notice_for(sent), source=Source.POLL)  # revision 0 comes again late: ignored
    assert older.accepted and DossierEvent.objects.filter(dossier=sent, action="tax_notice").count() == 2
    # The old amount no longer settles it; the new one does.
    actions.record_confirmation(receipt_for(sent, amount=50_000_000, document="A"), source=Source.PUSH)
    assert Dossier.objects.get(pk=sent.pk).status == Status.PAUSED_FOR_FEES
    actions.record_confirmation(receipt_for(sent, amount=2_500_000, document="B"), source=Source.PUSH)
    assert Dossier.objects.get(pk=sent.pk).status == Status.IN_OTHER_AGENCY


def test_a_confirmation_for_an_unknown_dossier_or_notice_is_refused(sent):
    unknown = receipt_for(sent)
    unknown = unknown.__class__(**{**unknown.__dict__, "dossier_code": "KHONG-CO"})
    assert not actions.record_confirmation(unknown, source=Source.PUSH).accepted
    assert not actions.record_confirmation(receipt_for(sent, number="TB-KHAC"), source=Source.PUSH).accepted
    assert not TaxPaymentConfirmation.objects.exists()
