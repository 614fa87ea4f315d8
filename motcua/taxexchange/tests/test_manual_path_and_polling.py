"""When the tax system fails (down, refuses, not configured, no notice in time) the step falls back to the tax
office's staff, recorded with the reason; they type the notice and the rest runs as usual. A late notice and a
confirmation the push never brought are fetched by polling."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from motcua.adapters import tax_authority as tax
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.tests.helpers import at
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 (fixture)
from motcua.integrations.tests.loopback import Answer
from motcua.payments.models import Invoice
from motcua.taxexchange import actions
from motcua.taxexchange.models import Source, TaxNotice, TaxTransfer
from motcua.taxexchange.tests.helpers import at_tax_step, notice_for, receipt_for, tax_system

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_committed_call_records")]
OK = Answer(body=b'{"error_code": 0, "message": "ok"}')


def fallback(dossier):
    return DossierEvent.objects.get(dossier=dossier, action="external_fallback")


@pytest.mark.parametrize("answer, reason", [
    (Answer(status=503, body=b"down"), "không phản hồi"),
    (Answer(body=json.dumps({"error_code": -1, "message": "Thiếu thông tin thửa đất"}).encode()),
     "Thiếu thông tin thửa đất"),
    (Answer(body=b"<html>"), "không phản hồi"),
])
def test_a_failing_tax_system_sends_the_step_to_manual_entry(demo_catalog, demo_agencies, clerk, specialist,
                                                              settings, loopback, answer, reason):
    tax_system(settings, loopback.url)
    loopback.answer(answer)
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    transfer = actions.start_transfer(dossier.pk, at=at(2026, 12, 1, 15, 5))
    assert transfer.state == TaxTransfer.State.MANUAL and reason in transfer.manual_reason
    event = fallback(dossier)
    assert event.actor is None and reason in event.note and event.data["manual"] and not event.is_public
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PAUSED_FOR_FEES


def test_without_a_configured_tax_system_the_step_is_manual_at_once(demo_catalog, demo_agencies, clerk,
                                                                    specialist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the step's handler runs after the hand-off commits
        dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    assert "Chưa cấu hình" in fallback(dossier).note
    assert TaxTransfer.objects.get(dossier=dossier).state == TaxTransfer.State.MANUAL


def test_the_tax_specialist_types_the_notice_and_the_payment_resumes(demo_catalog, demo_agencies, clerk,
                                                                     specialist, tax_specialist, client):
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    actions.start_transfer(dossier.pk, at=at(2026, 12, 1, 15, 5))  # not configured: manual
    client.force_login(tax_specialist)
    url = reverse("taxexchange:manual_notice", args=[dossier.code])
    page = client.get(url)
    assert page.status_code == 200 and "Chưa cấu hình" in page.content.decode()
    bad = client.post(url, {"number": "", "personal_income_tax": "-1"})
    assert bad.status_code == 400 and "Lỗi" in bad.content.decode()
    assert not TaxNotice.objects.exists()
    done = client.post(url, {"number": "TB-TAY-01", "personal_income_tax": "30000000", "registration_fee": "7500000",
                             "deadline": "2026-12-31", "payment_reference": "TT-TAY"})
    assert done.status_code == 302
    notice = TaxNotice.objects.get(dossier=dossier)
    assert (notice.source, notice.total, notice.entered_by) == (Source.MANUAL, 37_500_000, tax_specialist)
    # Not paused yet (no electronic link): the typed notice is the pause, with the amounts the citizen is told.
    event = DossierEvent.objects.get(dossier=dossier, action="pause_for_fees")
    assert event.actor == tax_specialist and event.data["source"] == "manual" and event.data["amount"] == 37_500_000
    invoice = Invoice.objects.get(dossier=dossier, purpose=Invoice.Purpose.OBLIGATION)
    assert invoice.total == 37_500_000
    assert actions.record_confirmation(receipt_for(dossier, amount=37_500_000, number="TB-TAY-01"),
                                       source=Source.PUSH).accepted
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_OTHER_AGENCY


def test_someone_else_may_not_type_a_notice(demo_catalog, demo_agencies, clerk, specialist, client):
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    with pytest.raises(actions.ExchangeError):
        actions.enter_notice_manually(dossier, actor=specialist, number="X", lines=[("1003", "Thuế", 1)])


def test_a_late_notice_and_a_missed_confirmation_are_polled(demo_catalog, demo_agencies, clerk, specialist,
                                                            settings, loopback):
    tax_system(settings, loopback.url)
    loopback.answer(OK)
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    actions.start_transfer(dossier.pk, at=at(2026, 12, 1, 15, 5))
    loopback.answer(Answer(body=b'{"error_code": 0, "result": []}'))  # not ready yet
    assert actions.poll(at=at(2026, 12, 2, 9)).notices == 0
    push = tax.build_notice_push(notice_for(dossier))
    loopback.answer(Answer(body=json.dumps({"error_code": 0, "result": [push]}).encode()),
                    Answer(body=b'{"error_code": 0, "result": []}'))  # then the treasury: nothing paid yet
    report = actions.poll(at=at(2026, 12, 3, 9))
    assert report.notices == 1 and TaxNotice.objects.get(dossier=dossier).source == Source.POLL
    sent = [json.loads(r.body) for r in loopback.received]
    assert sent[-2] == {"service": "LayThongBaoThue", "MaHoSo": dossier.code}
    assert sent[-1] == {"service": "TraCuuChungTu", "MaThongBaoThue": "TB-2026-0001"}
    receipt = receipt_for(dossier).as_message()
    loopback.answer(Answer(body=json.dumps({"error_code": 0, "result": [receipt, receipt]}).encode()))
    assert actions.poll(at=at(2026, 12, 4, 10)).confirmations == 2  # two copies, one payment
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_OTHER_AGENCY


def test_no_notice_within_the_steps_limit_falls_back(demo_catalog, demo_agencies, clerk, specialist, settings,
                                                     loopback):
    tax_system(settings, loopback.url)
    loopback.answer(OK)
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    actions.start_transfer(dossier.pk, at=at(2026, 12, 1, 15, 5))
    loopback.answer(Answer(body=b'{"error_code": 0, "result": []}'))
    assert actions.poll(at=at(2026, 12, 1, 15, 5) + dt.timedelta(hours=47)).fallbacks == 0
    loopback.answer(Answer(body=b'{"error_code": 0, "result": []}'))
    assert actions.poll(at=at(2026, 12, 1, 15, 5) + dt.timedelta(hours=49)).fallbacks == 1  # the step says 48
    assert "48 giờ" in fallback(dossier).note


def test_a_typed_notice_paid_at_the_treasury_is_polled_too(demo_catalog, demo_agencies, clerk, specialist,
                                                          tax_specialist, settings, loopback):
    """The tax system fails, the tax officer types the notice, the citizen pays at the treasury and its push is lost:
    the poll asks the treasury for that notice as for an electronic one, and the payment resumes the dossier."""
    tax_system(settings, loopback.url)
    loopback.answer(Answer(status=503, body=b"down"))
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    assert actions.start_transfer(dossier.pk, at=at(2026, 12, 1, 15, 5)).state == TaxTransfer.State.MANUAL
    actions.enter_notice_manually(Dossier.objects.get(pk=dossier.pk), actor=tax_specialist, number="TB-TAY-02",
                                  lines=[("1003", "Thuế thu nhập cá nhân", 30_000_000)], at=at(2026, 12, 2, 9))
    receipt = receipt_for(dossier, amount=30_000_000, number="TB-TAY-02").as_message()
    loopback.answer(Answer(body=json.dumps({"error_code": 0, "result": [receipt]}).encode()))
    assert actions.poll(at=at(2026, 12, 3, 9)).confirmations == 1
    assert json.loads(loopback.received[-1].body) == {"service": "TraCuuChungTu", "MaThongBaoThue": "TB-TAY-02"}
    assert Invoice.objects.get(dossier=dossier, purpose=Invoice.Purpose.OBLIGATION).state == Invoice.State.PAID
    assert Dossier.objects.get(pk=dossier.pk).status != Status.PAUSED_FOR_FEES
