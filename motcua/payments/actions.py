"""Every write of the payments app. Each is one transaction and safe to repeat.

- `create_invoice` / `invoice_obligation`: the dossier's invoices (one per purpose; a repeat returns it).
- `start_online_payment`: a payment attempt at a gateway (a repeat while it is still open returns the same one).
- `process_callback`: the gateway's IPN. Signature first (constant time), then order, amount and state; one
  row lock per payment, so replays and concurrent duplicates change nothing after the first.
- `record_counter_payment`: cash or card taken by a clerk (an idempotency key makes a double submit harmless).
- `settle`: an invoice fully paid; when the dossier waits for its financial obligation and nothing is left
  unpaid, `dossiers.actions.record_payment` resumes it.
- `reconcile`: the day's payments against the gateway; every difference is listed, missed IPNs are settled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from motcua.directory.models import Role
from motcua.directory.selectors import has_role
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.workflow import WorkflowError
from motcua.identity.models import User
from motcua.payments.fees import compute_lines
from motcua.payments.models import (
    GatewayCallback,
    Invoice,
    InvoiceLine,
    Payment,
    Provider,
    Receipt,
    ReconciliationReport,
)
from motcua.payments.providers import (
    BadSignature,
    GatewayResult,
    MalformedCallback,
    ProviderError,
    ProviderUnavailable,
    provider_for,
)
from motcua.payments.vnpay import vnpay_time

logger = logging.getLogger(__name__)


class PaymentError(Exception):
    """A payment action that cannot be done; the message is shown to the user (Vietnamese, then English)."""

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} ({message_en})")
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


# --- invoices --------------------------------------------------------------------------------------

def _number(dossier: Dossier, purpose: str) -> str:
    return f"{dossier.code}-{'LP' if purpose == Invoice.Purpose.FEES else 'NV'}"


def _same_lines(invoice: Invoice, lines: list[tuple[str, int, int, str]]) -> bool:
    return list(invoice.lines.order_by("position").values_list("name", "quantity", "amount", "exemption")) == lines


def create_invoice(dossier: Dossier, *, actor: User | None = None, quantities: dict[int, int] | None = None,
                   exemptions: dict[int, str] | None = None, at: dt.datetime | None = None) -> Invoice:
    """The fee invoice of DOSSIER from the fee schedule of the procedure version it is pinned to.

    Asking again with the same choices returns the same invoice; different choices are refused (the invoice
    exists: cancel it first). A total of 0 (all exempt or free) is paid at once."""
    now = at or timezone.now()
    version = dossier.procedure_version
    lines = compute_lines(version, channel=dossier.channel, quantities=quantities, exemptions=exemptions)
    wanted = [(line.name, line.quantity, line.amount, line.exemption) for line in lines]
    existing = Invoice.objects.filter(dossier=dossier, purpose=Invoice.Purpose.FEES).first()
    if existing is not None:
        return _replay_invoice(existing, wanted)
    total = sum(line.amount for line in lines)
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                number=_number(dossier, Invoice.Purpose.FEES), dossier=dossier, purpose=Invoice.Purpose.FEES,
                procedure_version=version, total=total, created_by=actor, created_at=now,
                state=Invoice.State.PAID if total == 0 else Invoice.State.UNPAID, paid_at=now if total == 0 else None,
            )
            InvoiceLine.objects.bulk_create([
                InvoiceLine(invoice=invoice, position=line.position, name=line.name, kind=line.kind,
                            unit_amount=line.unit_amount, quantity=line.quantity, amount=line.amount,
                            exemption=line.exemption, note=line.note)
                for line in lines
            ])
    except IntegrityError:
        existing = Invoice.objects.filter(dossier=dossier, purpose=Invoice.Purpose.FEES).first()
        if existing is None:
            raise
        return _replay_invoice(existing, wanted)
    return invoice


def _replay_invoice(existing: Invoice, wanted: list[tuple[str, int, int, str]]) -> Invoice:
    if not _same_lines(existing, wanted):
        raise PaymentError("invoice_exists", "Hồ sơ đã có hóa đơn phí, lệ phí với nội dung khác.",
                           "The dossier already has a fee invoice with different lines.")
    return existing


def invoice_obligation(dossier: Dossier, *, amount: int, description: str, actor: User | None = None,
                       at: dt.datetime | None = None) -> Invoice:
    """The invoice of a financial obligation notified by the competent authority (taxes, land levies…)."""
    now = at or timezone.now()
    if not isinstance(amount, int) or amount <= 0:
        raise PaymentError("bad_amount", "Số tiền phải là số nguyên dương (đồng).",
                           "The amount must be a positive whole number of đồng.")
    name = description.strip() or "Nghĩa vụ tài chính"
    existing = Invoice.objects.filter(dossier=dossier, purpose=Invoice.Purpose.OBLIGATION).first()
    if existing is not None:
        if existing.total != amount:
            raise PaymentError("invoice_exists", "Hồ sơ đã có hóa đơn nghĩa vụ tài chính với số tiền khác.",
                               "The dossier already has an obligation invoice for another amount.")
        return existing
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                number=_number(dossier, Invoice.Purpose.OBLIGATION), dossier=dossier,
                purpose=Invoice.Purpose.OBLIGATION, total=amount, created_by=actor, created_at=now)
            InvoiceLine.objects.create(invoice=invoice, position=1, name=name[:500], kind="obligation",
                                       unit_amount=amount, quantity=1, amount=amount)
    except IntegrityError:
        return invoice_obligation(dossier, amount=amount, description=description, actor=actor, at=at)
    return invoice


def set_obligation(dossier: Dossier, *, lines: list[tuple[str, int]], note: str = "", actor: User | None = None,
                   at: dt.datetime | None = None) -> Invoice:
    """The obligation invoice with these (name, amount) LINES, e.g. a tax notice's. A changed notice replaces the
    lines of the unpaid invoice (attempts opened for the old amount are not reused: their amount differs); a paid
    invoice is left as it is and refused if the total differs. A total of 0 is paid at once."""
    now = at or timezone.now()
    if not lines or any(not isinstance(amount, int) or amount < 0 for _name, amount in lines):
        raise PaymentError("bad_amount", "Số tiền phải là số nguyên không âm (đồng).",
                           "Amounts must be whole, non-negative numbers of đồng.")
    total = sum(amount for _name, amount in lines)
    with transaction.atomic():
        Dossier.objects.select_for_update().only("pk").get(pk=dossier.pk)  # one writer of the dossier's invoices
        invoice = Invoice.objects.filter(dossier=dossier, purpose=Invoice.Purpose.OBLIGATION).first()
        if invoice is not None and invoice.state == Invoice.State.PAID:
            if invoice.total != total:
                raise PaymentError("already_paid", "Nghĩa vụ tài chính đã được nộp với số tiền khác.",
                                   "The obligation was already paid for another amount.")
            return invoice
        if invoice is None:
            invoice = Invoice.objects.create(
                number=_number(dossier, Invoice.Purpose.OBLIGATION), dossier=dossier,
                purpose=Invoice.Purpose.OBLIGATION, total=total, created_by=actor, created_at=now)
        else:
            invoice.total = total
            invoice.state = Invoice.State.UNPAID
            invoice.save(update_fields=["total", "state"])
            invoice.lines.all().delete()
        InvoiceLine.objects.bulk_create([
            InvoiceLine(invoice=invoice, position=position, name=name[:500], kind="obligation", unit_amount=amount,
                        quantity=1, amount=amount, note=note[:1000])
            for position, (name, amount) in enumerate(lines, start=1)])
    if total == 0:
        return settle(invoice, actor=actor, reference=note[:200], at=now)
    return invoice


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


def invoice_for_pause(dossier: Dossier, *, actor: User | None = None) -> Invoice:
    """The obligation invoice for the amount given when the dossier was paused for its financial obligation."""
    pause = dossier.events.filter(action="pause_for_fees").order_by("-seq").first()
    amount = (pause.data or {}).get("amount") if pause else None
    if pause is None or not amount:
        raise PaymentError("no_amount", "Hồ sơ chưa có thông báo số tiền nghĩa vụ tài chính.",
                           "No amount was notified for this dossier's financial obligation.")
    return invoice_obligation(dossier, amount=int(amount), description=pause.note or "Nghĩa vụ tài chính",
                              actor=actor, at=pause.created_at)


# --- paying online ---------------------------------------------------------------------------------

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
    if payment.state in (Payment.State.SUCCEEDED, Payment.State.FAILED):
        return CallbackAnswer(ALREADY.code, ALREADY.message, payment)
    apply_result(payment, result, now)
    return CallbackAnswer(CONFIRMED.code, CONFIRMED.message, payment)


def apply_result(payment: Payment, result: GatewayResult, now: dt.datetime) -> None:
    """Record the gateway's final word on a (locked, not yet final) payment; a success settles its invoice."""
    payment.provider_txn_no = result.provider_txn_no[:100]
    payment.bank_code = result.bank_code[:30]
    payment.card_type = result.card_type[:30]
    payment.response_code = result.response_code[:10]
    if result.success:
        payment.state = Payment.State.SUCCEEDED
        payment.paid_at = result.pay_date or now
        payment.save()
        issue_receipt(payment, at=now)
        settle(payment.invoice, reference=f"{payment.provider}:{payment.txn_ref}", at=now)
    else:
        payment.state = Payment.State.FAILED
        payment.save()


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


