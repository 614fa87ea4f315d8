"""The daily reconciliation: the day's payments against the gateway's view, and the invoices they pay.

`classify_payment` and `classify_invoice` are pure: they say what one payment (or invoice) and the gateway's row
mean, from the table `OUTCOMES` / `MISMATCH_KINDS`. `reconcile` reads, asks the gateway, applies what the
classification says (settle a missed notification, expire a stale attempt — both through `states.change_state`)
and writes the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from motcua.payments.callbacks import apply_result
from motcua.payments.models import Invoice, Payment, Provider, ReconciliationReport
from motcua.payments.providers import BadSignature, GatewayResult, ProviderError, provider_for
from motcua.payments.states import change_state


@dataclass(frozen=True)
class MismatchKind:
    """One kind of difference listed in the report (messages in both languages: the report is read by staff of
    either, and the JSON keeps both)."""

    message_vi: str
    message_en: str
    resolved: bool = False  # reconciliation fixed it itself


MISMATCH_KINDS: Final[dict[str, MismatchKind]] = {
    "settled_missing_notification": MismatchKind(
        "Cổng đã thu tiền nhưng chưa báo (IPN); đã ghi nhận thanh toán.",
        "The gateway took the money without notifying us; now settled.", resolved=True),
    "paid_here_not_at_gateway": MismatchKind(
        "Hệ thống ghi đã thanh toán nhưng cổng thanh toán không ghi nhận.", "Paid here, but not at the gateway."),
    "paid_here_missing_from_statement": MismatchKind(
        "Hệ thống ghi đã thanh toán nhưng cổng thanh toán không có giao dịch.",
        "Paid here, but the gateway has no such transaction."),
    "paid_at_gateway_failed_here": MismatchKind(
        "Cổng đã thu tiền nhưng hệ thống ghi giao dịch thất bại: cần xử lý.",
        "The gateway took the money but we recorded a failure: to be handled."),
    "amount_differs": MismatchKind(
        "Số tiền tại cổng thanh toán khác số tiền hóa đơn.", "The gateway's amount differs from ours."),
    "unknown_at_gateway": MismatchKind(
        "Giao dịch tại cổng thanh toán không có trong hệ thống.", "A gateway transaction we have no record of."),
    "overpaid": MismatchKind(
        "Hóa đơn được thanh toán nhiều hơn số phải nộp: cần hoàn tiền.",
        "The invoice was paid more than once or too much: refund due."),
    "paid_without_payment": MismatchKind(
        "Hóa đơn ghi đã nộp nhưng thiếu khoản thanh toán.", "The invoice is marked paid without enough payments."),
    "query_failed": MismatchKind(
        "Không truy vấn được giao dịch: {error}", "The transaction could not be queried: {error}"),
}

# The report's `kind` of each mismatch (two entries of the table share the documented kind
# `paid_here_not_at_gateway`, with a message saying whether the statement or the query lacks it).
REPORTED_KIND: Final[dict[str, str]] = {"paid_here_missing_from_statement": "paid_here_not_at_gateway"}

# Outcomes of one payment that are not mismatches.
MATCHED: Final = "matched"  # both sides agree
EXPIRE: Final = "expire"  # agree (nothing paid), and the pending attempt is past its expiry: mark it expired
NOT_COMPARED: Final = "not_compared"  # the gateway's view of it is missing (statement mode, not paid here)


def classify_payment(state: str, amount: int, expires_at: dt.datetime | None, row: GatewayResult | None, *,
                     statement_mode: bool, now: dt.datetime) -> str:
    """What one payment (STATE, AMOUNT in đồng, EXPIRES_AT) and the gateway's ROW about it (None: none) mean:
    a key of `MISMATCH_KINDS`, or MATCHED, EXPIRE, NOT_COMPARED."""
    if row is None:
        return ("paid_here_missing_from_statement" if statement_mode and state == Payment.State.SUCCEEDED
                else NOT_COMPARED)
    paid_there = row.found and row.success
    if paid_there and row.amount_minor != amount * 100:
        return "amount_differs"
    if paid_there and state == Payment.State.SUCCEEDED:
        return MATCHED
    if paid_there and state in (Payment.State.PENDING, Payment.State.EXPIRED):
        return "settled_missing_notification"
    if paid_there:
        return "paid_at_gateway_failed_here"
    if state == Payment.State.SUCCEEDED:
        return "paid_here_not_at_gateway"
    if state == Payment.State.PENDING and expires_at is not None and expires_at < now:
        return EXPIRE
    return MATCHED


def classify_invoice(state: str, total: int, paid: int) -> str | None:
    """What an invoice's STATE and TOTAL against the sum PAID by its successful payments mean (None: agree)."""
    if paid > total:
        return "overpaid"
    if state == Invoice.State.PAID and paid < total:
        return "paid_without_payment"
    return None


