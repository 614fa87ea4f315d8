"""The sweep queues a message again only when its job is lost, not while the job waits behind a backlog."""

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.tests.helpers import at
from motcua.notifications.actions import schedule, sweep
from motcua.notifications.models import OutboundMessage
from motcua.notifications.tests.helpers import notified_land_dossier

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DELIVER = "motcua.notifications.tasks.deliver_message"


def test_a_queued_message_is_not_queued_again(demo_catalog, demo_agencies, clerk, settings,
                                              django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms"]
    settings.MOTCUA_NOTIFY_SWEEP_SECONDS = 1
    settings.MOTCUA_NOTIFY_LEASE_SECONDS = 60
    dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    message = OutboundMessage.objects.get(dossier=dossier)
    jobs = DBTaskResult.objects.filter(task_path=DELIVER)
    schedule([message.pk])
    assert jobs.count() == 1
    message.refresh_from_db()
    assert message.job_id == str(jobs.get().id)

    later = timezone.now() + dt.timedelta(minutes=5)  # the backlog: five minutes and the job has not run
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(now=later).requeued == 0
    assert jobs.count() == 1

    # A worker took the job and died before claiming the message: once the lease has passed, queued again.
    jobs.update(status="RUNNING", started_at=later - dt.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(now=later + dt.timedelta(seconds=2)).requeued == 1
    assert jobs.count() == 2

    # The job record is gone (pruned): queued again.
    jobs.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(now=later + dt.timedelta(seconds=4)).requeued == 1
    assert jobs.count() == 1
