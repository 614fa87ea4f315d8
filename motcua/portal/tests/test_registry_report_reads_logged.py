"""Staff reading the citizens' reports of wrong registry data ("Báo thông tin sai": the registry's value and what
the citizen says) is a read of that citizen's data: the report's page and the list are logged in the access log."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from motcua.portal.models import RegistryDataReport
from motcua.privacy.models import AccessKind, DataAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(citizen, other_citizen):
    return [RegistryDataReport.objects.create(user=person, national_id=person.national_id, field="date_of_birth",
                                              registry_value=value, comment="Ngày sinh sai")
            for person, value in ((citizen, "1990-03-15"), (other_citizen, "1995-09-20"))]


@pytest.fixture
def reviewer(clerk):
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_registrydatareport",
                                                                        "change_registrydatareport"]))
    return clerk


def report_reads():
    return list(DataAccess.objects.filter(kind=AccessKind.REGISTRY_REPORT_VIEW).order_by("pk"))


def test_opening_a_report_is_a_logged_read_of_the_citizens_data(client, reviewer, reports, citizen):
    client.force_login(reviewer)
    url = reverse("admin:portal_registrydatareport_change", args=[reports[0].pk])
    page = client.get(url)
    assert page.status_code == 200 and "1990-03-15" in page.content.decode()
    [read] = report_reads()
    assert (read.actor, read.subject, read.subject_national_id) == (reviewer, citizen, citizen.national_id)
    assert read.detail == f"report #{reports[0].pk} date_of_birth" and "CSDL dân cư" in read.purpose
    assert read.actor_role == "clerk"
    client.get(url)  # a reload within the window: one line
    assert len(report_reads()) == 1


def test_the_list_logs_a_read_per_report_shown(client, reviewer, reports, citizen, other_citizen):
    client.force_login(reviewer)
    page = client.get(reverse("admin:portal_registrydatareport_changelist"))
    assert page.status_code == 200 and "1995-09-20" in page.content.decode()
    assert {(r.subject, r.detail.split()[0]) for r in report_reads()} == {(citizen, "list"), (other_citizen, "list")}
    filtered = client.get(reverse("admin:portal_registrydatareport_changelist") + f"?q={citizen.national_id}")
    assert filtered.status_code == 200
    assert len(report_reads()) == 2  # the same report in the list again within the window: coalesced


def test_a_user_refused_the_page_reads_nothing(client, other_clerk, reports):
    other_clerk.is_staff = True
    other_clerk.save()
    client.force_login(other_clerk)  # no permission on the reports
    assert client.get(reverse("admin:portal_registrydatareport_change", args=[reports[0].pk])).status_code in (302,
                                                                                                             403)
    assert client.get(reverse("admin:portal_registrydatareport_changelist")).status_code == 403
    assert report_reads() == []
