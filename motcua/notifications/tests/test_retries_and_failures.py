"""Provider faults: bounded retries with a growing wait, a final failed state, never a blocked dossier."""

import datetime as dt

from django.utils import timezone

from motcua.dossiers import actions
from motcua.dossiers.tests.helpers import at
from motcua.notifications.actions import backoff, deliver, retry_now, sweep
from motcua.notifications.models import Channel, DeliveryAttempt, Kind, OutboundMessage, Status
from motcua.notifications.tests.helpers import notified, notified_land_dossier


def run_until_settled(message, limit=20):
    """Sweep at each message's next attempt time (the job engine's deferred run, fast-forwarded)."""
    for _ in range(limit):
        message.refresh_from_db()
        if message.status in (Status.SENT, Status.FAILED):
            return message
        sweep(now=message.next_attempt_at + dt.timedelta(seconds=61))
        deliver(message.pk, now=message.next_attempt_at + dt.timedelta(seconds=61))
    raise AssertionError("message did not settle")


def test_transient_faults_are_retried_with_backoff_then_sent(demo_catalog, demo_agencies, clerk, sms_gateway,
                                                             settings, django_capture_on_commit_callbacks):
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms"]
    sms_gateway.faults.extend([503, 429, "slow", "reject"])  # 5xx, rate limited, time-out, provider error code
    with django_capture_on_commit_callbacks(execute=True):
        dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    message = OutboundMessage.objects.get(dossier=dossier)
    assert message.status == Status.PENDING and message.attempts == 1
    assert "HTTP 503" in message.last_error
    first_wait = message.next_attempt_at - message.updated_at
    assert dt.timedelta(seconds=59) < first_wait <= dt.timedelta(seconds=61)

    message = run_until_settled(message)
    assert message.status == Status.SENT and message.attempts == 5
    outcomes = list(message.delivery_attempts.values_list("outcome", flat=True))
    assert outcomes == ["retry", "retry", "retry", "retry", "sent"]
    # Every try carried the same idempotency key; the gateway delivered the message once.
    assert sms_gateway.request_counts() == {str(message.uid): 5}
    assert len(sms_gateway.delivered) == 1


def test_backoff_doubles_and_is_capped(settings):
    settings.MOTCUA_NOTIFY_BACKOFF_SECONDS = 60
    settings.MOTCUA_NOTIFY_BACKOFF_MAX_SECONDS = 600
    assert [backoff(n).total_seconds() for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_retries_are_bounded_and_end_failed(demo_catalog, demo_agencies, clerk, smtp, settings,
                                            django_capture_on_commit_callbacks):
    settings.MOTCUA_NOTIFY_CHANNELS = ["email"]
    settings.MOTCUA_NOTIFY_MAX_ATTEMPTS = 3
    smtp.faults.extend(["451"] * 10)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    message = run_until_settled(OutboundMessage.objects.get(dossier=dossier))
    assert message.status == Status.FAILED and message.attempts == 3
    assert "451" in message.last_error
    assert list(message.delivery_attempts.values_list("outcome", flat=True)) == ["retry", "retry", "failed"]
    assert smtp.messages == []
    # Nothing more happens to a failed message, whatever runs.
    sweep(now=timezone.now() + dt.timedelta(days=1))
    assert deliver(message.pk) == "not pending"

    # An administrator sends it again once the mail server is back: same message id.
    smtp.faults.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_now(message)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert smtp.message_ids() == {f"<{message.uid}@dongnai.gov.vn>": 1}


def test_permanent_refusal_fails_at_once(demo_catalog, demo_agencies, clerk, smtp, sms_gateway,
                                         django_capture_on_commit_callbacks):
    smtp.faults.append("550")
    sms_gateway.faults.append(400)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    for message in OutboundMessage.objects.filter(dossier=dossier):
        assert message.status == Status.FAILED and message.attempts == 1, message.channel
        assert list(message.delivery_attempts.values_list("outcome", flat=True)) == [DeliveryAttempt.Outcome.FAILED]
    assert "550" in OutboundMessage.objects.get(dossier=dossier, channel=Channel.EMAIL).last_error


def test_failed_zns_falls_back_to_one_sms(demo_catalog, demo_agencies, clerk, zns_gateway, sms_gateway,
                                         zns_templates, settings, django_capture_on_commit_callbacks):
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms", "zns"]
    settings.MOTCUA_NOTIFY_MAX_ATTEMPTS = 2
    zns_gateway.faults.extend(["reject", "reject"])  # e.g. the number has no Zalo account
    with django_capture_on_commit_callbacks(execute=True):
        dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    zns = OutboundMessage.objects.get(dossier=dossier, channel=Channel.ZNS)
    with django_capture_on_commit_callbacks(execute=True):
        zns = run_until_settled(zns)
    assert zns.status == Status.FAILED
    sms = OutboundMessage.objects.get(dossier=dossier, channel=Channel.SMS)
    assert sms.status == Status.SENT and sms.event_id == zns.event_id and sms.kind == Kind.RECEIVED
    assert len(sms_gateway.requests) == 1


def test_a_provider_outage_never_blocks_the_dossier(demo_catalog, demo_agencies, clerk, settings, sms_gateway,
                                                    django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    sms_gateway.stop()  # and the gateway is down
    with django_capture_on_commit_callbacks(execute=True):
        dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
        dossier = notified(actions.forward_dossier, dossier, actor=clerk)
    assert dossier.status == "processing"
    assert {m.status for m in OutboundMessage.objects.filter(dossier=dossier)} == {Status.PENDING}
