"""The contract every payment gateway adapter keeps, and the registry of adapters.

An adapter builds the URL that sends the payer to the gateway, verifies and reads the gateway's callbacks (in
constant time, refusing anything unsigned), and asks the gateway for a transaction's status. Business rules
(which payment, how much, what it settles) live in `payments.callbacks`, the same for every gateway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from motcua.payments.models import Payment, Provider


class ProviderError(Exception):
    """The gateway could not be reached or answered something unusable (try again later)."""


class ProviderUnavailable(ProviderError):
    """This gateway is not configured."""


class BadSignature(Exception):
    """A callback or an answer whose signature is missing or wrong: it is ignored."""


class MalformedCallback(Exception):
    """A correctly signed callback that lacks a field we need or has one we cannot read."""


@dataclass(frozen=True)
class GatewayResult:
    """What a gateway says about one transaction (from a callback or a query)."""

    txn_ref: str
    amount_minor: int  # the gateway's unit: VND × 100
    success: bool
    found: bool = True
    provider_txn_no: str = ""
    bank_code: str = ""
    card_type: str = ""
    response_code: str = ""
    pay_date: dt.datetime | None = None


class PaymentProvider(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def configured(self) -> bool: ...

    def payment_url(self, payment: Payment, *, return_url: str, locale: str = "vn") -> str: ...

    def parse_callback(self, params: Mapping[str, Any]) -> GatewayResult: ...

    def query(self, payment: Payment) -> GatewayResult: ...


def provider_for(code: str) -> PaymentProvider:
    from motcua.payments.paygov import NationalPlatformProvider
    from motcua.payments.vnpay import VNPayProvider

    if code == Provider.VNPAY:
        return VNPayProvider()
    if code == Provider.PAYGOV:
        return NationalPlatformProvider()
    raise ProviderUnavailable(f"unknown payment provider {code!r}")


def online_providers() -> list[PaymentProvider]:
    """The gateways this deployment offers to applicants (those that are configured)."""
    return [provider for provider in (provider_for(Provider.VNPAY), provider_for(Provider.PAYGOV))
            if provider.configured]
