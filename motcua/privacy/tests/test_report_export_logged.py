"""A leader's Excel list of dossiers carries the applicants' names: each exported dossier is a logged read."""

import pytest
from django.urls import reverse

from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.privacy.models import DataAccess


@pytest.fixture
def immediate_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}


def test_each_dossier_in_the_export_is_logged_for_its_applicant(client, demo_catalog, demo_agencies, clerk, leader,
                                                                other_citizen, immediate_jobs,
                                                                django_capture_on_commit_callbacks):
    dossiers = [land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, day)) for day in (2, 3)]
    land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 10, 5))  # outside the period: not exported
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export_start"), {"tu": "2026-11", "den": "2026-11", "so_lieu": "received"})
    rows = DataAccess.objects.filter(kind="export").order_by("dossier_id")
    assert [r.dossier for r in rows] == sorted(dossiers, key=lambda d: d.pk)
    assert all(r.actor == leader and r.subject_national_id == "075195004321" and r.purpose == "report_export"
               and r.actor_role == "leader" and ".xlsx (export #" in r.detail
               for r in rows)
    # Trần Thị Bình (075195004321) sees it under "My account".
    client.force_login(other_citizen)
    page = client.get(reverse("privacy:my_account")).content.decode()
    assert page.count("Xuất số liệu thống kê") == 2
