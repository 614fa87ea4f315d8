"""Cash or card at the counter, recorded by a clerk: receipt, invoice paid, a paused dossier resumes."""

import pytest

from motcua.dossiers.models import Status
from motcua.payments import actions, invoices
from motcua.payments.models import Invoice, Payment, Provider


def test_cash_payment_resumes_the_paused_dossier(paused_dossier, clerk):
    invoice = invoices.invoice_for_pause(paused_dossier)
    payment = actions.record_counter_payment(invoice, actor=clerk, method=Payment.Method.CASH,
                                             amount=25_000_000, reference="Phiếu thu 0012", idempotency_key="k1")
    assert payment.provider == Provider.COUNTER and payment.state == Payment.State.SUCCEEDED
    assert payment.recorded_by == clerk and payment.receipt.number.startswith("BL-")
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PAID and invoice.paid_amount == 25_000_000
    paused_dossier.refresh_from_db()
    assert paused_dossier.status == Status.IN_OTHER_AGENCY
    event = paused_dossier.events.get(action="record_payment")
    assert event.actor == clerk and event.note == f"counter:{payment.txn_ref}"

    # The same form submitted twice: the first payment, not a second one.
    again = actions.record_counter_payment(invoice, actor=clerk, method=Payment.Method.CASH, amount=25_000_000,
                                           reference="Phiếu thu 0012", idempotency_key="k1")
    assert again == payment and invoice.payments.count() == 1
    with pytest.raises(invoices.PaymentError) as mismatch:
        actions.record_counter_payment(invoice, actor=clerk, method=Payment.Method.CARD, amount=25_000_000,
                                       idempotency_key="k1")
    assert mismatch.value.code == "idempotency_mismatch"
    with pytest.raises(invoices.PaymentError) as paid:
        actions.record_counter_payment(invoice, actor=clerk, method=Payment.Method.CASH, amount=25_000_000)
    assert paid.value.message_vi == "Hóa đơn này đã được thanh toán."


def test_wrong_amount_and_wrong_person_are_refused(paused_dossier, clerk, other_clerk, specialist):
    invoice = invoices.invoice_for_pause(paused_dossier)
    with pytest.raises(invoices.PaymentError) as wrong:
        actions.record_counter_payment(invoice, actor=clerk, method=Payment.Method.CASH, amount=20_000_000)
    assert wrong.value.message_vi == "Số tiền phải nộp là 25.000.000 đồng."
    assert wrong.value.message_en == "The amount due is 25,000,000 VND."
    for person in (other_clerk, specialist):
        with pytest.raises(invoices.PaymentError) as forbidden:
            actions.record_counter_payment(invoice, actor=person, method=Payment.Method.CASH, amount=25_000_000)
        assert forbidden.value.code == "forbidden"
    with pytest.raises(invoices.PaymentError):
        actions.record_counter_payment(invoice, actor=clerk, method="bitcoin", amount=25_000_000)
    assert invoice.payments.count() == 0
    paused_dossier.refresh_from_db()
    assert paused_dossier.status == Status.PAUSED_FOR_FEES


def test_the_dossier_waits_until_every_invoice_is_paid(paused_dossier, clerk):
    fees = invoices.create_invoice(paused_dossier)
    obligation = invoices.invoice_for_pause(paused_dossier)
    actions.record_counter_payment(obligation, actor=clerk, method=Payment.Method.CARD, amount=25_000_000)
    paused_dossier.refresh_from_db()
    assert paused_dossier.status == Status.PAUSED_FOR_FEES  # the fees are still unpaid
    actions.record_counter_payment(fees, actor=clerk, method=Payment.Method.CASH, amount=fees.total)
    paused_dossier.refresh_from_db()
    assert paused_dossier.status == Status.IN_OTHER_AGENCY
    assert paused_dossier.events.filter(action="record_payment").count() == 1


def test_paying_a_dossier_that_is_not_paused_only_pays(demo_catalog, demo_agencies, clerk):
    from motcua.dossiers.tests.helpers import at, land_dossier

    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    invoice = invoices.create_invoice(dossier)
    actions.record_counter_payment(invoice, actor=clerk, method=Payment.Method.CASH, amount=invoice.total)
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and not dossier.events.filter(action="record_payment").exists()
