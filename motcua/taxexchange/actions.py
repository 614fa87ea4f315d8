"""Every write of the land office ↔ tax authority ↔ treasury exchange (docs/land-tax-exchange.md).

- `start_transfer`: build the transfer form from the dossier, pause the dossier for its financial obligation (the
  system, at the external tax step), then send the form to the tax authority (system `thue`) through the
  integration layer; a failure falls back to the manual path (`fall_back_to_manual`).
- `record_notice`: a tax notice (pushed, polled or typed by the tax office's staff): kept per revision, the
  obligation invoice set to its amounts, one `tax_notice` event (the citizen is told the amounts; again when a
  revision changes them).
- `record_confirmation`: the treasury's / tax authority's payment confirmation: one row per payment however many
  copies arrive; the first pays the obligation invoice (which resumes the dossier), the others pay nothing.
- `poll`: ask for late notices and confirmations; fall back to manual when a notice is later than the step allows.
Every call to the outside systems goes through `IntegrationClient` (evidence in `CallRecord`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.adapters import tax_authority as tax
from motcua.core.errors import UserError
from motcua.directory.models import Agency
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.external import fallback_after_hours, is_external, system_of
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.workflow import Change, WorkflowError, may_take, transition
from motcua.identity.models import User
from motcua.integrations.client import IntegrationClient, IntegrationError
from motcua.payments import actions as payment_actions
from motcua.payments import invoices as payment_invoices
from motcua.payments.models import Invoice, Provider
from motcua.taxexchange.models import PollSchedule, Source, TaxNotice, TaxPaymentConfirmation, TaxTransfer

logger = logging.getLogger(__name__)

TAX_SYSTEM = "thue"  # the tax authority in MOTCUA_INTEGRATION_SYSTEMS_JSON
TREASURY_SYSTEM = "kho_bac"  # the State Treasury


class ExchangeError(UserError):
    """Bad input or a refused step of the land–tax exchange."""


def _configured(system: str) -> bool:
    return system in dict(settings.MOTCUA_INTEGRATION_SYSTEMS)


# --- the transfer form ---------------------------------------------------------------------------------------------

_ROLES = {"ben_chuyen_nhuong": "ben_chuyen_nhuong", "ben_nhan_chuyen_nhuong": "ben_nhan_chuyen_nhuong",
          "nguoi_su_dung_dat": "nguoi_su_dung_dat"}


def _person(data: Any, role: str) -> tax.Person | None:
    if not isinstance(data, dict) or not data.get("ho_ten"):
        return None
    return tax.Person(name=str(data["ho_ten"]), id_number=str(data.get("so_dinh_danh") or ""),
                      tax_code=str(data.get("ma_so_thue") or ""), address=str(data.get("dia_chi") or ""), role=role)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def build_transfer_form(dossier: Dossier, *, number: str, at: dt.datetime, parcel: tax.Parcel | None = None
                        ) -> tax.TransferForm:
    """The form from the dossier's e-form: the parties, the parcel (as the land database filled it into
    `thua_dat`, or PARCEL when the caller looked it up), the contract. Keys: docs/land-tax-exchange.md."""
    form = dossier.form_data or {}
    people = tuple(p for key, role in _ROLES.items() if (p := _person(form.get(key), role)) is not None)
    if not people:
        people = (tax.Person(name=dossier.applicant_name, id_number=dossier.applicant_id_number,
                             address=dossier.applicant_address, role="nguoi_su_dung_dat"),)
    land = _dict(form.get("thua_dat"))
    if parcel is None:
        parcel = tax.Parcel(
            number=str(land.get("so_thua") or ""), map_sheet=str(land.get("to_ban_do") or ""),
            commune_code=str(land.get("ma_xa") or ""), address=str(land.get("dia_chi_thua") or ""),
            area_m2=str(land.get("dien_tich") or ""), land_type=str(land.get("loai_dat") or ""),
            purpose=str(land.get("muc_dich_su_dung") or ""), term=str(land.get("thoi_han_su_dung") or ""),
            origin=str(land.get("nguon_goc_su_dung") or ""), price_position=str(land.get("vi_tri") or ""),
            certificate_serial=str(land.get("so_phat_hanh_gcn") or ""))
    contract = _dict(form.get("hop_dong"))
    value = contract.get("gia_chuyen_nhuong")
    kind = "chuyen_nhuong" if "ben_nhan_chuyen_nhuong" in form else str(form.get("noi_dung_thay_doi") or "khac")
    tax_office = Agency.objects.active().filter(function="tax").order_by("path").first()
    return tax.TransferForm(
        dossier_code=dossier.code, form_number=number, made_at=at, sender_code=dossier.competent_agency.eid_code,
        sender_name=dossier.competent_agency.name, receiver_code=tax_office.eid_code if tax_office else "",
        people=people, parcel=parcel, transaction_kind=kind,
        contract_value=value if isinstance(value, int) and not isinstance(value, bool) else None,
        contract_date=str(contract.get("ngay_cong_chung") or ""),
        notary_number=str(contract.get("so_cong_chung") or ""),
        attachments=tuple(dossier.documents.order_by("pk").values_list("name", flat=True)[:50]))


def start_transfer(dossier_id: int, *, at: dt.datetime | None = None, parcel: tax.Parcel | None = None
                   ) -> TaxTransfer | None:
    """At the external tax step: make the transfer, pause the dossier (once), send the form (once it is sent,
    never again). Safe to run twice. Returns the transfer, or None when the dossier is not at such a step."""
    now = at or timezone.now()
    dossier = Dossier.objects.select_related("competent_agency", "procedure_version").get(pk=dossier_id)
    if dossier.is_terminal or system_of(dossier.current_step) != "tax_authority":
        return None
    number = f"{dossier.code}-PCTT"
    transfer = TaxTransfer.objects.filter(dossier=dossier).first()
    if transfer is None:
        payload = build_transfer_form(dossier, number=number, at=now, parcel=parcel).as_message()
        try:
            transfer = TaxTransfer.objects.create(dossier=dossier, number=number, payload=payload, created_at=now,
                                                  step_index=dossier.step_index)
        except IntegrityError:
            transfer = TaxTransfer.objects.get(dossier=dossier)
    if transfer.state != TaxTransfer.State.SENDING:
        return transfer
    if not _configured(TAX_SYSTEM):  # a province without the link: the step is done by hand, as an internal one
        return fall_back_to_manual(transfer, at=now, reason="Chưa cấu hình kết nối với hệ thống của cơ quan thuế "
                                   f"(hệ thống «{TAX_SYSTEM}»): cán bộ thuế nhập thông báo.")
    if dossier.status != Status.PAUSED_FOR_FEES:
        try:
            dossier_actions.pause_for_fees(
                dossier, actor=None, at=now,
                note=f"Gửi Phiếu chuyển thông tin địa chính số {number} đến cơ quan thuế; tạm dừng chờ thông báo "
                     "và thực hiện nghĩa vụ tài chính.",
                data={"awaiting_notice": True, "transfer": number, "system": "tax_authority"})
        except WorkflowError as exc:
            logger.warning("Dossier %s could not be paused for its tax transfer: %s", dossier.code, exc)
            return transfer
    return send_transfer(transfer, at=now)


def send_transfer(transfer: TaxTransfer, *, at: dt.datetime | None = None) -> TaxTransfer:
    now = at or timezone.now()
    TaxTransfer.objects.filter(pk=transfer.pk).update(attempts=transfer.attempts + 1)
    try:
        with IntegrationClient(TAX_SYSTEM) as client:
            answer = client.call(tax.SERVICE_SEND_TRANSFER, "POST", "/",
                                 json=tax.service_request(tax.SERVICE_SEND_TRANSFER, data=transfer.payload),
                                 idempotency_key=transfer.number, parse=lambda r: tax.parse_answer(r.content),
                                 dossier_id=transfer.dossier_id).value
    except (IntegrationError, ImproperlyConfigured) as exc:
        TaxTransfer.objects.filter(pk=transfer.pk).update(last_error=str(exc)[:2000])
        return fall_back_to_manual(transfer, at=now, reason="Hệ thống của cơ quan thuế không phản hồi khi gửi "
                                   f"phiếu chuyển thông tin ({exc}).")
    if not answer.ok:
        TaxTransfer.objects.filter(pk=transfer.pk).update(last_error=answer.message[:2000])
        return fall_back_to_manual(transfer, at=now,
                                   reason=f"Cơ quan thuế từ chối phiếu chuyển thông tin: {answer.message}")
    TaxTransfer.objects.filter(pk=transfer.pk, state=TaxTransfer.State.SENDING).update(
        state=TaxTransfer.State.SENT, sent_at=now, last_error="")
    transfer.refresh_from_db()
    ensure_polling()  # a notice that is not pushed is fetched by the poll chain
    return transfer


def fall_back_to_manual(transfer: TaxTransfer, *, reason: str, actor: User | None = None,
                        at: dt.datetime | None = None) -> TaxTransfer:
    """The external step goes on by hand: the tax office's staff enter the notice. Recorded on the transfer and as
    a dossier event (`external_fallback`, with the reason); a second call changes nothing."""
    now = at or timezone.now()
    with transaction.atomic():
        locked = TaxTransfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.state in (TaxTransfer.State.MANUAL, TaxTransfer.State.PAID):
            return locked
        locked.state = TaxTransfer.State.MANUAL
        locked.manual_reason = reason[:2000]
        locked.save(update_fields=["state", "manual_reason"])
        dossier = Dossier.objects.get(pk=locked.dossier_id)
        if not dossier.is_terminal and is_external(dossier.current_step):

            def apply(d: Dossier, change: Change) -> None:
                change.target = Status(d.status)
                change.data.update({"system": system_of(d.current_step), "transfer": locked.number,
                                    "manual": True})

            transition(dossier.pk, "external_fallback", actor=actor, note=reason[:2000], at=now, apply=apply)
    logger.warning("Tax transfer %s: manual path: %s", locked.number, reason)
    return locked


# --- the notice ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What a received message did: `accepted` (recorded or already known) and a message for the sender."""

    accepted: bool
    message: str
    changed: bool = False


