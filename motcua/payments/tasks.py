"""Background jobs of the payments app (django-tasks)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from motcua.payments import callbacks, reconciliation
from motcua.payments.models import Payment


@task()
def confirm_payment_task(payment_id: int) -> str:
    """Ask the gateway about a payment whose payer came back before its notification arrived."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        return "missing"
    return callbacks.confirm_pending(payment).state


@task()
def reconcile_day_task(day: str, provider: str = "vnpay") -> dict[str, int]:
    """The daily reconciliation of DAY (YYYY-MM-DD)."""
    report = reconciliation.reconcile(dt.date.fromisoformat(day), provider=provider)
    return {"checked": report.payments_checked, "matched": report.matched, "settled": report.settled,
            "mismatches": len(report.mismatches)}
