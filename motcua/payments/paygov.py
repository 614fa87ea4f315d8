"""The national public-service portal's payment platform (Nền tảng thanh toán trực tuyến, Cổng DVCQG), beside VNPay.

- **Init** (`payment_url`): a server-to-server JSON POST of the init message to the `paygov` system
  (`IntegrationClient`: timeouts, breaker, evidence; base URL or LGSP route from MOTCUA_INTEGRATION_SYSTEMS_JSON),
  then the citizen's browser goes to the payment page URL of the answer. The URL is kept on the attempt, so a second
  click goes to the same page (a MaThamChieu is opened once). The init is not retried automatically: the citizen is
  waiting, and a second init with the same MaThamChieu could be refused.
- **Confirmation** (`parse_callback`): the platform's JSON POST to `/thanh-toan/paygov/ipn/`, or the same fields on the
  browser return; checksum (constant time) and MaDoiTac first, then `actions.process_callback` applies it once.
- **Get bill** (`query`): asks the platform about one MaThamChieu (reconciliation, the "check again" path); the
  answer must carry a valid checksum.

Message shapes and checksums: `motcua.adapters.payment_platform` (GUESSED parts marked there).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.adapters import payment_platform as platform
from motcua.payments.models import Payment, Provider
from motcua.payments.providers import (
    BadSignature,
    GatewayResult,
    MalformedCallback,
    ProviderError,
    ProviderUnavailable,
)
from motcua.payments.vnpay import order_info

SYSTEM = "paygov"
LABEL = _("National Public Service Portal payment platform")


def _text(value: str, limit: int) -> str:
    return value.strip()[:limit]


class NationalPlatformProvider:
    code: str = Provider.PAYGOV
    label = LABEL

    def __init__(self) -> None:
        self.partner_code: str = settings.MOTCUA_PAYGOV_PARTNER_CODE
        self.key: str = settings.MOTCUA_PAYGOV_HASH_KEY

    @property
    def configured(self) -> bool:
        return bool(self.partner_code and self.key and SYSTEM in dict(settings.MOTCUA_INTEGRATION_SYSTEMS))

    def _require(self) -> None:
        if not self.configured:
            raise ProviderUnavailable("the national payment platform is not configured (the `paygov` system of "
                                      "MOTCUA_INTEGRATION_SYSTEMS_JSON, MOTCUA_PAYGOV_PARTNER_CODE, "
                                      "MOTCUA_PAYGOV_HASH_KEY)")

    # --- init ---------------------------------------------------------------------------------------------------

    def init_request(self, payment: Payment, *, locale: str = "vn") -> dict[str, Any]:
        """The signed init message of PAYMENT (MaThamChieu = its order reference, ThoiGianGD = its create date)."""
        invoice = payment.invoice
        dossier = invoice.dossier
        version = dossier.procedure_version
        agency = dossier.receiving_agency
        bill = platform.BillInfo(
            agency_code=agency.eid_code, agency_name=_text(agency.name, 255), dossier_code=dossier.code,
            procedure_code=version.procedure.national_code, procedure_name=_text(version.name, 500),
            payer_name=_text(dossier.applicant_name, 200), content=f"Thanh toán {invoice.number}",
            lines=tuple(platform.FeeLine(code=str(line.position), name=_text(line.name, 255), amount=line.amount)
                        for line in invoice.lines.order_by("position") if line.amount > 0),
            beneficiary_account=settings.MOTCUA_PAYGOV_BENEFICIARY_ACCOUNT,
            beneficiary_bank=settings.MOTCUA_PAYGOV_BENEFICIARY_BANK,
            beneficiary_name=settings.MOTCUA_PAYGOV_BENEFICIARY_NAME,
        )
        request = platform.InitRequest(
            partner_code=self.partner_code, reference=payment.txn_ref, amount=payment.amount,
            transaction_info=order_info(f"Thanh toan {invoice.number}"), transaction_time=payment.create_date,
            ip=payment.client_ip or "127.0.0.1", bill=bill, language="en" if locale == "en" else "vi",
            message_type=settings.MOTCUA_PAYGOV_MESSAGE_TYPE_INIT or platform.MESSAGE_TYPE_INIT,
            version=settings.MOTCUA_PAYGOV_VERSION or platform.VERSION,
        )
        return platform.build_init_request(request, self.key)

    def payment_url(self, payment: Payment, *, return_url: str, locale: str = "vn") -> str:
        """Open PAYMENT at the platform (once) and return its payment page. The return URL is registered with the
        platform at onboarding (GUESSED: the init message has no field for it), so RETURN_URL is not sent."""
        from motcua.integrations.client import IntegrationClient, IntegrationError

        self._require()
        if payment.gateway_url:
            return payment.gateway_url
        body = self.init_request(payment, locale=locale)
        try:
            with IntegrationClient(SYSTEM) as client:
                result = client.call("init", "POST", settings.MOTCUA_PAYGOV_INIT_PATH, json=body,
                                     parse=lambda response: platform.parse_init_answer(response.content),
                                     dossier_id=payment.invoice.dossier_id)
                base_host = urlsplit(str(client.http.base_url)).hostname or ""
        except IntegrationError as exc:
            raise ProviderError(f"payment platform init: {exc}") from exc
        answer = result.value
        if not answer.ok:
            raise ProviderError(f"payment platform refused the init: {answer.code} {answer.message}")
        url = answer.payment_url
        parts = urlsplit(url)
        allowed = {base_host, *settings.MOTCUA_PAYGOV_PAYMENT_HOSTS}
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.hostname not in allowed:
            # Never send the citizen to a page of a host we did not configure (a spoofed or broken answer).
            raise ProviderError(f"payment platform answered a payment page on an unexpected host: {parts.hostname}")
        Payment.objects.filter(pk=payment.pk).update(gateway_url=url)
        payment.gateway_url = url
        return url

    # --- confirmation ---------------------------------------------------------------------------------------------

    def _result(self, confirmation: platform.Confirmation) -> GatewayResult:
        if not hmac.compare_digest(confirmation.partner_code.encode(), self.partner_code.encode()):
            raise BadSignature("MaDoiTac is not ours")
        amount = confirmation.amount * 100
        if confirmation.currency not in ("", platform.CURRENCY_VND):
            amount = -1  # never equal to what we asked: answered as a wrong amount
        return GatewayResult(
            txn_ref=confirmation.reference, amount_minor=amount, success=confirmation.paid,
            provider_txn_no=confirmation.transaction_no, bank_code=confirmation.bank_code,
            response_code=confirmation.code, pay_date=platform.parse_time(confirmation.transaction_time),
        )

    def parse_callback(self, params: Mapping[str, Any]) -> GatewayResult:
        """Read a confirmation (callback body or return query): BadSignature unless its MaXacThuc is right for our
        key and MaDoiTac is ours; MalformedCallback for a signed message we cannot read."""
        self._require()
        try:
            confirmation = platform.parse_confirmation(params, self.key)
        except platform.BadChecksum as exc:
            raise BadSignature(str(exc)) from exc
        except platform.PaymentPlatformMessageError as exc:
            raise MalformedCallback(str(exc)) from exc
        return self._result(confirmation)

    # --- get bill -------------------------------------------------------------------------------------------------

    def query(self, payment: Payment) -> GatewayResult:
        """Ask the platform for the bill of PAYMENT's MaThamChieu. The answer must be signed, for this reference."""
        from motcua.integrations.client import IntegrationClient, IntegrationError

        self._require()
        body = platform.build_bill_request(
            partner_code=self.partner_code, reference=payment.txn_ref, transaction_time=payment.create_date,
            key=self.key, message_type=settings.MOTCUA_PAYGOV_MESSAGE_TYPE_BILL or platform.MESSAGE_TYPE_GET_BILL,
            version=settings.MOTCUA_PAYGOV_VERSION or platform.VERSION)
        try:
            with IntegrationClient(SYSTEM) as client:
                # A read: safe to repeat, so the client may retry it (Idempotency-Key = MaThamChieu).
                result = client.call("get_bill", "POST", settings.MOTCUA_PAYGOV_BILL_PATH, json=body,
                                     parse=lambda response: platform.parse_bill_answer(response.content, self.key),
                                     idempotency_key=payment.txn_ref, dossier_id=payment.invoice.dossier_id)
        except IntegrationError as exc:
            if isinstance(exc.__cause__, platform.BadChecksum) or "MaXacThuc" in str(exc):
                raise BadSignature(f"payment platform bill: {exc}") from exc
            raise ProviderError(f"payment platform bill: {exc}") from exc
        bill = result.value
        confirmation = bill.confirmation
        if confirmation.reference != payment.txn_ref:
            raise BadSignature("payment platform bill is about another MaThamChieu")
        if confirmation.code == platform.CODE_NOT_FOUND:
            return GatewayResult(txn_ref=payment.txn_ref, amount_minor=0, success=False, found=False,
                                 response_code=confirmation.code)
        if confirmation.code != platform.CODE_SUCCESS:
            raise ProviderError(f"payment platform bill answered {confirmation.code}: {bill.description}")
        return self._result(confirmation)


