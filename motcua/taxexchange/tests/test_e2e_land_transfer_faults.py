"""Faults in the electronic land-transfer chain (live server, simulators in-process, controlled clock), each its own
test: a duplicated payment confirmation pays once; the tax system down sends the step to manual entry by the tax
office's staff and the dossier still completes; a notice with a changed amount tells the citizen again and the
invoice follows it (and still pays once)."""

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.tests.helpers import at
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 (fixture)
from motcua.land.models import LandWriteBack
from motcua.land.tests.helpers import AN_ID
from motcua.notifications.models import OutboundMessage
from motcua.payments.models import GatewayCallback, Invoice, Payment, Receipt
from motcua.signing.models import ResultDocument
from motcua.taxexchange.models import Source, TaxNotice, TaxPaymentConfirmation, TaxTransfer
from motcua.taxexchange.tests.chain import (
    approve_and_return,
    hand_to_tax,
    parcel,
    pay_online,
    pushed,
    submit_online,
    wait_for,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("forget_committed_call_records")]


def obligation(dossier):
    return Invoice.objects.get(dossier=dossier, purpose=Invoice.Purpose.OBLIGATION)


def paid_once(dossier, amount):
    invoice = obligation(dossier)
    payments = Payment.objects.filter(invoice=invoice, state=Payment.State.SUCCEEDED)
    assert [p.amount for p in payments] == [amount]
    assert invoice.state == Invoice.State.PAID and invoice.paid_amount == amount
    assert Receipt.objects.filter(payment__invoice=invoice).count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action="record_payment").count() == 1


def test_a_duplicated_payment_confirmation_pays_once(chain, demo_agencies, other_citizen, clerk, specialist):
    chain.platform.state.faults.update({"duplicate_callbacks": 1})  # the platform confirms three times
    chain.tax.state.faults.update({"duplicate_confirmations": 1})  # and so does the treasury
    client, dossier = submit_online(other_citizen, demo_agencies["land_office"])
    dossier = hand_to_tax(chain, dossier, clerk, specialist)
    assert pushed(chain, 1)
    notice = TaxNotice.objects.get(dossier=dossier)
    chain.clock.set(at(2027, 1, 4, 10))
    assert pay_online(client, other_citizen, dossier, amount_text="50.000.000").status_code == 303
    payment = Payment.objects.get(invoice=obligation(dossier))
    assert list(GatewayCallback.objects.filter(payment=payment).order_by("pk")
                .values_list("answer_code", flat=True)) == ["00", "02", "02"]  # recorded once, then "already confirmed"
    chain.tax.state.pay(notice.number)
    assert pushed(chain, 4)  # the notice, then the treasury's confirmation three times
    assert [p["status"] for p in chain.tax.state.snapshot()["pushes"]] == [200, 200, 200, 200]
    confirmation = TaxPaymentConfirmation.objects.get(dossier=dossier)
    assert confirmation.copies == 3 and not confirmation.applied
    paid_once(dossier, 50_000_000)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.current_step["key"] == "cap_nhat" and dossier.status == Status.PROCESSING
    system_moves = DossierEvent.objects.filter(dossier=dossier, action="forward", actor__isnull=True)
    assert system_moves.count() == 2  # tax → treasury → land office, once each
    assert dossier.due_at == at(2027, 1, 12, 16)  # resumed once: the paying time is not counted