def _lines(notice: tax.Notice) -> list[dict[str, Any]]:
    return [{"code": line.code, "name": line.name or tax.OBLIGATIONS.get(line.code, line.code),
             "amount": line.amount} for line in notice.lines]


def record_notice(notice: tax.Notice, *, source: str, actor: User | None = None, document: bytes = b"",
                  at: dt.datetime | None = None) -> Outcome:
    """Record NOTICE for each dossier it names. Idempotent: the same number and revision again changes nothing;
    an older revision than the current one is ignored; a newer one (or the same number with other amounts)
    replaces it and the citizen is told again."""
    now = at or timezone.now()
    messages = []
    accepted = changed = False
    for code in notice.dossier_codes:
        dossier = Dossier.objects.filter(code=code).first()
        if dossier is None:
            messages.append(f"{code}| không tồn tại trên hệ thống")
            continue
        outcome = _record_notice_for(dossier, notice, source=source, actor=actor, document=document, now=now)
        accepted = accepted or outcome.accepted
        changed = changed or outcome.changed
        messages.append(f"{code}| {outcome.message}")
    if accepted:
        ensure_polling()  # the treasury's confirmation, when not pushed, is fetched by the poll chain
    return Outcome(accepted, "; ".join(messages), changed)


def _record_notice_for(dossier: Dossier, notice: tax.Notice, *, source: str, actor: User | None, document: bytes,
                       now: dt.datetime) -> Outcome:
    lines = _lines(notice)
    with transaction.atomic():
        transfer = TaxTransfer.objects.select_for_update().filter(dossier=dossier).first()
        if transfer is None:
            if source != Source.MANUAL:
                return Outcome(False, "chưa gửi phiếu chuyển thông tin cho hồ sơ này")
            transfer = TaxTransfer.objects.create(dossier=dossier, number=f"{dossier.code}-PCTT", created_at=now,
                                                  state=TaxTransfer.State.MANUAL, step_index=dossier.step_index,
                                                  manual_reason="Cán bộ nhập thông báo thuế")
        current = transfer.notices.filter(is_current=True).order_by("-pk").first()
        same = transfer.notices.filter(number=notice.number, revision=notice.revision).first()
        if same is not None:
            return Outcome(True, "đã nhận thông báo này trước đó")
        if current is not None and current.number == notice.number and notice.revision < current.revision:
            return Outcome(True, "thông báo cũ hơn thông báo đang áp dụng: bỏ qua")
        changed = current is not None and current.total != notice.total
        transfer.notices.filter(is_current=True).update(is_current=False)
        record = TaxNotice.objects.create(
            transfer=transfer, dossier=dossier, number=notice.number, revision=notice.revision, lines=lines,
            total=notice.total, deadline=notice.deadline, payment_reference=notice.payment_reference,
            treasury_account=notice.treasury_account, tax_office=notice.tax_office, source=source,
            document_sha256=hashlib.sha256(document).hexdigest() if document else "", entered_by=actor,
            received_at=now)
        if transfer.state in (TaxTransfer.State.SENDING, TaxTransfer.State.SENT):
            transfer.state = TaxTransfer.State.NOTIFIED
            transfer.save(update_fields=["state"])
        reference = notice.payment_reference or notice.number
        try:
            payment_invoices.set_obligation(
                dossier, lines=[(f"{line['name']} (TB {notice.number})", int(line["amount"])) for line in lines],
                note=f"Thông báo nộp tiền số {notice.number}, mã tham chiếu {reference}", actor=actor, at=now)
        except payment_invoices.PaymentError as exc:
            logger.warning("Notice %s for %s: the invoice was not changed: %s", notice.number, dossier.code, exc)
        _notice_event(dossier, record, changed=changed, previous=current, actor=actor, now=now)
    return Outcome(True, "đã ghi nhận" + (" (số tiền thay đổi)" if changed else ""), changed)


