"""Paying: every write that records or opens a payment. Each is one transaction and safe to repeat.

- `start_online_payment`: a payment attempt at a gateway (a repeat while it is still open returns the same one).
- `record_counter_payment`: cash or card taken by a clerk (an idempotency key makes a double submit harmless).
- `record_confirmed_payment`: a payment an outside system confirms (the treasury's document for a tax notice).

Invoices, receipts and settling are in `payments.invoices`, the gateways' notifications (IPN) in
`payments.callbacks`, the daily reconciliation in `payments.reconciliation`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.directory.models import Role
from motcua.directory.selectors import has_role
from motcua.identity.models import User
from motcua.payments.invoices import PaymentError, issue_receipt, settle
from motcua.payments.models import Invoice, Payment, Provider
from motcua.payments.providers import ProviderError, ProviderUnavailable, provider_for
from motcua.payments.vnpay import vnpay_time

logger = logging.getLogger(__name__)


# --- paying online --------------------------------------------------------------------------------

def new_txn_ref(prefix: str = "") -> str:
    """An order reference: date and random letters (unique; VNPay wants it unique per day)."""
    day = timezone.localtime().strftime("%y%m%d")
    return f"{prefix}{day}{secrets.token_hex(5).upper()}"


def start_online_payment(invoice: Invoice, *, provider: str, return_url: str, client_ip: str | None = None,
                         locale: str = "vn", at: dt.datetime | None = None) -> tuple[Payment, str]:
    """Open (or reopen) a payment of the invoice's outstanding amount at PROVIDER; returns it and the URL the
    payer is sent to. While an earlier attempt is still open, the same one is returned."""
    now = at or timezone.now()
    try:
        gateway = provider_for(provider)
    except ProviderUnavailable as exc:
        raise _unavailable() from exc
    if not gateway.configured:
        raise _unavailable()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        outstanding = invoice.outstanding
        if outstanding <= 0:
            raise PaymentError("already_paid", "Hóa đơn này đã được thanh toán.", "This invoice is already paid.")
        payment = invoice.payments.filter(provider=provider, state=Payment.State.PENDING, amount=outstanding,
                                          expires_at__gt=now + dt.timedelta(minutes=1)).order_by("-pk").first()
        if payment is None:
            expires = now + dt.timedelta(minutes=settings.MOTCUA_VNPAY_EXPIRE_MINUTES)
            payment = Payment.objects.create(
                invoice=invoice, provider=provider, method=Payment.Method.ONLINE, amount=outstanding,
                txn_ref=new_txn_ref(), create_date=vnpay_time(now), expire_date=vnpay_time(expires),
                expires_at=expires, client_ip=client_ip or None, created_at=now,
            )
    try:
        url = gateway.payment_url(payment, return_url=return_url, locale=locale)
    except ProviderError as exc:
        # The gateway could not open the payment (down, timeout, refusal): nothing was paid. The attempt stays on
        # record, pending, but is no longer reused — the next click opens a new reference —, and a late
        # notification or the reconciliation still settles it should the gateway have taken money after all.
        logger.warning("Payment %s could not be opened at %s: %s", payment.txn_ref, provider, exc)
        Payment.objects.filter(pk=payment.pk, gateway_url="").update(expires_at=now)
        raise PaymentError("provider_error", "Cổng thanh toán tạm thời không phản hồi. Chưa có khoản tiền nào bị "
                           "trừ; vui lòng thử lại sau ít phút hoặc chọn hình thức thanh toán khác.",
                           "The payment gateway is not responding. No money was taken; please try again in a few "
                           "minutes or choose another payment method.") from exc
    return payment, url


def _unavailable() -> PaymentError:
    return PaymentError("provider_unavailable", "Hình thức thanh toán trực tuyến này chưa được cung cấp.",
                        "This online payment method is not available.")


# --- at the counter --------------------------------------------------------------------------------

def record_counter_payment(invoice: Invoice, *, actor: User, method: str, amount: int, reference: str = "",
                           idempotency_key: str | None = None, at: dt.datetime | None = None) -> Payment:
    """A clerk takes the outstanding amount in cash or by card. The same IDEMPOTENCY_KEY (one per form shown)
    returns the first payment instead of taking the money twice."""
    now = at or timezone.now()
    if method not in (Payment.Method.CASH, Payment.Method.CARD):
        raise PaymentError("bad_method", "Hình thức nộp tại quầy là tiền mặt hoặc thẻ.",
                           "At the counter, the method is cash or card.")
    if not has_role(actor, invoice.dossier.receiving_agency, Role.CLERK):
        raise PaymentError("forbidden", "Chỉ công chức Bộ phận Một cửa của cơ quan tiếp nhận được thu tiền.",
                           "Only a one-stop clerk of the receiving agency may take payments.")
    fingerprint = hashlib.sha256(json.dumps([invoice.pk, method, amount, reference]).encode()).hexdigest()
    if idempotency_key:
        existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replay_payment(existing, fingerprint)
    try:
        with transaction.atomic():
            invoice = Invoice.objects.select_for_update().select_related("dossier").get(pk=invoice.pk)
            outstanding = invoice.outstanding
            if outstanding <= 0:
                raise PaymentError("already_paid", "Hóa đơn này đã được thanh toán.", "This invoice is already paid.")
            if amount != outstanding:
                raise PaymentError("bad_amount", f"Số tiền phải nộp là {outstanding:,} đồng.".replace(",", "."),
                                   f"The amount due is {outstanding:,} VND.")
            payment = Payment.objects.create(
                invoice=invoice, provider=Provider.COUNTER, method=method, amount=amount,
                txn_ref=new_txn_ref("Q"), state=Payment.State.SUCCEEDED, paid_at=now, recorded_by=actor,
                reference=reference.strip()[:100], idempotency_key=idempotency_key or None,
                request_fingerprint=fingerprint, created_at=now,
            )
            issue_receipt(payment, at=now)
            settle(invoice, actor=actor, reference=f"counter:{payment.txn_ref}", at=now)
    except IntegrityError:
        if idempotency_key:
            existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _replay_payment(existing, fingerprint)
        raise
    return payment


def _replay_payment(existing: Payment, fingerprint: str) -> Payment:
    if existing.request_fingerprint != fingerprint:
        raise PaymentError("idempotency_mismatch", "Mã chống gửi trùng đã được dùng cho một khoản thu khác.",
                           "This idempotency key was already used for a different payment.")
    return existing


# --- confirmed elsewhere ---------------------------------------------------------------------------

def record_confirmed_payment(invoice: Invoice, *, provider: str, amount: int, document_number: str,
                             reference: str, paid_at: dt.datetime, at: dt.datetime | None = None) -> Payment | None:
    """A payment an outside system confirms (the treasury's document for a tax notice): recorded once per document
    number, with its receipt, then the invoice is settled (which resumes the dossier when nothing is left). Returns
    None when the invoice has nothing left to pay (a second confirmation of a paid obligation pays nothing)."""
    now = at or timezone.now()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if document_number:
            existing = Payment.objects.filter(provider=provider, provider_txn_no=document_number[:100],
                                              state=Payment.State.SUCCEEDED).first()
            if existing is not None:
                return None
        if invoice.outstanding <= 0 or amount <= 0:
            return None
        payment = Payment.objects.create(
            invoice=invoice, provider=provider, method=Payment.Method.ONLINE, amount=amount,
            txn_ref=new_txn_ref("KB"), state=Payment.State.SUCCEEDED, paid_at=paid_at,
            provider_txn_no=document_number[:100], reference=reference[:100], created_at=now)
        issue_receipt(payment, at=now)
        settle(invoice, reference=f"{provider}:{document_number or payment.txn_ref}"[:200], at=now)
    return payment
