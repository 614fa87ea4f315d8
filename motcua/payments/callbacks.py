"""The gateways' server notifications (IPN, the national platform's confirmation) and the transaction query.

`process_callback` checks, in order: the caller's address (when an allow-list is set), the signature (constant
time), the order, the amount and whether the payment may still change (`payments.states`); then records the
outcome. The row is locked and the state change is conditional (`states.change_state`), so replays and
concurrent duplicates change nothing after the first. Every callback is kept (`GatewayCallback`, without its
hash) with our answer.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.payments.invoices import issue_receipt, settle
from motcua.payments.models import GatewayCallback, Payment, Provider
from motcua.payments.providers import (
    BadSignature,
    GatewayResult,
    MalformedCallback,
    ProviderUnavailable,
    provider_for,
)
from motcua.payments.states import can_change, change_state

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallbackAnswer:
    """What we answer a gateway's notification (VNPay's RspCode values)."""

    code: str
    message: str
    payment: Payment | None = None


CONFIRMED = CallbackAnswer("00", "Confirm Success")
NOT_FOUND = CallbackAnswer("01", "Order not found")
ALREADY = CallbackAnswer("02", "Order already confirmed")
IP_REFUSED = CallbackAnswer("03", "IP prohibited")
BAD_AMOUNT = CallbackAnswer("04", "Invalid amount")
BAD_SIGNATURE = CallbackAnswer("97", "Invalid signature")
UNKNOWN = CallbackAnswer("99", "Unknown error")


_UNLOGGED = frozenset({"signature", "maxacthuc"})


def _redacted(params: Mapping[str, Any]) -> dict[str, str]:
    """The parameters as kept on record: without the signature / checksum (never logged), at most 60 of them."""
    return {str(key)[:100]: str(value)[:500] for key, value in list(params.items())[:60]
            if "securehash" not in str(key).lower() and str(key).lower() not in _UNLOGGED}


def _log(provider: str, kind: str, params: Mapping[str, Any], answer: CallbackAnswer, *, verified: bool,
         remote_addr: str | None, now: dt.datetime) -> None:
    reference = params.get("vnp_TxnRef") or params.get("MaThamChieu") or ""
    GatewayCallback.objects.create(
        provider=provider, kind=kind, txn_ref=str(reference)[:100],
        params=_redacted(params), verified=verified, answer_code=answer.code, answer_message=answer.message,
        payment=answer.payment, remote_addr=remote_addr or None, received_at=now,
    )


def process_callback(provider: str, params: Mapping[str, Any], *, remote_addr: str | None = None,
                     allowed_ips: list[str] | None = None, at: dt.datetime | None = None) -> CallbackAnswer:
    """Handle a gateway's server notification (IPN). Checks, in order: caller address (if an allow-list is set),
    signature (97), order (01), amount (04), whether the payment is already final (02); then records the
    outcome (00). Only the first valid notification of a payment changes anything."""
    now = at or timezone.now()
    if allowed_ips and remote_addr not in allowed_ips:
        _log(provider, GatewayCallback.Kind.IPN, params, IP_REFUSED, verified=False, remote_addr=remote_addr, now=now)
        return IP_REFUSED
    try:
        result = provider_for(provider).parse_callback(params)
    except (BadSignature, ProviderUnavailable):
        _log(provider, GatewayCallback.Kind.IPN, params, BAD_SIGNATURE, verified=False, remote_addr=remote_addr,
             now=now)
        return BAD_SIGNATURE
    except MalformedCallback:
        _log(provider, GatewayCallback.Kind.IPN, params, UNKNOWN, verified=True, remote_addr=remote_addr, now=now)
        return UNKNOWN
    try:
        with transaction.atomic():
            answer = _apply_notification(provider, result, now)
            _log(provider, GatewayCallback.Kind.IPN, params, answer, verified=True, remote_addr=remote_addr, now=now)
    except Exception:
        logger.exception("IPN for %s could not be processed", result.txn_ref)
        _log(provider, GatewayCallback.Kind.IPN, params, UNKNOWN, verified=True, remote_addr=remote_addr, now=now)
        return UNKNOWN
    return answer


def _apply_notification(provider: str, result: GatewayResult, now: dt.datetime) -> CallbackAnswer:
    payment = (Payment.objects.select_for_update().select_related("invoice")
               .filter(provider=provider, txn_ref=result.txn_ref).first())
    if payment is None:
        return NOT_FOUND
    if result.amount_minor != payment.amount * 100:
        return CallbackAnswer(BAD_AMOUNT.code, BAD_AMOUNT.message, payment)
    if not apply_result(payment, result, now):
        return CallbackAnswer(ALREADY.code, ALREADY.message, payment)
    return CallbackAnswer(CONFIRMED.code, CONFIRMED.message, payment)


def apply_result(payment: Payment, result: GatewayResult, now: dt.datetime) -> bool:
    """Record the gateway's final word on a payment; a success settles its invoice. Returns False, changing
    nothing, when the payment is already final or another writer changed it since it was read."""
    target = Payment.State.SUCCEEDED if result.success else Payment.State.FAILED
    if not can_change(payment, target):
        return False
    fields: dict[str, Any] = {
        "provider_txn_no": result.provider_txn_no[:100], "bank_code": result.bank_code[:30],
        "card_type": result.card_type[:30], "response_code": result.response_code[:10]}
    if result.success:
        fields["paid_at"] = result.pay_date or now
    if not change_state(payment, target, **fields):
        return False
    if result.success:
        issue_receipt(payment, at=now)
        settle(payment.invoice, reference=f"{payment.provider}:{payment.txn_ref}", at=now)
    return True


def confirm_pending(payment: Payment, *, at: dt.datetime | None = None) -> Payment:
    """Ask the gateway about a payment still awaiting its notification (after the payer came back without one)."""
    now = at or timezone.now()
    if payment.state != Payment.State.PENDING or payment.provider == Provider.COUNTER:
        return payment
    result = provider_for(payment.provider).query(payment)
    with transaction.atomic():
        locked = Payment.objects.select_for_update().select_related("invoice").get(pk=payment.pk)
        if locked.state == Payment.State.PENDING and result.found and result.amount_minor == locked.amount * 100 and (
            result.success
        ):
            apply_result(locked, result, now)
    payment.refresh_from_db()
    return payment