# --- settling --------------------------------------------------------------------------------------

def issue_receipt(payment: Payment, *, at: dt.datetime | None = None) -> Receipt:
    """The electronic receipt of a successful payment (one per payment), numbered BL-<year>-<number>."""
    now = at or timezone.now()
    receipt, created = Receipt.objects.get_or_create(
        payment=payment, defaults={"number": f"tmp-{uuid.uuid4().hex}", "issued_at": now})
    if created:
        receipt.number = f"BL-{timezone.localtime(now):%Y}-{receipt.pk:06d}"
        receipt.save(update_fields=["number"])
    return receipt


def settle(invoice: Invoice, *, actor: User | None = None, reference: str = "",
           at: dt.datetime | None = None) -> Invoice:
    """Bring INVOICE up to date with its successful payments. Once it is fully paid, a dossier waiting for its
    financial obligation with nothing left unpaid resumes (`dossiers.actions.record_payment`)."""
    from motcua.dossiers.actions import record_payment
    from motcua.reports.rollups import record_invoice_paid

    now = at or timezone.now()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("dossier").get(pk=invoice.pk)
        paid = invoice.payments.filter(state=Payment.State.SUCCEEDED).aggregate(total=Sum("amount"))["total"] or 0
        invoice.paid_amount = paid
        newly_paid = invoice.state == Invoice.State.UNPAID and paid >= invoice.total
        if newly_paid:
            invoice.state = Invoice.State.PAID
            invoice.paid_at = now
        invoice.save()
        dossier = Dossier.objects.get(pk=invoice.dossier_id)
        if newly_paid:
            online = invoice.payments.filter(state=Payment.State.SUCCEEDED, method=Payment.Method.ONLINE).exists()
            record_invoice_paid(dossier, online=online, when=now)
        if (invoice.state == Invoice.State.PAID and dossier.status == Status.PAUSED_FOR_FEES
                and not Invoice.objects.filter(dossier=dossier, state=Invoice.State.UNPAID).exists()):
            try:
                record_payment(dossier, actor=actor, reference=(reference or invoice.number)[:200], at=now)
            except WorkflowError as exc:
                # Someone acted on the dossier meanwhile (e.g. stopped it): the payment stands; staff follow up.
                logger.warning("Paid invoice %s could not resume dossier %s: %s", invoice.number, dossier.code, exc)
    return invoice