def _notice_event(dossier: Dossier, notice: TaxNotice, *, changed: bool, previous: TaxNotice | None,
                  actor: User | None, now: dt.datetime) -> None:
    amounts = tax.lines_text([tax.Obligation(line["code"], line["name"], int(line["amount"]))
                              for line in notice.lines])
    deadline = f"; hạn nộp {notice.deadline:%d/%m/%Y}" if notice.deadline else ""
    note = (f"{'Thông báo thuế điều chỉnh' if changed else 'Thông báo nộp tiền'} số {notice.number}: {amounts}; "
            f"tổng {notice.total:,}".replace(",", ".") + f" đồng{deadline}.")
    data = {"notice": notice.number, "revision": notice.revision, "amount": notice.total, "lines": notice.lines,
            "deadline": notice.deadline.isoformat() if notice.deadline else "",
            "payment_reference": notice.payment_reference, "source": notice.source, "changed": changed}
    if previous is not None:
        data["previous_amount"] = previous.total
    fresh = Dossier.objects.get(pk=dossier.pk)
    if fresh.is_terminal:
        return
    if fresh.status == Status.PAUSED_FOR_FEES:

        def apply(d: Dossier, change: Change) -> None:
            change.target = Status(d.status)
            change.data.update(data)

        transition(fresh.pk, "tax_notice", actor=actor, note=note, at=now, apply=apply)
    else:  # the manual path before any pause: the notice pauses the dossier (as the tax specialist's pause does)
        dossier_actions.pause_for_fees(fresh, actor=actor, note=note, amount=notice.total, at=now, data=data)