def _mismatch(kind: str, payment: Payment | None = None, *, error: str = "", **extra: Any) -> dict[str, Any]:
    row = MISMATCH_KINDS[kind]
    entry: dict[str, Any] = {"kind": REPORTED_KIND.get(kind, kind), "message_vi": row.message_vi.format(error=error),
                             "message_en": row.message_en.format(error=error), "resolved": row.resolved, **extra}
    if payment is not None:
        entry.update({"txn_ref": payment.txn_ref, "invoice": payment.invoice.number,
                      "dossier": payment.invoice.dossier.code, "amount": payment.amount, "state": payment.state})
    return entry


def reconcile(day: dt.date, *, provider: str = Provider.VNPAY, statement: list[GatewayResult] | None = None,
              at: dt.datetime | None = None) -> ReconciliationReport:
    """Compare the payments opened at PROVIDER on DAY (local time) with the gateway's view — its statement if
    one is given, otherwise one transaction query per payment — and the invoices they pay. A payment the
    gateway took but never notified is settled here. Running it again replaces the day's report."""
    now = at or timezone.now()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())
    payments = list(Payment.objects.filter(provider=provider, created_at__gte=start,
                                           created_at__lt=start + dt.timedelta(days=1))
                    .select_related("invoice__dossier").order_by("pk"))
    mismatches: list[dict[str, Any]] = []
    gateway: dict[str, GatewayResult] = {}
    if statement is not None:
        gateway = {row.txn_ref: row for row in statement}
    else:
        gateway_provider = provider_for(provider)
        for payment in payments:
            try:
                gateway[payment.txn_ref] = gateway_provider.query(payment)
            except (ProviderError, BadSignature) as exc:
                mismatches.append(_mismatch("query_failed", payment, error=str(exc)))
    matched = settled = 0
    for payment in payments:
        row = gateway.get(payment.txn_ref)
        outcome = classify_payment(payment.state, payment.amount, payment.expires_at, row,
                                   statement_mode=statement is not None, now=now)
        if outcome in (MATCHED, EXPIRE):
            matched += 1
            if outcome == EXPIRE:
                change_state(payment, Payment.State.EXPIRED)
        elif outcome == "settled_missing_notification" and row is not None:
            with transaction.atomic():
                locked = Payment.objects.select_for_update().select_related("invoice").get(pk=payment.pk)
                if apply_result(locked, row, now):
                    settled += 1
            mismatches.append(_mismatch(outcome, payment))
        elif outcome != NOT_COMPARED:
            extra: dict[str, Any] = ({"gateway_amount": row.amount_minor / 100}
                                     if outcome == "amount_differs" and row else {})
            mismatches.append(_mismatch(outcome, payment, **extra))
    ours = {payment.txn_ref for payment in payments}
    for txn_ref, row in gateway.items():
        if txn_ref not in ours and row.found and row.success:
            mismatches.append(_mismatch("unknown_at_gateway", txn_ref=txn_ref, gateway_amount=row.amount_minor / 100))
    for invoice in {payment.invoice_id: payment.invoice for payment in payments}.values():
        invoice.refresh_from_db()
        paid = invoice.payments.filter(state=Payment.State.SUCCEEDED).aggregate(total=Sum("amount"))["total"] or 0
        kind = classify_invoice(invoice.state, invoice.total, paid)
        if kind is not None:
            mismatches.append(_mismatch(kind, invoice=invoice.number, dossier=invoice.dossier.code,
                                        total=invoice.total, paid=paid))
    report, _created = ReconciliationReport.objects.update_or_create(
        day=day, provider=provider,
        defaults={"payments_checked": len(payments), "matched": matched, "settled": settled,
                  "mismatches": mismatches, "created_at": now},
    )
    return report
