"""Counter intake with the structured address: the clerk converts an old address in place (nothing is submitted),
then receives the dossier with the 2025 codes."""

from django.urls import reverse

from motcua.backoffice.tests.helpers import land_intake_post
from motcua.dossiers.models import Dossier

URL = reverse("backoffice:intake", args=["1.013831"])
PART = "thua_dat__dia_chi_thua"


def test_the_intake_form_has_the_address_question(as_clerk):
    page = as_clerk.get(URL).content.decode()
    assert f'name="{PART}__province_code"' in page and f'name="{PART}__commune_code"' in page
    assert '<option value="75" selected>Tỉnh Đồng Nai</option>' in page
    assert "Địa chỉ cũ?" in page and "address-field.js" in page


def test_converting_an_old_address_submits_nothing_and_keeps_what_was_typed(as_clerk, demo_agencies):
    post = land_intake_post(demo_agencies, **{"address_convert": PART,
                                              f"{PART}__old": "Phường Tân Phú, Thành phố Đồng Xoài, tỉnh Bình Phước",
                                              f"{PART}__street": "Tổ 3, khu phố 2"})
    response = as_clerk.post(URL, post)
    assert response.status_code == 200 and not Dossier.objects.exists()
    page = response.content.decode()
    assert '<option value="25195" selected>Phường Bình Phước</option>' in page
    assert 'value="Tổ 3, khu phố 2"' in page and "<strong>Phường Bình Phước, Tỉnh Đồng Nai</strong>" in page
    assert 'value="Trần Thị Bình"' in page and 'class="error-summary"' not in page


def test_the_dossier_keeps_the_codes_and_the_line(as_clerk, demo_agencies):
    post = land_intake_post(demo_agencies, **{f"{PART}__province_code": "75", f"{PART}__commune_code": "26041",
                                              f"{PART}__street": "Số 5 Võ Thị Sáu"})
    assert as_clerk.post(URL, post).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.form_data["thua_dat"]["dia_chi_thua"] == {
        "province_code": "75", "commune_code": "26041", "street": "Số 5 Võ Thị Sáu",
        "text": "Số 5 Võ Thị Sáu, Phường Trấn Biên, Tỉnh Đồng Nai"}
    page = as_clerk.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "Số 5 Võ Thị Sáu, Phường Trấn Biên, Tỉnh Đồng Nai" in page


def test_a_commune_outside_its_province_is_an_error_linked_to_the_select(as_clerk, demo_agencies):
    post = land_intake_post(demo_agencies, **{f"{PART}__province_code": "79", f"{PART}__commune_code": "26041"})
    response = as_clerk.post(URL, post)
    assert response.status_code == 400 and not Dossier.objects.exists()
    page = response.content.decode()
    assert f'href="#f-{PART}__commune_code"' in page
    assert "Chọn xã, phường, đặc khu của địa chỉ thửa đất trong danh sách" in page