def enter_notice_manually(dossier: Dossier, *, actor: User, number: str, lines: list[tuple[str, str, int]],
                          deadline: dt.date | None = None, payment_reference: str = "",
                          at: dt.datetime | None = None) -> Outcome:
    """The tax office's staff type the notice (the manual path): the same recording as an electronic notice,
    marked manual with who entered it."""
    if not (may_take(dossier, "tax_notice", actor) or may_take(dossier, "pause_for_fees", actor)):
        raise ExchangeError("forbidden", "Chỉ cán bộ của bước xác định nghĩa vụ tài chính được nhập thông báo thuế.",
                            "Only the officers of the financial-obligation step may enter the tax notice.")
    if system_of(dossier.current_step) != "tax_authority" and "pause_for_fees" not in dossier.current_step.get(
            "actions", []):
        raise ExchangeError("wrong_step", "Hồ sơ không ở bước xác định nghĩa vụ tài chính.",
                            "The dossier is not at the financial-obligation step.")
    if not number.strip() or not lines:
        raise ExchangeError("incomplete", "Nhập số thông báo và ít nhất một khoản phải nộp.",
                            "Enter the notice number and at least one amount.")
    current = TaxNotice.objects.filter(dossier=dossier, number=number.strip(), is_current=True).first()
    notice = tax.Notice(number=number.strip()[:60], dossier_codes=(dossier.code,),
                        lines=tuple(tax.Obligation(code, name, amount) for code, name, amount in lines),
                        deadline=deadline, payment_reference=payment_reference.strip()[:60],
                        revision=(current.revision + 1) if current else 0)
    transfer = TaxTransfer.objects.filter(dossier=dossier).first()
    if transfer is not None and transfer.state in (TaxTransfer.State.SENDING, TaxTransfer.State.SENT):
        fall_back_to_manual(transfer, actor=actor, at=at,
                            reason="Cán bộ thuế nhập thông báo thủ công (chưa nhận được thông báo điện tử).")
    outcome = record_notice(notice, source=Source.MANUAL, actor=actor, at=at)
    if not outcome.accepted:
        raise ExchangeError("refused", outcome.message, outcome.message)
    return outcome


