"""The handlers of the external tax and treasury steps (registered in `motcua.dossiers.external.HANDLERS`).

Each looks at the dossier as it is now and does what is due; running one twice does nothing more:

- **tax step** (`system: tax_authority`): not yet sent → `actions.start_transfer` (pause, send, or fall back);
  resumed after the obligation was paid → forward to the next step (the system, with the confirmation noted);
- **treasury step** (`system: treasury`): the obligation is paid → forward (the treasury's confirmation, or the
  payment platform's, is on record); otherwise wait (a poll or a push brings it; the step's staff can act).
"""

from __future__ import annotations

import logging

from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.external import system_of
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.workflow import WorkflowError
from motcua.payments.models import Invoice
from motcua.taxexchange import actions
from motcua.taxexchange.models import TaxPaymentConfirmation, TaxTransfer

logger = logging.getLogger(__name__)


def _paid(dossier: Dossier) -> Invoice | None:
    invoice = Invoice.objects.filter(dossier=dossier, purpose=Invoice.Purpose.OBLIGATION).first()
    return invoice if invoice is not None and invoice.state == Invoice.State.PAID else None


def _forward(dossier: Dossier, seq: int, note: str, data: dict[str, str]) -> None:
    try:
        dossier_actions.forward_dossier(dossier, actor=None, expected_version=seq, note=note, data=data)
    except WorkflowError as exc:  # someone acted meanwhile (stale), or the step moved: their move stands
        logger.info("Dossier %s: external step not forwarded: %s", dossier.code, exc.code)


def _confirmation_note(dossier: Dossier, invoice: Invoice) -> tuple[str, dict[str, str]]:
    confirmation = (TaxPaymentConfirmation.objects.filter(dossier=dossier, applied=True).order_by("-pk").first())
    if confirmation is not None:
        document = confirmation.document_number or confirmation.key
        return (f"Kho bạc/cơ quan thuế xác nhận đã nộp {confirmation.amount:,}".replace(",", ".")
                + f" đồng theo thông báo số {confirmation.notice_number} (chứng từ {document}).",
                {"confirmation": confirmation.key, "invoice": invoice.number})
    return (f"Đã hoàn thành nghĩa vụ tài chính ({invoice.number}, {invoice.total:,}".replace(",", ".") + " đồng).",
            {"invoice": invoice.number})


def tax_step(dossier_id: int, seq: int) -> None:
    dossier = Dossier.objects.select_related("procedure_version").get(pk=dossier_id)
    if dossier.is_terminal or system_of(dossier.current_step) != "tax_authority":
        return
    transfer = TaxTransfer.objects.filter(dossier=dossier).first()
    if transfer is None or transfer.state == TaxTransfer.State.SENDING:
        actions.start_transfer(dossier_id)
        return
    if dossier.status == Status.PAUSED_FOR_FEES or transfer.state == TaxTransfer.State.MANUAL:
        return  # waiting for the notice or the payment; on the manual path the staff move the dossier on
    invoice = _paid(dossier)
    if invoice is not None:
        note, data = _confirmation_note(dossier, invoice)
        _forward(dossier, dossier.version, "Cơ quan thuế: " + note, data)


def treasury_step(dossier_id: int, seq: int) -> None:
    dossier = Dossier.objects.select_related("procedure_version").get(pk=dossier_id)
    if dossier.is_terminal or system_of(dossier.current_step) != "treasury":
        return
    invoice = _paid(dossier)
    if invoice is None or dossier.status == Status.PAUSED_FOR_FEES:
        return
    note, data = _confirmation_note(dossier, invoice)
    _forward(dossier, dossier.version, "Kho bạc Nhà nước: " + note, data)
