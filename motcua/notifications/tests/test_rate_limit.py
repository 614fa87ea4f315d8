"""Per-recipient rate limit: later messages wait for their turn; none is dropped."""

import datetime as dt

from motcua.dossiers.tests.helpers import at
from motcua.notifications.actions import deliver, sweep
from motcua.notifications.models import OutboundMessage, Status
from motcua.notifications.tests.helpers import notified_land_dossier


def test_messages_over_the_hourly_limit_wait(demo_catalog, demo_agencies, clerk, sms_gateway, settings,
                                             django_capture_on_commit_callbacks):
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms"]
    settings.MOTCUA_NOTIFY_RATE_PER_HOUR = 2
    with django_capture_on_commit_callbacks(execute=True):
        for hour in (9, 10, 11):  # three dossiers of the same applicant, received within the same hour or so
            notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, hour))
    messages = list(OutboundMessage.objects.order_by("pk"))
    assert [m.status for m in messages] == [Status.SENT, Status.SENT, Status.PENDING]
    waiting = messages[2]
    assert waiting.attempts == 0 and "rate limit" in waiting.last_error
    first_sent = messages[0].sent_at
    assert first_sent is not None and waiting.next_attempt_at == first_sent + dt.timedelta(hours=1)
    assert deliver(waiting.pk) == "not due"

    sweep(now=waiting.next_attempt_at + dt.timedelta(minutes=2))
    assert deliver(waiting.pk, now=waiting.next_attempt_at + dt.timedelta(minutes=2)) == "sent"
    assert len(sms_gateway.requests) == 3


def test_daily_limit(demo_catalog, demo_agencies, clerk, sms_gateway, settings, django_capture_on_commit_callbacks):
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms"]
    settings.MOTCUA_NOTIFY_RATE_PER_HOUR = 0  # no hourly limit
    settings.MOTCUA_NOTIFY_RATE_PER_DAY = 1
    with django_capture_on_commit_callbacks(execute=True):
        notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9))
        notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 10))
    first, second = OutboundMessage.objects.order_by("pk")
    assert second.status == Status.PENDING
    assert first.sent_at is not None and second.next_attempt_at == first.sent_at + dt.timedelta(days=1)