# --- the payment confirmation --------------------------------------------------------------------------------------

def _key(receipt: tax.Receipt) -> str:
    if receipt.document_number:
        return f"{receipt.notice_number}:{receipt.document_number}"[:140]
    return f"{receipt.notice_number}:{tax.format_time(receipt.paid_at)}:{receipt.amount}"[:140]


def record_confirmation(receipt: tax.Receipt, *, source: str, at: dt.datetime | None = None) -> Outcome:
    """The treasury's / tax authority's confirmation. The same payment again (push, poll, a duplicate) only counts
    a copy; a confirmation of an obligation already paid (e.g. through the payment platform) pays nothing."""
    now = at or timezone.now()
    dossier = Dossier.objects.filter(code=receipt.dossier_code).first()
    if dossier is None:
        return Outcome(False, f"{receipt.dossier_code}| không tồn tại trên hệ thống")
    notice = TaxNotice.objects.filter(dossier=dossier, number=receipt.notice_number).order_by("-revision").first()
    if notice is None:
        return Outcome(False, f"{receipt.dossier_code}| không có thông báo thuế số {receipt.notice_number}")
    key = _key(receipt)
    with transaction.atomic():
        existing = TaxPaymentConfirmation.objects.select_for_update().filter(key=key).first()
        if existing is not None:
            existing.copies += 1
            existing.save(update_fields=["copies"])
            return Outcome(True, f"{dossier.code}| đã nhận chứng từ này trước đó")
        try:
            with transaction.atomic():
                confirmation = TaxPaymentConfirmation.objects.create(
                    notice=notice, dossier=dossier, key=key, notice_number=receipt.notice_number,
                    document_number=receipt.document_number, amount=receipt.amount, paid_at=receipt.paid_at,
                    payer_name=receipt.payer_name, file_url=receipt.file_url, source=source, received_at=now)
        except IntegrityError:  # the same confirmation arrived at the same moment on another connection
            TaxPaymentConfirmation.objects.filter(key=key).update(copies=1 + TaxPaymentConfirmation.objects.get(
                key=key).copies)
            return Outcome(True, f"{dossier.code}| đã nhận chứng từ này trước đó")
        if not receipt.paid:
            confirmation.outcome = "Chứng từ báo chưa nộp tiền"
            confirmation.save(update_fields=["outcome"])
            return Outcome(True, f"{dossier.code}| đã ghi nhận (chưa nộp)")
        invoice = Invoice.objects.filter(dossier=dossier, purpose=Invoice.Purpose.OBLIGATION).first()
        payment = None
        if invoice is not None:
            payment = payment_actions.record_confirmed_payment(
                invoice, provider=Provider.TREASURY, amount=receipt.amount,
                document_number=receipt.document_number or key, reference=receipt.notice_number,
                paid_at=receipt.paid_at, at=now)
        confirmation.applied = payment is not None
        confirmation.outcome = ("Đã ghi nhận nộp tiền" if payment is not None
                                else "Nghĩa vụ đã được nộp trước đó: không ghi nhận thêm")
        confirmation.save(update_fields=["applied", "outcome"])
        TaxTransfer.objects.filter(dossier=dossier).exclude(state=TaxTransfer.State.MANUAL).update(
            state=TaxTransfer.State.PAID)
    return Outcome(True, f"{dossier.code}| {confirmation.outcome}")


