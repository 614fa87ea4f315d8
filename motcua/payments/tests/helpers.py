"""A test-side VNPay: signs notifications the way the gateway does, written independently of motcua.payments
(urllib's urlencode), with the test terminal's secret."""

import hashlib
import hmac
from urllib.parse import quote_plus, urlencode

from motcua.payments.tests.conftest import HASH_SECRET, TMN_CODE


def gateway_sign(params, secret=HASH_SECRET, digest=hashlib.sha512):
    signed = sorted((k, v) for k, v in params.items() if k not in ("vnp_SecureHash", "vnp_SecureHashType"))
    data = urlencode(signed, quote_via=quote_plus)
    return hmac.new(secret.encode(), data.encode(), digest).hexdigest()


def ipn(payment, *, success=True, amount=None, secret=HASH_SECRET, transaction_no="14626789", **overrides):
    """The query string VNPay calls the IPN URL with, for PAYMENT."""
    params = {
        "vnp_Amount": str((payment.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14626789", "vnp_CardType": "ATM",
        "vnp_OrderInfo": f"Thanh toan {payment.invoice.number}", "vnp_PayDate": "20261202093015",
        "vnp_ResponseCode": "00" if success else "24", "vnp_TmnCode": TMN_CODE,
        "vnp_TransactionNo": transaction_no, "vnp_TransactionStatus": "00" if success else "02",
        "vnp_TxnRef": payment.txn_ref,
    }
    params.update(overrides)
    params["vnp_SecureHash"] = gateway_sign(params, secret)
    return params
