"""The clerk reads the e-form answers as the citizen checked them: choice labels, dd/mm/yyyy, money in đồng."""

from html import unescape

from django.urls import reverse

from motcua.dossiers.tests.helpers import LAND_FORM, land_dossier


def test_the_dossier_page_shows_formatted_answers(as_clerk, demo_catalog, demo_agencies, clerk):
    form = {**LAND_FORM, "hop_dong": {**LAND_FORM["hop_dong"], "gia_chuyen_nhuong": 1500000000},
            "ben_chuyen_nhuong": {**LAND_FORM["ben_chuyen_nhuong"], "ngay_sinh": "1990-05-12"},
            "hinh_thuc_nhan_ket_qua": "buu_chinh"}
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, None, form_data=form)
    html = unescape(as_clerk.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode())
    assert "<dt>Giá chuyển nhượng (đồng)</dt><dd class=\"preserve-lines\">1.500.000.000 đ</dd>" in html
    assert "<dt>Ngày sinh</dt><dd class=\"preserve-lines\">12/05/1990</dd>" in html
    assert "<dt>Hình thức nhận kết quả</dt><dd class=\"preserve-lines\">Qua bưu chính</dd>" in html