# --- polling -------------------------------------------------------------------------------------------------------

@dataclass
class PollReport:
    asked: int = 0
    notices: int = 0
    confirmations: int = 0
    fallbacks: int = 0
    errors: int = 0


def poll(*, at: dt.datetime | None = None, limit: int = 200) -> PollReport:
    """Ask the tax authority for the notices still awaited and the treasury for the confirmations still awaited;
    a notice later than its step's `fallback_after_hours` (default MOTCUA_TAX_NOTICE_FALLBACK_HOURS) sends the
    step to the manual path."""
    now = at or timezone.now()
    report = PollReport()
    waiting = TaxTransfer.objects.filter(state=TaxTransfer.State.SENT).select_related("dossier")[:limit]
    for transfer in waiting:
        report.asked += 1
        try:
            notices = _ask(TAX_SYSTEM, tax.SERVICE_GET_NOTICES, {"MaHoSo": transfer.dossier.code},
                           tax.parse_notice_poll, transfer.dossier_id)
        except (IntegrationError, ImproperlyConfigured) as exc:
            report.errors += 1
            logger.warning("Polling the notice of %s failed: %s", transfer.number, exc)
            notices = []
        for notice in notices:
            if record_notice(notice, source=Source.POLL, at=now).accepted:
                report.notices += 1
        transfer.refresh_from_db()
        if transfer.state == TaxTransfer.State.SENT and transfer.sent_at is not None:
            dossier = Dossier.objects.select_related("procedure_version").get(pk=transfer.dossier_id)
            hours = fallback_after_hours(dossier.current_step, float(settings.MOTCUA_TAX_NOTICE_FALLBACK_HOURS))
            if now - transfer.sent_at > dt.timedelta(hours=hours):
                fall_back_to_manual(transfer, at=now, reason=f"Quá {hours:g} giờ chưa nhận được thông báo thuế "
                                    "từ hệ thống của cơ quan thuế.")
                report.fallbacks += 1
    if not _configured(TREASURY_SYSTEM):
        return report
    # A notice typed on the manual path (the tax system down or not linked) is paid at the treasury all the same:
    # its confirmation is asked for too.
    unpaid = TaxNotice.objects.filter(is_current=True,
                                      transfer__state__in=(TaxTransfer.State.NOTIFIED, TaxTransfer.State.MANUAL),
                                      dossier__status=Status.PAUSED_FOR_FEES).select_related("dossier")[:limit]
    for notice in unpaid:
        report.asked += 1
        try:
            receipts = _ask(TREASURY_SYSTEM, tax.SERVICE_GET_RECEIPTS, {"MaThongBaoThue": notice.number},
                            tax.parse_receipt_poll, notice.dossier_id)
        except (IntegrationError, ImproperlyConfigured) as exc:
            report.errors += 1
            logger.warning("Polling the treasury for %s failed: %s", notice.number, exc)
            continue
        for receipt in receipts:
            if record_confirmation(receipt, source=Source.POLL, at=now).accepted:
                report.confirmations += 1
    return report


