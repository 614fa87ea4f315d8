"""The payment and invoice transition tables and the one guarded state change: a move not in the table is
refused; a writer holding a stale copy (a duplicate or concurrent callback that read the row before the first one
committed) changes nothing, even without the row lock."""

import pytest

from motcua.dossiers.tests.helpers import at
from motcua.payments import actions, callbacks, invoices
from motcua.payments.models import Invoice, Payment, Receipt
from motcua.payments.providers import GatewayResult
from motcua.payments.states import (
    FINAL_PAYMENT_STATES,
    INVOICE_TRANSITIONS,
    PAYMENT_TRANSITIONS,
    IllegalTransition,
    change_state,
)


def test_the_tables_name_real_states_and_success_and_failure_are_final():
    assert {state for move in PAYMENT_TRANSITIONS for state in move} <= set(Payment.State.values)
    assert {state for move in INVOICE_TRANSITIONS for state in move} <= set(Invoice.State.values)
    assert {Payment.State.SUCCEEDED, Payment.State.FAILED} == FINAL_PAYMENT_STATES


@pytest.fixture
def open_payment(paused_dossier):
    invoice = invoices.invoice_for_pause(paused_dossier)
    payment, _url = actions.start_online_payment(invoice, provider="vnpay", return_url="https://dvc/r")
    return payment


def paid(payment):
    return GatewayResult(txn_ref=payment.txn_ref, amount_minor=payment.amount * 100, success=True,
                         provider_txn_no="14626789", response_code="00")


def test_a_stale_copy_cannot_apply_the_result_twice(open_payment):
    first = Payment.objects.select_related("invoice").get(pk=open_payment.pk)
    stale = Payment.objects.select_related("invoice").get(pk=open_payment.pk)  # read before the first commits
    assert callbacks.apply_result(first, paid(first), at(2026, 12, 2, 10)) is True
    assert stale.state == Payment.State.PENDING
    assert callbacks.apply_result(stale, paid(stale), at(2026, 12, 2, 10)) is False
    assert Receipt.objects.count() == 1
    dossier = open_payment.invoice.dossier
    assert dossier.events.filter(action="record_payment").count() == 1
    open_payment.refresh_from_db()
    assert open_payment.state == Payment.State.SUCCEEDED and open_payment.provider_txn_no == "14626789"


def test_a_stale_failure_does_not_overwrite_a_success(open_payment):
    stale = Payment.objects.get(pk=open_payment.pk)
    callbacks.apply_result(Payment.objects.select_related("invoice").get(pk=open_payment.pk), paid(open_payment),
                           at(2026, 12, 2, 10))
    failed = GatewayResult(txn_ref=stale.txn_ref, amount_minor=stale.amount * 100, success=False, response_code="24")
    assert callbacks.apply_result(stale, failed, at(2026, 12, 2, 10)) is False
    open_payment.refresh_from_db()
    assert (open_payment.state, open_payment.response_code) == (Payment.State.SUCCEEDED, "00")


def test_a_move_missing_from_the_table_is_refused(open_payment):
    assert change_state(open_payment, Payment.State.FAILED) is True
    with pytest.raises(IllegalTransition):
        change_state(open_payment, Payment.State.SUCCEEDED)
    with pytest.raises(IllegalTransition):
        change_state(open_payment.invoice, Invoice.State.CANCELLED)
    open_payment.refresh_from_db()
    assert open_payment.state == Payment.State.FAILED


def test_the_invoice_is_marked_paid_once(open_payment):
    invoice = open_payment.invoice
    stale = Invoice.objects.get(pk=invoice.pk)
    assert change_state(invoice, Invoice.State.PAID, paid_amount=invoice.total) is True
    assert change_state(stale, Invoice.State.PAID, paid_amount=1) is False
    invoice.refresh_from_db()
    assert (invoice.state, invoice.paid_amount) == (Invoice.State.PAID, invoice.total)
