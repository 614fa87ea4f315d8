"""The province administrator's access log (filters, CSV) and data-subject export by personal ID number."""

import csv
import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers.tests.helpers import land_dossier
from motcua.privacy.access import record_access
from motcua.privacy.models import AccessKind, DataAccess


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reads(demo_catalog, demo_agencies, clerk, specialist, other_clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, None)
    _signed_in(specialist).get(reverse("backoffice:dossier", args=[dossier.code]))
    as_other = _signed_in(other_clerk)
    as_other.post(reverse("privacy:reason", args=[dossier.code]), {"reason": "Thanh tra theo quyết định 45/QĐ"})
    as_other.get(reverse("backoffice:dossier", args=[dossier.code]))
    record_access(actor=clerk, kind=AccessKind.POPULATION_LOOKUP, purpose="intake",
                  subject_national_id="075090007777")
    return dossier


def test_only_the_province_administrator_opens_the_log(reads, province_admin, agency_admin, clerk, citizen):
    for user in (agency_admin, clerk, citizen):
        client = _signed_in(user)
        for name in ("privacy:access_log", "privacy:access_log_csv", "privacy:subject_export"):
            assert client.get(reverse(name)).status_code == 403
    assert Client().get(reverse("privacy:access_log")).status_code == 302
    page = _signed_in(province_admin).get(reverse("privacy:access_log"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Nhật ký truy cập dữ liệu cá nhân" in body and "4 lượt truy cập" in body
    assert "chuyenvien.vpdkdd" in body and "Thanh tra theo quyết định 45/QĐ" in body  # names shown here


def test_the_log_filters_and_its_csv_follows_the_filters(reads, province_admin, other_clerk):
    client = _signed_in(province_admin)
    page = client.get(reverse("privacy:access_log"), {"out_of_scope": "1"}).content.decode()
    assert "2 lượt truy cập" in page
    page = client.get(reverse("privacy:access_log"), {"national_id": "075090007777"}).content.decode()
    assert "1 lượt truy cập" in page
    page = client.get(reverse("privacy:access_log"), {"from": "not a date", "kind": "nonsense"}).content.decode()
    assert "4 lượt truy cập" in page  # bad filters are ignored, not an error
    response = client.get(reverse("privacy:access_log_csv"), {"reader": other_clerk.username})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["time", "reader", "reader_name"]
    assert [r[5] for r in rows[1:]] == ["dossier_view", "out_of_scope"]
    assert all(r[1] == other_clerk.username and r[10] == "1" and r[8] == "Thanh tra theo quyết định 45/QĐ"
               for r in rows[1:])


def test_a_csv_cell_cannot_start_a_formula(province_admin, clerk, demo_agencies):
    record_access(actor=clerk, kind=AccessKind.DOSSIER_VIEW, purpose="=HYPERLINK(\"http://x\")",
                  subject_national_id="075090001111")
    response = _signed_in(province_admin).get(reverse("privacy:access_log_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][8].startswith("'=")


def test_the_subject_export_by_id_needs_a_reason_and_is_logged(reads, province_admin, other_citizen):
    citizen = other_citizen  # Trần Thị Bình, 075195004321: the land dossier's applicant, received at the counter
    assert citizen.national_id == "075195004321"
    client = _signed_in(province_admin)
    assert client.get(reverse("privacy:subject_export")).status_code == 200
    bad = client.post(reverse("privacy:subject_export"), {"national_id": "12ab", "reason": "x"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Nhập số định danh cá nhân gồm 12 chữ số." in body and "ít nhất 10 ký tự" in body
    assert 'value="12ab"' in body  # what was typed is kept
    before = DataAccess.objects.count()
    response = client.post(reverse("privacy:subject_export"),
                           {"national_id": "075195004321", "reason": "Đơn yêu cầu số 12/2026 của công dân"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = json.loads(zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("du-lieu.json"))
    assert [d["code"] for d in data["dossiers"]] == [reads.code]
    assert data["account"]["username"] == citizen.username
    assert DataAccess.objects.count() == before + 1
    row = DataAccess.objects.order_by("-pk").first()
    assert (row.kind, row.actor, row.subject, row.purpose) == ("export", province_admin, citizen,
                                                               "Đơn yêu cầu số 12/2026 của công dân")
