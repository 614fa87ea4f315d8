"""The payment and invoice state machines: the status moves allowed, and the one function that makes one.

Every status change of a `Payment` or an `Invoice` goes through `change_state`, which checks the move against the
table and writes it with a conditional `UPDATE … WHERE state = <the state the caller read>`. A duplicate or
concurrent callback that read the same row therefore changes nothing (the update matches no row and
`change_state` answers False), even without the row lock the callers also take. Creating a row in a state (a
counter payment created `succeeded`, a free invoice created `paid`) is not a move.
"""

from __future__ import annotations

from typing import Any, Final

from django.utils import timezone

from motcua.payments.models import Invoice, Payment

_P = Payment.State
_I = Invoice.State

# (from, to) → why the move happens.
PAYMENT_TRANSITIONS: Final[dict[tuple[str, str], str]] = {
    (_P.PENDING, _P.SUCCEEDED): "the gateway confirms the payment (IPN, transaction query, reconciliation)",
    (_P.PENDING, _P.FAILED): "the gateway reports a failure or a cancellation",
    (_P.PENDING, _P.EXPIRED): "the reconciliation finds the attempt past its expiry and not taken by the gateway",
    (_P.EXPIRED, _P.SUCCEEDED): "a late notification, or the reconciliation, finds the money taken after all",
    (_P.EXPIRED, _P.FAILED): "a late notification of a failure",
}

INVOICE_TRANSITIONS: Final[dict[tuple[str, str], str]] = {
    (_I.UNPAID, _I.PAID): "its successful payments reach the total (`invoices.settle`)",
    (_I.CANCELLED, _I.UNPAID): "a new financial-obligation notice reopens a cancelled obligation invoice",
}

# A payment in one of these states never changes again.
FINAL_PAYMENT_STATES: Final[frozenset[str]] = frozenset(
    {state for state in _P.values if not any(move[0] == state for move in PAYMENT_TRANSITIONS)})


class IllegalTransition(Exception):
    """A programming error: a status move that the transition table does not allow."""


def can_change(obj: Payment | Invoice, to: str) -> bool:
    """Whether OBJ (as read) may move to TO."""
    table = PAYMENT_TRANSITIONS if isinstance(obj, Payment) else INVOICE_TRANSITIONS
    return (obj.state, to) in table


def change_state(obj: Payment | Invoice, to: str, **fields: Any) -> bool:
    """Move OBJ from the state it was read in to TO, writing FIELDS with it, if and only if the row is still in
    that state. Returns whether this call made the move (False: someone else changed the row first); OBJ is
    updated in memory only then. A move missing from the table raises `IllegalTransition`."""
    if not can_change(obj, to):
        raise IllegalTransition(f"{type(obj).__name__} {obj.pk}: {obj.state} → {to} is not allowed")
    if isinstance(obj, Payment):
        fields.setdefault("updated_at", timezone.now())  # auto_now is not applied by QuerySet.update()
    changed = type(obj)._default_manager.filter(pk=obj.pk, state=obj.state).update(state=to, **fields)
    if not changed:
        return False
    obj.state = to
    for name, value in fields.items():
        setattr(obj, name, value)
    return True