# --- reconciliation --------------------------------------------------------------------------------

def _mismatch(kind: str, vi: str, en: str, payment: Payment | None = None, *, resolved: bool = False,
              **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": kind, "message_vi": vi, "message_en": en, "resolved": resolved, **extra}
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
                mismatches.append(_mismatch("query_failed", f"Không truy vấn được giao dịch: {exc}",
                                            f"The transaction could not be queried: {exc}", payment))
    matched = settled = 0
    for payment in payments:
        if payment.txn_ref not in gateway:
            if statement is not None and payment.state == Payment.State.SUCCEEDED:
                mismatches.append(_mismatch("paid_here_not_at_gateway",
                                            "Hệ thống ghi đã thanh toán nhưng cổng thanh toán không có giao dịch.",
                                            "Paid here, but the gateway has no such transaction.", payment))
            continue
        row = gateway[payment.txn_ref]
        paid_there = row.found and row.success
        if paid_there and row.amount_minor != payment.amount * 100:
            mismatches.append(_mismatch("amount_differs", "Số tiền tại cổng thanh toán khác số tiền hóa đơn.",
                                        "The gateway's amount differs from ours.", payment,
                                        gateway_amount=row.amount_minor / 100))
        elif paid_there and payment.state == Payment.State.SUCCEEDED:
            matched += 1
        elif paid_there and payment.state in (Payment.State.PENDING, Payment.State.EXPIRED):
            with transaction.atomic():
                locked = Payment.objects.select_for_update().select_related("invoice").get(pk=payment.pk)
                if locked.state in (Payment.State.PENDING, Payment.State.EXPIRED):
                    apply_result(locked, row, now)
                    settled += 1
            mismatches.append(_mismatch("settled_missing_notification",
                                        "Cổng đã thu tiền nhưng chưa báo (IPN); đã ghi nhận thanh toán.",
                                        "The gateway took the money without notifying us; now settled.", payment,
                                        resolved=True))
        elif paid_there:
            mismatches.append(_mismatch("paid_at_gateway_failed_here",
                                        "Cổng đã thu tiền nhưng hệ thống ghi giao dịch thất bại: cần xử lý.",
                                        "The gateway took the money but we recorded a failure: to be handled.",
                                        payment))
        elif payment.state == Payment.State.SUCCEEDED:
            mismatches.append(_mismatch("paid_here_not_at_gateway",
                                        "Hệ thống ghi đã thanh toán nhưng cổng thanh toán không ghi nhận.",
                                        "Paid here, but not at the gateway.", payment))
        else:
            if payment.state == Payment.State.PENDING and payment.expires_at and payment.expires_at < now:
                Payment.objects.filter(pk=payment.pk, state=Payment.State.PENDING).update(state=Payment.State.EXPIRED)
            matched += 1
    ours = {payment.txn_ref for payment in payments}
    for txn_ref, row in gateway.items():
        if txn_ref not in ours and row.found and row.success:
            mismatches.append(_mismatch("unknown_at_gateway", "Giao dịch tại cổng thanh toán không có trong hệ thống.",
                                        "A gateway transaction we have no record of.", txn_ref=txn_ref,
                                        gateway_amount=row.amount_minor / 100))
    for invoice in {payment.invoice_id: payment.invoice for payment in payments}.values():
        invoice.refresh_from_db()
        paid = invoice.payments.filter(state=Payment.State.SUCCEEDED).aggregate(total=Sum("amount"))["total"] or 0
        entry: dict[str, Any] = {"invoice": invoice.number, "dossier": invoice.dossier.code, "total": invoice.total,
                                 "paid": paid}
        if paid > invoice.total:
            mismatches.append(_mismatch("overpaid", "Hóa đơn được thanh toán nhiều hơn số phải nộp: cần hoàn tiền.",
                                        "The invoice was paid more than once or too much: refund due.", **entry))
        elif invoice.state == Invoice.State.PAID and paid < invoice.total:
            mismatches.append(_mismatch("paid_without_payment", "Hóa đơn ghi đã nộp nhưng thiếu khoản thanh toán.",
                                        "The invoice is marked paid without enough payments.", **entry))
    report, _created = ReconciliationReport.objects.update_or_create(
        day=day, provider=provider,
        defaults={"payments_checked": len(payments), "matched": matched, "settled": settled,
                  "mismatches": mismatches, "created_at": now},
    )
    return report
