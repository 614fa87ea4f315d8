"""The Django admin (in Vietnamese) shows each administrator only what their role covers."""

import pytest
from django.urls import reverse

from motcua.directory.models import Role, StaffAssignment


@pytest.fixture
def admin_client_for(client):
    def login(user):
        client.force_login(user)
        return client
    return login


def test_admin_is_in_vietnamese(admin_client_for, province_admin):
    page = admin_client_for(province_admin).get(reverse("admin:index"))
    assert page.status_code == 200
    assert "Quản trị" in page.content.decode()


def test_agency_admin_sees_only_staff_of_own_subtree(admin_client_for, agency_admin, demo_agencies):
    page = admin_client_for(agency_admin).get(reverse("admin:directory_staffassignment_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "chuyenvien.vpdkdd" in text or "Trần Văn Đức" in text
    assert "Đặng Thu Hà" not in text  # the tax specialist


def test_agency_admin_cannot_open_another_agencys_assignment(admin_client_for, agency_admin, tax_specialist):
    foreign = StaffAssignment.objects.get(user=tax_specialist)
    url = reverse("admin:directory_staffassignment_change", args=[foreign.pk])
    assert admin_client_for(agency_admin).get(url).status_code in (302, 403, 404)


def test_agency_admin_cannot_create_a_province_admin(admin_client_for, agency_admin, citizen, demo_agencies):
    client = admin_client_for(agency_admin)
    response = client.post(reverse("admin:directory_staffassignment_add"), {
        "user": citizen.pk, "agency": demo_agencies["land_office"].pk, "role": Role.PROVINCE_ADMIN, "is_active": "on",
    })
    assert response.status_code == 200  # the form is shown again with an error
    assert not StaffAssignment.objects.filter(user=citizen).exists()


def test_clerk_is_refused_by_the_admin(admin_client_for, clerk):
    response = admin_client_for(clerk).get(reverse("admin:directory_staffassignment_changelist"))
    assert response.status_code == 403


def test_province_admin_edits_the_catalog_agency_admin_only_reads(admin_client_for, province_admin, agency_admin):
    url = reverse("admin:catalog_procedure_add")
    assert admin_client_for(province_admin).get(url).status_code == 200
    assert admin_client_for(agency_admin).get(url).status_code == 403
