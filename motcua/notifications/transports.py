"""How a message leaves: one transport per channel, chosen by settings.

Every transport sends the message's `uid` as the provider's idempotency key (SMS `RequestId`, ZNS `tracking_id`,
email `Message-ID`), so that sending the same message again after a crash is recognised as a repeat.
A transport raises `TemporaryFailure` (retry later) or `PermanentFailure` (give up), and returns the provider's
message id when the provider accepted the message.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from motcua.notifications.models import Channel, OutboundMessage
from motcua.notifications.rendering import fold_for_sms

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    pass


class TemporaryFailure(DeliveryError):
    """The provider could not take the message now (network, 5xx, 429, 4xx SMTP reply): try again later."""


class PermanentFailure(DeliveryError):
    """The provider refused the message for good (bad recipient, bad request): do not try again."""


@dataclass(frozen=True)
class Accepted:
    provider_message_id: str


class Transport(Protocol):
    def send(self, message: OutboundMessage) -> Accepted: ...


class LogTransport:
    """The demo default: writes the message to the log and counts it as sent."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, message: OutboundMessage) -> Accepted:
        logger.info("[%s → %s] %s %s", self.channel, message.recipient, message.subject,
                    message.body or message.template_data)
        return Accepted(provider_message_id=f"log-{message.uid}")


def message_id_header(message: OutboundMessage) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "motcua.local"
    return f"<{message.uid}@{domain}>"


class EmailTransport:
    """Email through Django's configured backend (SMTP in production, the console in the demo)."""

    def send(self, message: OutboundMessage) -> Accepted:
        email = EmailMessage(
            subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient], headers={"Message-ID": message_id_header(message)},
            connection=get_connection(fail_silently=False),
        )
        try:
            sent = email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            if codes and all(400 <= code < 500 for code in codes):
                raise TemporaryFailure(f"SMTP recipient deferred: {exc.recipients}") from exc
            raise PermanentFailure(f"SMTP recipient refused: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                raise TemporaryFailure(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
            raise PermanentFailure(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"SMTP: {exc!r}") from exc
        if sent != 1:
            raise TemporaryFailure("the email backend did not send the message")
        return Accepted(provider_message_id=message_id_header(message))


def _post_json(url: str, payload: dict[str, Any], *, headers: dict[str, str], timeout: int) -> dict[str, Any]:
    """POST PAYLOAD; map the HTTP outcome to a temporary or permanent failure; return the JSON answer."""
    try:
        response = requests.post(url, json=payload, headers=headers, timeout=timeout)
    except requests.RequestException as exc:
        raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code in (408, 425, 429) or response.status_code >= 500:
        raise TemporaryFailure(f"HTTP {response.status_code}: {response.text[:200]}")
    if response.status_code >= 400:
        raise PermanentFailure(f"HTTP {response.status_code}: {response.text[:200]}")
    try:
        answer = response.json()
    except ValueError as exc:
        raise TemporaryFailure(f"not JSON: {response.text[:200]}") from exc
    if not isinstance(answer, dict):
        raise TemporaryFailure(f"unexpected answer: {response.text[:200]}")
    return answer


class HttpSmsTransport:
    """An SMS brandname gateway with a JSON API shaped like eSMS's SendMultipleMessage_V4_post_json.

    `RequestId` is the message's uid: the gateway treats a repeated RequestId as the same request.
    `CodeResult` "100" means accepted; any other code is retried (bounded) and then the message fails.
    """

    def send(self, message: OutboundMessage) -> Accepted:
        text = message.body if settings.MOTCUA_SMS_UNICODE else fold_for_sms(message.body)
        payload = {
            "ApiKey": settings.MOTCUA_SMS_API_KEY,
            "SecretKey": settings.MOTCUA_SMS_SECRET_KEY,
            "Phone": message.recipient,
            "Content": text,
            "Brandname": settings.MOTCUA_SMS_BRANDNAME,
            "SmsType": settings.MOTCUA_SMS_TYPE,
            "IsUnicode": "1" if settings.MOTCUA_SMS_UNICODE else "0",
            "Sandbox": "1" if settings.MOTCUA_SMS_SANDBOX else "0",
            "RequestId": str(message.uid),
        }
        answer = _post_json(settings.MOTCUA_SMS_URL, payload, headers={}, timeout=settings.MOTCUA_SMS_TIMEOUT)
        code = str(answer.get("CodeResult", ""))
        if code != "100":
            raise TemporaryFailure(f"SMS gateway CodeResult {code}: {answer.get('ErrorMessage', '')}")
        return Accepted(provider_message_id=str(answer.get("SMSID") or message.uid))


class HttpZnsTransport:
    """Zalo Notification Service: a template approved at Zalo, sent to a phone number (84xxxxxxxxx).

    `tracking_id` is the message's uid. `error` 0 means accepted; other codes are retried (bounded).
    """

    def send(self, message: OutboundMessage) -> Accepted:
        payload: dict[str, Any] = {
            "phone": message.recipient,
            "template_id": message.zns_template_id,
            "template_data": message.template_data,
            "tracking_id": str(message.uid),
        }
        if settings.MOTCUA_ZNS_DEVELOPMENT_MODE:
            payload["mode"] = "development"
        answer = _post_json(settings.MOTCUA_ZNS_URL, payload,
                            headers={"access_token": settings.MOTCUA_ZNS_ACCESS_TOKEN},
                            timeout=settings.MOTCUA_ZNS_TIMEOUT)
        error = answer.get("error")
        if error != 0:
            raise TemporaryFailure(f"ZNS error {error}: {answer.get('message', '')}")
        data = answer.get("data") or {}
        return Accepted(provider_message_id=str(data.get("msg_id") or message.uid))


def transport_for(channel: str) -> Transport:
    if channel == Channel.EMAIL:
        return EmailTransport()
    if channel == Channel.SMS:
        return HttpSmsTransport() if settings.MOTCUA_SMS_BACKEND == "http" else LogTransport(channel)
    if channel == Channel.ZNS:
        return HttpZnsTransport() if settings.MOTCUA_ZNS_BACKEND == "http" else LogTransport(channel)
    raise PermanentFailure(f"unknown channel {channel!r}")