def _ask(system: str, service: str, fields: dict[str, Any], parse: Any, dossier_id: int) -> Any:
    if not _configured(system):
        raise ImproperlyConfigured(f"{system} is not configured")
    with IntegrationClient(system) as client:
        return client.call(service, "POST", "/", json=tax.service_request(service, **fields),
                           idempotency_key=f"{service}:{dossier_id}:{timezone.now():%Y%m%d%H%M}",
                           parse=lambda r: parse(r.content), dossier_id=dossier_id).value


# --- the periodic poll chain ---------------------------------------------------------------------------------------

def polling_wanted() -> bool:
    """A chain runs when the tax authority or the treasury is configured and MOTCUA_TAX_POLL_SECONDS is positive."""
    return settings.MOTCUA_TAX_POLL_SECONDS > 0 and (_configured(TAX_SYSTEM) or _configured(TREASURY_SYSTEM))


def ensure_polling(now: dt.datetime | None = None) -> bool:
    """Make sure one chain of periodic polls is queued (when the job backend can run jobs later), the same way as
    the outbox sweep (`notifications.actions.ensure_sweeping`): the `PollSchedule` row's token goes with each job,
    which queues its successor only while it still holds the token, so a duplicate chain dies out and a lost one
    (its job never ran) is restarted here. Called when a transfer is sent, when a notice is recorded and by
    `manage.py poll_tax_authority`. Returns whether a new link was queued."""
    from motcua.taxexchange.tasks import poll_tax_authority_task

    if not polling_wanted() or not poll_tax_authority_task.get_backend().supports_defer:
        return False
    now = now or timezone.now()
    interval = dt.timedelta(seconds=settings.MOTCUA_TAX_POLL_SECONDS)
    row = PollSchedule.objects.filter(pk=1).first()
    if row is not None and row.next_run_at is not None and row.next_run_at > now - 2 * interval:
        return False  # a poll is queued and not overdue: the chain is alive
    if row is None:
        row, _created = PollSchedule.objects.get_or_create(pk=1)
    return continue_polling(str(row.token), now)


def continue_polling(token: str, now: dt.datetime | None = None) -> bool:
    """Queue the next poll if TOKEN is still the chain's (a fresh token goes with the next job). False for a stale
    token, or when polling is no longer wanted (the chain stops; `ensure_polling` starts it again)."""
    from motcua.taxexchange.tasks import poll_tax_authority_task

    now = now or timezone.now()
    wanted = polling_wanted()
    due = now + dt.timedelta(seconds=settings.MOTCUA_TAX_POLL_SECONDS)
    with transaction.atomic():
        moved = PollSchedule.objects.filter(pk=1, token=token).update(
            token=uuid.uuid4() if wanted else token, next_run_at=due if wanted else None)
        if moved and wanted:
            fresh = PollSchedule.objects.get(pk=1).token
            poll_tax_authority_task.using(run_after=due).enqueue(str(fresh))
    return bool(moved)
