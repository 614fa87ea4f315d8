"""The address question in the online application: works without a script (plain selects, the server lists a
province's communes and converts an old address, the page staying put with the answers kept), is validated, and
is shown as one line on "check your answers"."""

from html import unescape

from django.urls import reverse

from motcua.portal.models import FormDraft
from motcua.portal.wizard import pages_for

PERMIT = "1.013225"  # construction permit: the parcel's address
PART = "thua_dat__dia_chi_thua"
PARCEL = {"thua_dat__so_thua": "12", "thua_dat__to_ban_do": "4", "thua_dat__so_phat_hanh_gcn": "CS 01"}


def parcel_page(client, citizen, demo_catalog):
    client.force_login(citizen)
    version = demo_catalog[PERMIT].current_version
    index = next(i for i, page in enumerate(pages_for(version.eform_schema)) if page.key == "thua_dat")
    return reverse("portal:apply_page", args=[PERMIT, index]), index


def test_the_page_offers_the_2025_map_and_the_old_address_helper(client, citizen, demo_catalog):
    url, _index = parcel_page(client, citizen, demo_catalog)
    page = unescape(client.get(url).content.decode())
    assert f'<select id="f-{PART}__province_code"' in page and '<option value="75" selected>Tỉnh Đồng Nai' in page
    assert '<option value="26041">Phường Trấn Biên</option>' in page
    assert 'name="address_refresh"' in page and 'name="address_convert"' in page and "Địa chỉ cũ?" in page


def test_without_a_script_another_province_lists_its_communes(client, citizen, demo_catalog):
    url, _index = parcel_page(client, citizen, demo_catalog)
    response = client.post(url, {**PARCEL, f"{PART}__province_code": "79", "address_refresh": PART})
    assert response.status_code == 200  # the same page again, not the next one
    page = unescape(response.content.decode())
    assert '<option value="79" selected>Thành phố Hồ Chí Minh' in page
    assert '<option value="26740">Phường Sài Gòn</option>' in page and "Phường Trấn Biên" not in page
    assert 'class="error-summary"' not in page
    assert FormDraft.objects.get(user=citizen).form_data["thua_dat"]["so_thua"] == "12"  # saved meanwhile


def test_the_old_address_is_converted_on_the_page_then_the_answers_are_checked(client, citizen, demo_catalog):
    url, index = parcel_page(client, citizen, demo_catalog)
    response = client.post(url, {**PARCEL, f"{PART}__old": "p tan phu, tp dong xoai, binh phuoc",
                                 f"{PART}__street": "Số 9 Lê Duẩn", "address_convert": PART})
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert '<option value="25195" selected>Phường Bình Phước</option>' in page
    assert "Đã chuyển sang địa chỉ theo đơn vị hành chính áp dụng từ ngày 01/7/2025." in page
    assert "Phường Tân Phú, Thành phố Đồng Xoài, Tỉnh Bình Phước" in page  # what it was
    onward = client.post(url, {**PARCEL, f"{PART}__province_code": "75", f"{PART}__commune_code": "25195",
                               f"{PART}__street": "Số 9 Lê Duẩn"})
    assert onward.status_code == 302 and onward["Location"].endswith(f"/{index + 1}/")
    assert FormDraft.objects.get(user=citizen).form_data["thua_dat"]["dia_chi_thua"]["commune_code"] == "25195"
    check = unescape(client.get(reverse("portal:apply_check", args=[PERMIT])).content.decode())
    assert "Số 9 Lê Duẩn, Phường Bình Phước, Tỉnh Đồng Nai" in check


def test_a_commune_that_is_not_in_the_province_is_refused_with_the_answers_kept(client, citizen, demo_catalog):
    url, _index = parcel_page(client, citizen, demo_catalog)
    response = client.post(url, {**PARCEL, f"{PART}__province_code": "79", f"{PART}__commune_code": "26041",
                                 f"{PART}__street": "Số 9"})
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert f'href="#f-{PART}__commune_code"' in page and f'id="f-{PART}__commune_code"' in page
    assert 'value="Số 9"' in page and 'aria-invalid="true" aria-describedby="e-' + PART + '__commune_code"' in page
