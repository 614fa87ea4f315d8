"""Check your answers: the answers as a person reads them (choice labels, dd/mm/yyyy, "1.500.000.000 đ"), under a
heading per group of questions, the chosen agency shown, and each row with a "Thay đổi" link to its field."""

import re
from html import unescape

from django.conf import settings
from django.urls import reverse

from motcua.portal.models import FormDraft
from motcua.portal.tests.test_assurance_level import signed_in_at

LAND = "1.013831"
LAND_ANSWERS = {
    "ben_chuyen_nhuong": {"ho_ten": "Phạm Văn Hùng", "so_dinh_danh": "075085003456", "ngay_sinh": "1990-05-12"},
    "ben_nhan_chuyen_nhuong": {"ho_ten": "Trần Thị Bình", "so_dinh_danh": "075195004321"},
    "thua_dat": {"so_thua": "125", "to_ban_do": "18", "so_phat_hanh_gcn": "DA 123456", "dien_tich": 1250.5},
    "hop_dong": {"so_cong_chung": "4521", "ngay_cong_chung": "2026-11-10", "gia_chuyen_nhuong": 1500000000},
    "hinh_thuc_nhan_ket_qua": "truc_tiep",
}


def check_page(client, citizen, demo_agencies):
    signed_in_at(client, citizen, 2)  # land transfer: a level 2 VNeID sign-in
    client.get(reverse("portal:apply_page", args=[LAND, 0]))  # starts the draft
    FormDraft.objects.filter(user=citizen).update(
        form_data=LAND_ANSWERS,
        applicant={"name": "Nguyễn Văn An", "id_number": "075090001234", "phone": "0912345678", "email": "",
                   "address": "", "agency": str(demo_agencies["land_office"].pk), "organisation": ""})
    return unescape(client.get(reverse("portal:apply_check", args=[LAND])).content.decode())


def rows(html):
    """(section heading, question, answer, change link) for every row, in page order."""
    found = []
    for section in re.split(r'<h2 class="summary-heading">', html)[1:]:
        heading = section[:section.index("</h2>")]
        for question, answer, link in re.findall(
                r'<dt>([^<]*)</dt><dd>([^<]*)</dd>\s*<dd class="summary-action"><a href="([^"]+)">', section):
            found.append((heading, question, answer, link))
    return found


def test_answers_are_shown_as_people_read_them(client, citizen, demo_catalog, demo_agencies):
    shown = {(heading, question): answer for heading, question, answer, _link in rows(
        check_page(client, citizen, demo_agencies))}
    assert shown[("Bên chuyển nhượng", "Ngày sinh")] == "12/05/1990"
    assert shown[("Hợp đồng chuyển nhượng", "Ngày công chứng")] == "10/11/2026"
    assert shown[("Hợp đồng chuyển nhượng", "Giá chuyển nhượng (đồng)")] == "1.500.000.000 đ"
    assert shown[("Thửa đất", "Diện tích (m²)")] == "1.250,5"
    assert shown[("Thông tin khác", "Hình thức nhận kết quả")] == "Nhận trực tiếp"
    # the two parties' questions under their own headings, not one flat list
    assert shown[("Bên chuyển nhượng", "Họ, chữ đệm và tên")] == "Phạm Văn Hùng"
    assert shown[("Bên nhận chuyển nhượng", "Họ, chữ đệm và tên")] == "Trần Thị Bình"
    # the chosen agency
    assert shown[("Người nộp hồ sơ", "Nơi giải quyết")] == "Văn phòng Đăng ký đất đai tỉnh Đồng Nai"
    assert not {"truc_tiep", "1990-05-12", "1500000000"} & set(shown.values())


def test_each_row_links_to_its_field(client, citizen, demo_catalog, demo_agencies):
    html = check_page(client, citizen, demo_agencies)
    links = {(heading, question): link for heading, question, _answer, link in rows(html)}
    assert links[("Bên nhận chuyển nhượng", "Số định danh cá nhân")] == (
        reverse("portal:apply_page", args=[LAND, 2]) + "#f-ben_nhan_chuyen_nhuong__so_dinh_danh")
    assert links[("Người nộp hồ sơ", "Nơi giải quyết")] == reverse("portal:apply_page", args=[LAND, 0]) + "#f-agency"
    for link in set(links.values()):  # every anchor is a control on the page the link opens
        path, anchor = link.split("#")
        assert f'id="{anchor}"' in client.get(path).content.decode(), link
    assert html.count(">Thay đổi<") == len(links)


def test_in_english_numbers_are_grouped_the_english_way(client, citizen, demo_catalog, demo_agencies):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shown = {(heading, question): answer for heading, question, answer, _link in rows(
        check_page(client, citizen, demo_agencies))}
    assert shown[("Hợp đồng chuyển nhượng", "Giá chuyển nhượng (đồng)")] == "1,500,000,000 đ"
    assert shown[("The applicant", "Agency that handles it")] == "Văn phòng Đăng ký đất đai tỉnh Đồng Nai"
