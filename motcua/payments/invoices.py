"""The invoices of a dossier and their settling. Each write is one transaction and safe to repeat.

- `create_invoice` / `invoice_obligation` / `set_obligation` / `invoice_for_pause`: the dossier's invoices (one per
  purpose; a repeat returns it).
- `issue_receipt`: the receipt of a successful payment.
- `settle`: an invoice fully paid; when the dossier waits for its financial obligation and nothing is left
  unpaid, `dossiers.actions.record_payment` resumes it.

Paying is in `payments.actions`, the gateways' notifications in `payments.callbacks`, the daily comparison with
the gateways in `payments.reconciliation`; every status move goes through `payments.states.change_state`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.core.errors import UserError
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.workflow import WorkflowError
from motcua.identity.models import User
from motcua.payments.fees import compute_lines
from motcua.payments.models import Invoice, InvoiceLine, Payment, Receipt
from motcua.payments.states import change_state

logger = logging.getLogger(__name__)
# Called in the transaction that marks an invoice paid: record_invoice_paid(dossier, online=, when=).
INVOICE_PAID_FIGURES = "motcua.reports.rollups.record_invoice_paid"


class PaymentError(UserError):
    """A payment action that cannot be done."""


# --- invoices -------------------------------------------------------------------------------------

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
            if invoice.state != Invoice.State.UNPAID:
                change_state(invoice, Invoice.State.UNPAID)
            invoice.total = total
            invoice.save(update_fields=["total"])
            invoice.lines.all().delete()
        InvoiceLine.objects.bulk_create([
            InvoiceLine(invoice=invoice, position=position, name=name[:500], kind="obligation", unit_amount=amount,
                        quantity=1, amount=amount, note=note[:1000])
            for position, (name, amount) in enumerate(lines, start=1)])
    if total == 0:
        return settle(invoice, actor=actor, reference=note[:200], at=now)
    return invoice


def invoice_for_pause(dossier: Dossier, *, actor: User | None = None) -> Invoice:
    """The obligation invoice for the amount given when the dossier was paused for its financial obligation."""
    pause = dossier.events.filter(action="pause_for_fees").order_by("-seq").first()
    amount = (pause.data or {}).get("amount") if pause else None
    if pause is None or not amount:
        raise PaymentError("no_amount", "Hồ sơ chưa có thông báo số tiền nghĩa vụ tài chính.",
                           "No amount was notified for this dossier's financial obligation.")
    return invoice_obligation(dossier, amount=int(amount), description=pause.note or "Nghĩa vụ tài chính",
                              actor=actor, at=pause.created_at)


# --- receipts and settling ------------------------------------------------------------------------

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
    # The monthly figures (reports) read the payments app, so they are named by path (docs/design-decisions.md).
    record_invoice_paid = import_string(INVOICE_PAID_FIGURES)

    now = at or timezone.now()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("dossier").get(pk=invoice.pk)
        paid = invoice.payments.filter(state=Payment.State.SUCCEEDED).aggregate(total=Sum("amount"))["total"] or 0
        newly_paid = invoice.state == Invoice.State.UNPAID and paid >= invoice.total and change_state(
            invoice, Invoice.State.PAID, paid_amount=paid, paid_at=now)
        if not newly_paid and invoice.paid_amount != paid:
            invoice.paid_amount = paid
            invoice.save(update_fields=["paid_amount"])
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
