"""A DEMO stand-in for VNPay's payment page, for the demo and the tests (`MOTCUA_DEMO_PAYMENTS=true`; production
refuses the setting). No money moves: it plays the gateway's part of VNPay's payment-URL protocol (API 2.1.0).

- It reads the payment URL our client builds (`vnpay.VNPayProvider.payment_url`) and accepts it only when
  `vnp_SecureHash` is valid for our hash secret (`vnpay.verify_params`, the same HMAC-SHA512 over the sorted,
  form-encoded parameters), `vnp_TmnCode` is our terminal, `vnp_Command` is `pay`, the amount is a positive
  number of hundredths of a đồng and the order has not expired.
- The payer's choice gives the result VNPay would send: response code `00` (paid, transaction status `00`) or
  `24` (the customer cancelled, transaction status `02`), signed with the same helper.
- The view then notifies our IPN handler (`callbacks.process_callback`, the function the IPN view calls) with those
  parameters, and sends the browser to `vnp_ReturnUrl` with them. Only the IPN handler changes a payment, so its
  checks and idempotency apply (paying twice or replaying changes nothing).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from motcua.payments.vnpay import VERSION, canonical, parse_vnpay_time, sign, verify_params, vnpay_time

PAID, CANCELLED = "00", "24"
DEMO_BANK = "NCB"


class OrderRefused(Exception):
    """A payment request the stand-in refuses; the message is shown to the payer (Vietnamese and English)."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} ({message_en})")
        self.message_vi = message_vi
        self.message_en = message_en


@dataclass(frozen=True)
class DemoOrder:
    tmn_code: str
    txn_ref: str
    amount_minor: int
    order_info: str
    return_url: str

    @property
    def amount(self) -> int:
        """In đồng (VNPay counts hundredths)."""
        return self.amount_minor // 100


def read_order(params: Mapping[str, str], *, tmn_code: str, secret: str, now: dt.datetime) -> DemoOrder:
    """The order a payment URL asks to pay, if VNPay would accept it; else OrderRefused."""
    if not secret or not tmn_code:
        raise OrderRefused("Cổng thanh toán demo chưa có mã website và khóa bí mật (MOTCUA_VNPAY_TMN_CODE, "
                           "MOTCUA_VNPAY_HASH_SECRET).",
                           "The demo gateway has no terminal code and hash secret (MOTCUA_VNPAY_TMN_CODE, "
                           "MOTCUA_VNPAY_HASH_SECRET).")
    if not verify_params(params, secret):
        raise OrderRefused("Sai chữ ký (vnp_SecureHash): yêu cầu thanh toán bị từ chối.",
                           "Invalid signature (vnp_SecureHash): the payment request is refused.")
    if params.get("vnp_TmnCode") != tmn_code:
        raise OrderRefused("Mã website (vnp_TmnCode) không đúng.", "Unknown terminal code (vnp_TmnCode).")
    amount = params.get("vnp_Amount", "")
    if params.get("vnp_Command") != "pay" or params.get("vnp_Version") != VERSION or not params.get("vnp_TxnRef") \
            or not amount.isdigit() or int(amount) <= 0 or not params.get("vnp_ReturnUrl"):
        raise OrderRefused("Yêu cầu thanh toán thiếu hoặc sai tham số.",
                           "The payment request has missing or wrong parameters.")
    expires = parse_vnpay_time(params.get("vnp_ExpireDate", ""))
    if expires is not None and expires < now:
        raise OrderRefused("Giao dịch đã quá thời gian chờ thanh toán.", "The payment request has expired.")
    return DemoOrder(tmn_code=tmn_code, txn_ref=params["vnp_TxnRef"], amount_minor=int(amount),
                     order_info=params.get("vnp_OrderInfo", ""), return_url=params["vnp_ReturnUrl"])


def result_params(order: DemoOrder, *, paid: bool, secret: str, now: dt.datetime) -> dict[str, str]:
    """The signed result VNPay sends to the IPN and the return URL: paid (00) or cancelled by the payer (24)."""
    params = {
        "vnp_Amount": str(order.amount_minor),
        "vnp_BankCode": DEMO_BANK,
        "vnp_CardType": "ATM" if paid else "",
        "vnp_OrderInfo": order.order_info,
        "vnp_PayDate": vnpay_time(now),
        "vnp_ResponseCode": PAID if paid else CANCELLED,
        "vnp_TmnCode": order.tmn_code,
        "vnp_TransactionNo": f"9{secrets.randbelow(10**7):07d}" if paid else "0",
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TxnRef": order.txn_ref,
    }
    if paid:
        params["vnp_BankTranNo"] = f"DEMO{secrets.randbelow(10**8):08d}"
    params = {key: value for key, value in params.items() if value != ""}
    params["vnp_SecureHash"] = sign(canonical(params), secret)
    return params


def return_location(order: DemoOrder, result: Mapping[str, str]) -> str:
    """vnp_ReturnUrl with the signed result, encoded as VNPay and our client encode it."""
    unsigned = {key: value for key, value in result.items() if key != "vnp_SecureHash"}
    query = f"{canonical(unsigned)}&vnp_SecureHash={result['vnp_SecureHash']}"
    return f"{order.return_url}{'&' if '?' in order.return_url else '?'}{query}"

