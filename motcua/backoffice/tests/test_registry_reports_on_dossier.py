"""The applicant's reports that their registry data is wrong ("Báo thông tin sai", made online) are shown to the
clerk on the dossier page, each shown report a logged read; the clerk marks one handled (idempotent); staff of
another agency, or a report of another person, change nothing."""

import pytest
from django.urls import reverse

from motcua.portal.models import RegistryDataReport
from motcua.privacy.models import AccessKind, DataAccess


@pytest.fixture
def report(received, other_citizen):
    assert received.applicant_id_number == other_citizen.national_id
    return RegistryDataReport.objects.create(user=other_citizen, national_id=other_citizen.national_id,
                                             field="date_of_birth", registry_value="1995-09-20",
                                             comment="Ngày sinh đúng là 20/09/1994")


def reads():
    return list(DataAccess.objects.filter(kind=AccessKind.REGISTRY_REPORT_VIEW).order_by("pk"))


def test_the_clerk_sees_the_open_report_on_the_dossier_and_the_read_is_logged(as_clerk, clerk, received, report,
                                                                              other_citizen):
    page = as_clerk.get(reverse("backoffice:dossier", args=[received.code])).content.decode()
    assert "Người nộp hồ sơ báo thông tin trong CSDL dân cư bị sai" in page
    assert "1995-09-20" in page and "Ngày sinh đúng là 20/09/1994" in page and "Đánh dấu đã xử lý" in page
    [read] = reads()
    assert (read.actor, read.subject, read.dossier) == (clerk, other_citizen, received)
    assert read.detail == f"report #{report.pk} date_of_birth"


def test_marking_it_handled_takes_it_off_the_page_and_again_changes_nothing(as_clerk, received, report):
    url = reverse("backoffice:dossier_registry_report_handled", args=[received.code])
    for _ in range(2):
        response = as_clerk.post(url, {"report": str(report.pk)}, follow=True)
        assert response.status_code == 200
        assert "Đã đánh dấu phản ánh là đã xử lý." in response.content.decode()
    report.refresh_from_db()
    assert report.status == RegistryDataReport.Status.HANDLED
    page = as_clerk.get(reverse("backoffice:dossier", args=[received.code])).content.decode()
    assert "Người nộp hồ sơ báo thông tin trong CSDL dân cư bị sai" not in page


@pytest.mark.parametrize("posted", ["", "abc", "99999999", "1" * 40])
def test_an_unknown_report_is_a_clear_error_and_nothing_changes(as_clerk, received, report, posted):
    response = as_clerk.post(reverse("backoffice:dossier_registry_report_handled", args=[received.code]),
                             {"report": posted}, follow=True)
    assert "Không tìm thấy phản ánh này của người nộp hồ sơ." in response.content.decode()
    report.refresh_from_db()
    assert report.status == RegistryDataReport.Status.OPEN


def test_a_report_of_another_person_cannot_be_marked_from_this_dossier(as_clerk, received, citizen):
    others = RegistryDataReport.objects.create(user=citizen, national_id=citizen.national_id, field="sex",
                                               registry_value="Nam")
    as_clerk.post(reverse("backoffice:dossier_registry_report_handled", args=[received.code]),
                  {"report": str(others.pk)})
    others.refresh_from_db()
    assert others.status == RegistryDataReport.Status.OPEN


def test_the_error_speaks_english_when_the_clerk_chose_english(as_clerk, received, report):
    as_clerk.cookies["django_language"] = "en"
    page = as_clerk.post(reverse("backoffice:dossier_registry_report_handled", args=[received.code]),
                         {"report": "x"}, follow=True).content.decode()
    assert "This report of the applicant was not found." in page and "Không tìm thấy phản ánh" not in page


def test_staff_of_another_agency_get_nothing(as_other_clerk, received, report):
    response = as_other_clerk.post(reverse("backoffice:dossier_registry_report_handled", args=[received.code]),
                                   {"report": str(report.pk)})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == RegistryDataReport.Status.OPEN and not reads()
