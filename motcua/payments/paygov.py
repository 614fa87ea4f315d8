"""The national public-service portal's payment platform (PayGov / DVCQG): a stub behind the same contract.

No public technical specification exists; a province receives one when it connects through its data-exchange
platform (LGSP). This adapter follows the shape such platforms publish (a partner code and a secret key, a
redirect with signed parameters, a signed server notification) so that the rest of the system — invoices,
callbacks, settlement, receipts, reconciliation — already works with it; the field names and the signature
recipe must be checked against the specification before use. Signature: HMAC-SHA256 over the parameters other
than `Signature`, sorted, `name=value` joined by "&", compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlencode

from django.conf import settings

from motcua.payments.models import Payment, Provider
from motcua.payments.providers import BadSignature, GatewayResult, MalformedCallback, ProviderUnavailable
from motcua.payments.vnpay import parse_vnpay_time


def _signed_string(params: Mapping[str, str]) -> str:
    return "&".join(f"{key}={params[key]}" for key in sorted(params) if key != "Signature")


class NationalPlatformProvider:
    code: str = Provider.PAYGOV

    def __init__(self) -> None:
        self.url: str = settings.MOTCUA_PAYGOV_URL
        self.partner_code: str = settings.MOTCUA_PAYGOV_PARTNER_CODE
        self.secret: str = settings.MOTCUA_PAYGOV_SECRET_KEY

    @property
    def configured(self) -> bool:
        return bool(self.url and self.partner_code and self.secret)

    def _require(self) -> None:
        if not self.configured:
            raise ProviderUnavailable("the national payment platform is not configured")

    def sign(self, params: Mapping[str, str]) -> str:
        return hmac.new(self.secret.encode(), _signed_string(params).encode(), hashlib.sha256).hexdigest()

    def payment_url(self, payment: Payment, *, return_url: str, locale: str = "vn") -> str:
        self._require()
        params = {
            "PartnerCode": self.partner_code, "OrderId": payment.txn_ref, "Amount": str(payment.amount),
            "OrderInfo": f"Thanh toan {payment.invoice.number}", "ReturnUrl": return_url,
            "CreateDate": payment.create_date, "ExpireDate": payment.expire_date, "Locale": locale,
        }
        return f"{self.url}?{urlencode({**params, 'Signature': self.sign(params)})}"

    def parse_callback(self, params: Mapping[str, str]) -> GatewayResult:
        self._require()
        received = params.get("Signature") or ""
        if not received or not hmac.compare_digest(self.sign(params).encode(), received.lower().encode()):
            raise BadSignature("Signature missing or wrong")
        if not hmac.compare_digest(params.get("PartnerCode", "").encode(), self.partner_code.encode()):
            raise BadSignature("PartnerCode is not ours")
        order, amount = params.get("OrderId", ""), params.get("Amount", "")
        if not order or not amount.isdigit():
            raise MalformedCallback("OrderId or Amount missing")
        return GatewayResult(
            txn_ref=order, amount_minor=int(amount) * 100, success=params.get("ResultCode") == "00",
            provider_txn_no=params.get("TransactionId", ""), response_code=params.get("ResultCode", ""),
            pay_date=parse_vnpay_time(params.get("PayDate", "")),
        )

    def query(self, payment: Payment) -> GatewayResult:
        raise ProviderUnavailable(
            "the national payment platform's transaction query is not specified yet; reconcile it from its "
            "statement (reconcile(..., statement=...))"
        )
