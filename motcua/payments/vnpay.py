"""VNPay payment gateway, API 2.1.0: payment URL, return URL and IPN verification, transaction query (querydr).

Signature: HMAC-SHA512 with the merchant's hash secret over the vnp_* parameters sorted by name, each written
`name=value` with both parts form-encoded (space → "+", as browsers' URLSearchParams does), joined by "&";
vnp_SecureHash and vnp_SecureHashType are not signed (2.1.0 no longer sends the type). Amounts are VND × 100.
Our signature equals the one of npm `vnpay` 2.5.0 for the same parameters (tested). The querydr request and
answer are signed over their fields joined by "|" in the order the API documents.

Verification compares digests with `hmac.compare_digest`, and a callback or answer without a hash is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from unidecode import unidecode

from motcua.payments.models import Payment, Provider
from motcua.payments.providers import (
    BadSignature,
    GatewayResult,
    MalformedCallback,
    ProviderError,
    ProviderUnavailable,
)

VERSION = "2.1.0"
GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
UNSIGNED = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})
QUERY_REQUEST_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                        "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
QUERY_ANSWER_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                       "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                       "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                       "vnp_PromotionAmount")


def vnpay_time(moment: dt.datetime) -> str:
    """yyyyMMddHHmmss in GMT+7, as VNPay wants every date."""
    return moment.astimezone(GMT7).strftime("%Y%m%d%H%M%S")


def parse_vnpay_time(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


def form_encode(value: str) -> str:
    """application/x-www-form-urlencoded as the WHATWG URL standard serialises it (what npm vnpay signs):
    letters, digits and *-._ stay; space becomes +; everything else is %XX of its UTF-8 bytes."""
    return quote_plus(value, safe="*").replace("~", "%7E")


def canonical(params: Mapping[str, str]) -> str:
    """The signed string: the vnp_* parameters other than the hash, sorted by name, form-encoded."""
    return "&".join(f"{form_encode(key)}={form_encode(str(params[key]))}"
                    for key in sorted(params) if key.startswith("vnp_") and key not in UNSIGNED)


def sign(data: str, secret: str) -> str:
    return hmac.new(secret.encode(), data.encode("utf-8"), hashlib.sha512).hexdigest()


def signature_matches(expected: str, received: str) -> bool:
    """Constant-time comparison; VNPay's hex may come upper-case."""
    return hmac.compare_digest(expected.lower().encode(), (received or "").strip().lower().encode())


def verify_params(params: Mapping[str, str], secret: str) -> bool:
    """Whether PARAMS carry a valid vnp_SecureHash. A missing hash is invalid.

    The merchant samples disagree on parameters sent empty (Java and npm `vnpay` leave them out of the signed
    string, PHP keeps them); both readings sign the same data with the secret, so either is accepted."""
    received = params.get("vnp_SecureHash") or ""
    if not received or not secret:
        return False
    signed = {k: v for k, v in params.items() if k.startswith("vnp_") and k not in UNSIGNED}
    without_empty = {k: v for k, v in signed.items() if v != ""}
    candidates = [canonical(without_empty)]
    if len(without_empty) != len(signed):
        candidates.append(canonical(signed))
    matches = [signature_matches(sign(candidate, secret), received) for candidate in candidates]
    return any(matches)


def order_info(text: str) -> str:
    """vnp_OrderInfo: Vietnamese without diacritics, only letters, digits and a few signs, at most 255."""
    return re.sub(r"[^A-Za-z0-9 .,:_/-]", "", unidecode(text))[:255].strip() or "Thanh toan"