# --- the reply to a confirmation ----------------------------------------------------------------------------------

REPLY_DESCRIPTIONS = {  # our internal answer code (actions.CallbackAnswer) -> MoTaLoi
    "00": "Thành công",
    "01": "Không tìm thấy giao dịch (MaThamChieu)",
    "02": "Giao dịch đã được xác nhận trước đó với kết quả khác",
    "03": "Địa chỉ gọi không được phép",
    "04": "Số tiền không khớp",
    "97": "Sai mã xác thực (MaXacThuc) hoặc mã đối tác (MaDoiTac)",
    "99": "Các lỗi khác",
}


def reply(answer_code: str, payment: Payment | None, received: Mapping[str, Any]) -> dict[str, Any]:
    """The platform's reply shape for our answer to its confirmation: "00" when the confirmation is recorded — also
    for a replay of the one already recorded (same MaGiaoDich and outcome), so the platform stops resending —,
    otherwise "99" with the reason in MoTaLoi. Nothing is changed here."""
    code = platform.CODE_OTHER_ERROR
    description = REPLY_DESCRIPTIONS.get(answer_code, REPLY_DESCRIPTIONS["99"])
    if answer_code == "00":
        code = platform.CODE_SUCCESS
    elif answer_code == "02" and payment is not None:
        same_transaction = payment.provider_txn_no == str(received.get("MaGiaoDich") or "")[:100]
        same_outcome = (payment.state == Payment.State.SUCCEEDED) == (received.get("MaLoi") == platform.CODE_SUCCESS)
        if same_transaction and same_outcome:
            code, description = platform.CODE_SUCCESS, "Giao dịch đã được ghi nhận trước đó"
    return platform.build_confirm_reply(code, description, partner_code=settings.MOTCUA_PAYGOV_PARTNER_CODE,
                                        received=received)
