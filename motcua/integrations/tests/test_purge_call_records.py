"""`manage.py purge_call_records` deletes call records older than the retention period, and only those."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from motcua.integrations.models import CallRecord

pytestmark = pytest.mark.django_db


def _record(age_days):
    return CallRecord.objects.create(system="dvcqg", operation="LayThuTuc", status_code=200,
                                     created_at=timezone.now() - dt.timedelta(days=age_days))


@override_settings(MOTCUA_INTEGRATION_RETENTION_DAYS=30)
def test_purge_keeps_the_retention_period_and_is_idempotent():
    old, kept = _record(31), _record(29)
    out = StringIO()
    call_command("purge_call_records", stdout=out)
    assert "1 call record(s) deleted" in out.getvalue()
    assert list(CallRecord.objects.values_list("pk", flat=True)) == [kept.pk]
    call_command("purge_call_records", stdout=StringIO())
    assert CallRecord.objects.filter(pk=kept.pk).exists() and not CallRecord.objects.filter(pk=old.pk).exists()


def test_the_default_retention_is_400_days():
    _record(401), _record(399)
    call_command("purge_call_records", stdout=StringIO())
    assert CallRecord.objects.count() == 1