class VNPayProvider:
    code: str = Provider.VNPAY

    def __init__(self) -> None:
        self.tmn_code: str = settings.MOTCUA_VNPAY_TMN_CODE
        self.secret: str = settings.MOTCUA_VNPAY_HASH_SECRET

    @property
    def configured(self) -> bool:
        return bool(self.tmn_code and self.secret)

    def _require(self) -> None:
        if not self.configured:
            raise ProviderUnavailable("VNPay is not configured (MOTCUA_VNPAY_TMN_CODE, MOTCUA_VNPAY_HASH_SECRET)")

    def payment_params(self, payment: Payment, *, return_url: str, locale: str = "vn") -> dict[str, str]:
        return {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(payment.amount * 100),
            "vnp_CreateDate": payment.create_date,
            "vnp_CurrCode": "VND",
            "vnp_IpAddr": payment.client_ip or "127.0.0.1",
            "vnp_Locale": "en" if locale == "en" else "vn",
            "vnp_OrderInfo": order_info(f"Thanh toan {payment.invoice.number}"),
            "vnp_OrderType": "other",
            "vnp_ReturnUrl": return_url,
            "vnp_TxnRef": payment.txn_ref,
            "vnp_ExpireDate": payment.expire_date,
        }

    def payment_url(self, payment: Payment, *, return_url: str, locale: str = "vn") -> str:
        self._require()
        data = canonical(self.payment_params(payment, return_url=return_url, locale=locale))
        return f"{settings.MOTCUA_VNPAY_PAYMENT_URL}?{data}&vnp_SecureHash={sign(data, self.secret)}"

    def parse_callback(self, raw: Mapping[str, Any]) -> GatewayResult:
        """Read a return-URL or IPN query string; raises BadSignature unless it is signed with our secret for
        our terminal."""
        self._require()
        params = {str(key): str(value) for key, value in raw.items()}
        if not verify_params(params, self.secret):
            raise BadSignature("vnp_SecureHash missing or wrong")
        if not hmac.compare_digest(params.get("vnp_TmnCode", "").encode(), self.tmn_code.encode()):
            raise BadSignature("vnp_TmnCode is not ours")
        txn_ref, amount = params.get("vnp_TxnRef", ""), params.get("vnp_Amount", "")
        if not txn_ref or not amount.isdigit():
            raise MalformedCallback("vnp_TxnRef or vnp_Amount missing")
        code = params.get("vnp_ResponseCode", "")
        status = params.get("vnp_TransactionStatus", code)
        return GatewayResult(
            txn_ref=txn_ref, amount_minor=int(amount), success=code == "00" and status == "00",
            provider_txn_no=params.get("vnp_TransactionNo", ""), bank_code=params.get("vnp_BankCode", ""),
            card_type=params.get("vnp_CardType", ""), response_code=code,
            pay_date=parse_vnpay_time(params.get("vnp_PayDate", "")),
        )

    # -- transaction query -----------------------------------------------------------------------------

    def query_request(self, payment: Payment, *, now: dt.datetime | None = None,
                      request_id: str | None = None) -> dict[str, str]:
        body = {
            "vnp_RequestId": request_id or uuid.uuid4().hex,
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": payment.txn_ref,
            "vnp_OrderInfo": order_info(f"Truy van {payment.txn_ref}"),
            "vnp_TransactionDate": payment.create_date,
            "vnp_CreateDate": vnpay_time(now or dt.datetime.now(tz=GMT7)),
            "vnp_IpAddr": "127.0.0.1",
        }
        body["vnp_SecureHash"] = sign("|".join(body[field] for field in QUERY_REQUEST_FIELDS), self.secret)
        return body

    def answer_signature(self, answer: Mapping[str, object]) -> str:
        data = "|".join("" if answer.get(field) is None else str(answer.get(field)) for field in QUERY_ANSWER_FIELDS)
        return sign(data, self.secret)

    def query(self, payment: Payment) -> GatewayResult:
        """Ask VNPay what became of PAYMENT (querydr). The answer must be signed, or it is refused."""
        self._require()
        body = self.query_request(payment)
        try:
            response = requests.post(settings.MOTCUA_VNPAY_API_URL, json=body, timeout=settings.MOTCUA_VNPAY_TIMEOUT)
            response.raise_for_status()
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderError(f"VNPay querydr: {exc}") from exc
        if not isinstance(answer, dict):
            raise ProviderError("VNPay querydr: unexpected answer")
        if not signature_matches(self.answer_signature(answer), str(answer.get("vnp_SecureHash") or "")) or not (
            answer.get("vnp_SecureHash")
        ):
            raise BadSignature("VNPay querydr answer: vnp_SecureHash missing or wrong")
        code = str(answer.get("vnp_ResponseCode", ""))
        if code == "91":  # transaction not found
            return GatewayResult(txn_ref=payment.txn_ref, amount_minor=0, success=False, found=False,
                                 response_code=code)
        if code != "00":
            raise ProviderError(f"VNPay querydr answered {code}: {answer.get('vnp_Message', '')}")
        if str(answer.get("vnp_TxnRef", "")) != payment.txn_ref:
            raise BadSignature("VNPay querydr answer is about another order")
        amount = str(answer.get("vnp_Amount", ""))
        status = str(answer.get("vnp_TransactionStatus", ""))
        return GatewayResult(
            txn_ref=payment.txn_ref, amount_minor=int(amount) if amount.isdigit() else -1, success=status == "00",
            provider_txn_no=str(answer.get("vnp_TransactionNo", "")), bank_code=str(answer.get("vnp_BankCode", "")),
            response_code=status, pay_date=parse_vnpay_time(str(answer.get("vnp_PayDate", ""))),
        )
