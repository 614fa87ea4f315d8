"""One delivery per message: the conditional claim, the lease taken back after a worker dies, the sweep."""

import datetime as dt
import uuid

from django.utils import timezone

from motcua.dossiers.tests.helpers import at
from motcua.notifications.actions import deliver, sweep
from motcua.notifications.models import DeliveryAttempt, OutboundMessage, Status
from motcua.notifications.tests.helpers import notified_land_dossier


def test_a_message_is_claimed_once(demo_catalog, demo_agencies, clerk, sms_gateway, settings):
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms"]
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))  # not committed: no job
    message = OutboundMessage.objects.get(dossier=dossier)
    assert deliver(message.pk) == "sent"
    assert deliver(message.pk) == "not pending"
    assert len(sms_gateway.requests) == 1
    # The claim is a conditional UPDATE: of two workers that read "pending", only one moves it.
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.PENDING)
    first = OutboundMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(status=Status.SENDING)
    second = OutboundMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(status=Status.SENDING)
    assert (first, second) == (1, 0)


def test_a_lost_lease_is_taken_back_and_sent_with_the_same_key(demo_catalog, demo_agencies, clerk, sms_gateway,
                                                                settings, django_capture_on_commit_callbacks):
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms"]
    settings.MOTCUA_NOTIFY_LEASE_SECONDS = 300
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    message = OutboundMessage.objects.get(dossier=dossier)
    # A worker claimed it, the gateway accepted it, and the worker died before recording "sent".
    claimed_at = timezone.now() - dt.timedelta(minutes=10)
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claim_token=uuid.uuid4(),
                                                         claimed_at=claimed_at, attempts=1)
    sms_gateway.delivered[str(message.uid)] = {"RequestId": str(message.uid)}

    with django_capture_on_commit_callbacks(execute=True):
        report = sweep()
    assert (report.recovered, report.requeued) == (1, 1)
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2
    assert list(message.delivery_attempts.values_list("outcome", flat=True)) == [
        DeliveryAttempt.Outcome.INTERRUPTED, DeliveryAttempt.Outcome.SENT]
    assert sms_gateway.request_counts() == {str(message.uid): 1}
    assert len(sms_gateway.delivered) == 1  # the repeat carried the same RequestId: one SMS on the phone


def test_a_fresh_lease_is_left_alone(demo_catalog, demo_agencies, clerk, settings):
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms"]
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    message = OutboundMessage.objects.get(dossier=dossier)
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=timezone.now())
    assert sweep().recovered == 0
    message.refresh_from_db()
    assert message.status == Status.SENDING


def test_a_message_interrupted_too_often_fails(demo_catalog, demo_agencies, clerk, settings):
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms"]
    settings.MOTCUA_NOTIFY_MAX_ATTEMPTS = 2
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    message = OutboundMessage.objects.get(dossier=dossier)
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING, claim_token=uuid.uuid4(), claimed_at=timezone.now() - dt.timedelta(hours=1),
        attempts=2)
    assert sweep().failed == 1
    message.refresh_from_db()
    assert message.status == Status.FAILED and "worker stopped" in message.last_error


def test_overdue_messages_are_queued_again(demo_catalog, demo_agencies, clerk, sms_gateway, settings,
                                           django_capture_on_commit_callbacks):
    """A message committed while the job engine was unreachable (enqueue lost) is picked up by the sweep."""
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms"]
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))  # on_commit never ran
    message = OutboundMessage.objects.get(dossier=dossier)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().requeued == 0  # just written: its own job is presumably on its way
        assert sweep(now=timezone.now() + dt.timedelta(minutes=5)).requeued == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
