"""The citizen's online application fills its parcel page from the land database by the certificate serial: the
parcel's details always, the land user's name and ID only for the citizen who is that land user."""

import pytest
from django.urls import reverse

from motcua.land.tests.helpers import signed_in_at_level_2
from motcua.portal.models import FormDraft
from motcua.portal.wizard import pages_for

pytestmark = pytest.mark.django_db


def parcel_page(procedure):
    return next(i for i, p in enumerate(pages_for(procedure.current_version.eform_schema)) if p.key == "thua_dat")


def fill(client, procedure, serial):
    index = parcel_page(procedure)
    client.get(reverse("portal:apply", args=[procedure.national_code]))  # makes the draft
    response = client.post(reverse("land_portal:fill", args=[procedure.national_code, index]), {"gcn": serial})
    assert response.status_code == 302 and response["Location"].endswith(f"/buoc/{index}/")
    return client.get(response["Location"]).content.decode(), FormDraft.objects.get(procedure=procedure).form_data


def test_the_land_user_gets_the_parcel_and_herself(land_sim, demo_catalog, other_citizen, client):
    signed_in_at_level_2(client, other_citizen)  # Trần Thị Bình, land user of parcel 345
    procedure = demo_catalog["1.013831"]
    page, data = fill(client, procedure, "dn 012345")
    assert data["thua_dat"]["so_thua"] == "345" and data["thua_dat"]["dien_tich"] == 120.5
    assert data["ben_chuyen_nhuong"]["so_dinh_danh"] == "075195004321"
    assert "Đã điền thông tin thửa đất từ cơ sở dữ liệu đất đai" in page and 'value="345"' in page


def test_someone_else_gets_the_parcel_but_not_its_land_user(land_sim, demo_catalog, citizen, client):
    signed_in_at_level_2(client, citizen)  # Nguyễn Văn An is not the land user of parcel 345
    _page, data = fill(client, demo_catalog["1.013831"], "DN 012345")
    assert data["thua_dat"]["so_thua"] == "345" and "ben_chuyen_nhuong" not in data


def test_unknown_serial_and_database_down(land_sim, demo_catalog, citizen, client, settings):
    signed_in_at_level_2(client, citizen)
    procedure = demo_catalog["1.013833"]
    page, data = fill(client, procedure, "DN 999999")
    assert "không có Giấy chứng nhận" in page and data == {}
    page, _data = fill(client, procedure, "abc")
    assert "Nhập số phát hành in trên Giấy chứng nhận" in page
    settings.MOTCUA_INTEGRATION_SYSTEMS["dat_dai"]["base_url"] = "http://127.0.0.1:9"
    page, data = fill(client, procedure, "DN 012345")
    assert "Hiện không kết nối được cơ sở dữ liệu đất đai" in page and data == {}


def test_only_land_procedures_and_only_posts(demo_catalog, citizen, client):
    client.force_login(citizen)
    assert client.post(reverse("land_portal:fill", args=["1.001193", 1]), {"gcn": "DN 012345"}).status_code == 404
    assert client.get(reverse("land_portal:fill", args=["1.013831", 1])).status_code == 405
