"""Call records in the Django admin: searchable by system, operation, dossier code and status, filtered by date,
and read-only."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.integrations.models import CallRecord

URL = "/quan-tri/integrations/callrecord/"


@pytest.fixture
def superuser_client(client, db):
    user = get_user_model().objects.create_superuser("quantri.he-thong", "qt@example.invalid", "mat-khau-dai-0123")
    client.force_login(user)
    return client


def test_search_and_read_only(superuser_client, demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 12, 1, 9))
    now = timezone.now()
    CallRecord.objects.create(system="dvcqg", operation="DongBoHoSoMC", dossier=dossier, status_code=503,
                              error="HTTP 503", created_at=now)
    CallRecord.objects.create(system="vnpost", operation="TaoDonHang", status_code=200,
                              created_at=now - dt.timedelta(days=40))

    def rows(**params):
        page = superuser_client.get(URL, params)
        assert page.status_code == 200
        return page.context["cl"].result_count

    assert rows() == 2
    assert rows(q=dossier.code) == 1
    assert rows(q="TaoDonHang") == 1 and rows(q="vnpost") == 1
    assert rows(q="503") == 1 and rows(q="khong-co") == 0
    today = timezone.localdate()
    assert rows(created_at__year=today.year, created_at__month=today.month, created_at__day=today.day) == 1
    record = CallRecord.objects.get(system="dvcqg")
    assert superuser_client.get(URL + "add/").status_code == 403
    assert superuser_client.post(URL + f"{record.pk}/delete/", {"post": "yes"}).status_code == 403
    superuser_client.post(URL + f"{record.pk}/change/", {"system": "khac"})
    record.refresh_from_db()
    assert record.system == "dvcqg"