def test_the_tax_system_down_falls_back_to_manual_entry_and_the_dossier_completes(
        chain, demo_agencies, other_citizen, clerk, specialist, tax_specialist, leader):
    chain.tax.state.faults.update({"down": True})
    client, dossier = submit_online(other_citizen, demo_agencies["land_office"])
    dossier = hand_to_tax(chain, dossier, clerk, specialist)
    transfer = TaxTransfer.objects.get(dossier=dossier)
    assert transfer.state == TaxTransfer.State.MANUAL and "không phản hồi" in transfer.manual_reason
    fallback = DossierEvent.objects.get(dossier=dossier, action="external_fallback")
    assert fallback.actor is None and fallback.data["manual"] and not fallback.is_public
    assert not chain.tax.state.snapshot()["transfers"]  # nothing reached the tax authority

    # Thursday 31/12 09:00: the tax office's officer follows the dossier page's link and types the notice.
    chain.clock.set(at(2026, 12, 31, 9))
    staff = Client()
    staff.force_login(tax_specialist)
    page = staff.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    manual_url = reverse("taxexchange:manual_notice", args=[dossier.code])
    assert f'href="{manual_url}"' in page
    response = staff.post(manual_url, {"number": "TB-TAY-0001", "personal_income_tax": "40000000",
                                       "registration_fee": "10000000", "deadline": "2027-01-29",
                                       "payment_reference": "TT-TAY-1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = TaxNotice.objects.get(dossier=dossier)
    assert (notice.source, notice.entered_by, notice.total) == (Source.MANUAL, tax_specialist, 50_000_000)
    told = DossierEvent.objects.get(dossier=dossier, action="tax_notice")
    assert told.actor == tax_specialist and told.data["amount"] == 50_000_000
    assert any("50.000.000" in m.body for m in OutboundMessage.objects.filter(event=told))

    # Monday 4/1/2027 10:00 the citizen pays online; the rest runs to the result.
    chain.clock.set(at(2027, 1, 4, 10))
    assert pay_online(client, other_citizen, dossier, amount_text="50.000.000").status_code == 303
    paid_once(dossier, 50_000_000)
    dossier = Dossier.objects.get(pk=dossier.pk)
    # Resumed at the tax step: on the manual path its officer moves it on; the treasury step then does by itself.
    assert (dossier.current_step["key"], dossier.status) == ("xac_dinh_nghia_vu_tai_chinh", Status.IN_OTHER_AGENCY)
    dossier_actions.forward_dossier(dossier, actor=tax_specialist)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.current_step["key"] == "cap_nhat"
    dossier = approve_and_return(chain, dossier, specialist, leader, clerk)
    assert dossier.status == Status.RETURNED
    assert ResultDocument.objects.filter(dossier=dossier, state=ResultDocument.State.SIGNED).exists()
    assert wait_for(lambda: LandWriteBack.objects.filter(dossier=dossier, state="sent").exists())
    assert parcel(chain, "345")["holders"][0]["id_number"] == AN_ID


def test_a_changed_amount_tells_the_citizen_again_and_the_invoice_follows(chain, demo_agencies, other_citizen,
                                                                          clerk, specialist):
    chain.tax.state.faults.update({"change_amount_next": 1})  # a revision with +1,500,000 đồng follows
    client, dossier = submit_online(other_citizen, demo_agencies["land_office"])
    dossier = hand_to_tax(chain, dossier, clerk, specialist)
    assert pushed(chain, 2)
    told = list(DossierEvent.objects.filter(dossier=dossier, action="tax_notice").order_by("seq"))
    assert [e.data["amount"] for e in told] == [50_000_000, 51_500_000]
    assert told[1].data["changed"] and told[1].data["previous_amount"] == 50_000_000
    first, second = (list(OutboundMessage.objects.filter(event=e)) for e in told)
    assert first and second  # told twice
    assert all("51.500.000" in m.body for m in second if m.body)
    assert not any("51.500.000" in m.body for m in first if m.body)
    invoice = obligation(dossier)
    assert invoice.number == f"{dossier.code}-NV" and invoice.total == 51_500_000
    assert invoice.state == Invoice.State.UNPAID

    chain.clock.set(at(2027, 1, 4, 10))
    assert pay_online(client, other_citizen, dossier, amount_text="51.500.000").status_code == 303
    current = TaxNotice.objects.get(dossier=dossier, is_current=True)
    chain.tax.state.pay(current.number)  # the treasury confirms the new amount as well: nothing more is paid
    assert pushed(chain, 3)
    paid_once(dossier, 51_500_000)
    assert not TaxPaymentConfirmation.objects.get(dossier=dossier).applied
    assert Dossier.objects.get(pk=dossier.pk).current_step["key"] == "cap_nhat"
