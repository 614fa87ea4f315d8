"""The reconciliation's classifier is pure: each (our state, the gateway's row) gives one outcome of the table."""

import datetime as dt

import pytest

from motcua.payments.models import Invoice, Payment
from motcua.payments.providers import GatewayResult
from motcua.payments.reconciliation import (
    EXPIRE,
    MATCHED,
    MISMATCH_KINDS,
    NOT_COMPARED,
    classify_invoice,
    classify_payment,
)

NOW = dt.datetime(2026, 12, 3, 8, tzinfo=dt.UTC)
PAST, FUTURE = NOW - dt.timedelta(hours=1), NOW + dt.timedelta(hours=1)
P = Payment.State


def row(*, success=True, found=True, amount=100_000):
    return GatewayResult(txn_ref="R", amount_minor=amount * 100, success=success, found=found)


@pytest.mark.parametrize(("state", "expires_at", "gateway", "statement", "outcome"), [
    (P.SUCCEEDED, PAST, row(), False, MATCHED),
    (P.PENDING, PAST, row(), False, "settled_missing_notification"),
    (P.EXPIRED, PAST, row(), False, "settled_missing_notification"),
    (P.FAILED, PAST, row(), False, "paid_at_gateway_failed_here"),
    (P.PENDING, PAST, row(amount=99_000), False, "amount_differs"),
    (P.SUCCEEDED, PAST, row(amount=99_000), False, "amount_differs"),
    (P.SUCCEEDED, PAST, row(success=False), False, "paid_here_not_at_gateway"),
    (P.SUCCEEDED, PAST, row(found=False), False, "paid_here_not_at_gateway"),
    (P.PENDING, PAST, row(found=False), False, EXPIRE),
    (P.PENDING, FUTURE, row(found=False), False, MATCHED),
    (P.FAILED, PAST, row(success=False), False, MATCHED),
    (P.SUCCEEDED, PAST, None, True, "paid_here_missing_from_statement"),
    (P.PENDING, PAST, None, True, NOT_COMPARED),
    (P.SUCCEEDED, PAST, None, False, NOT_COMPARED),  # the query failed: listed as query_failed instead
])
def test_each_case_has_one_outcome(state, expires_at, gateway, statement, outcome):
    assert classify_payment(state, 100_000, expires_at, gateway, statement_mode=statement, now=NOW) == outcome
    assert outcome in MISMATCH_KINDS or outcome in (MATCHED, EXPIRE, NOT_COMPARED)


@pytest.mark.parametrize(("state", "total", "paid", "kind"), [
    (Invoice.State.PAID, 100, 100, None),
    (Invoice.State.UNPAID, 100, 0, None),
    (Invoice.State.PAID, 100, 200, "overpaid"),
    (Invoice.State.UNPAID, 100, 150, "overpaid"),
    (Invoice.State.PAID, 100, 50, "paid_without_payment"),
])
def test_invoices(state, total, paid, kind):
    assert classify_invoice(state, total, paid) == kind
