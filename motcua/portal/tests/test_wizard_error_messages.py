"""E-form errors on the wizard (GOV.UK error-summary pattern): one message per question, derived from the schema
(its title and the kind of problem), linked to a control that exists, the control marked, the title prefixed."""

import re

from django.conf import settings
from django.urls import reverse

from motcua.portal.tests.test_assurance_level import signed_in_at

LAND = "1.013831"  # land transfer: two parties (ben_chuyen_nhuong / ben_nhan_chuyen_nhuong) as nested objects


def page_url(index):
    return reverse("portal:apply_page", args=[LAND, index])


def start(client, citizen, demo_agencies):
    signed_in_at(client, citizen, 2)  # land transfer: a level 2 VNeID sign-in
    response = client.post(page_url(0), {"name": "Nguyễn Văn An", "agency": demo_agencies["land_office"].pk})
    assert response["Location"] == page_url(1)


def summary_links(html):
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


def test_an_empty_page_names_each_missing_question(client, citizen, demo_catalog, demo_agencies):
    start(client, citizen, demo_agencies)
    response = client.post(page_url(1), {})  # the transferring party, left empty
    assert response.status_code == 400
    html = response.content.decode()
    assert summary_links(html) == [
        ("f-ben_chuyen_nhuong__ho_ten", "Nhập họ, chữ đệm và tên của bên chuyển nhượng"),
        ("f-ben_chuyen_nhuong__so_dinh_danh", "Nhập số định danh cá nhân của bên chuyển nhượng"),
    ]
    assert "Vui lòng trả lời câu hỏi này" not in html
    for anchor, message in summary_links(html):
        name = anchor.removeprefix("f-")
        # the control exists, is marked invalid and described by its message, which stands above it
        control = re.search(rf'<input id="{anchor}" name="{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in control and f'aria-describedby="e-{name}"' in control
        message_at = html.index(f'id="e-{name}"')
        assert message in html[message_at:html.index(control)]
    assert re.search(r"<title>\s*Lỗi: ", html)
    # the optional questions of the group are not marked
    assert 'id="f-ben_chuyen_nhuong__dia_chi" name="ben_chuyen_nhuong__dia_chi" value="" type="text">' in html


def test_format_length_and_date_problems_are_named(client, citizen, demo_catalog, demo_agencies):
    start(client, citizen, demo_agencies)
    html = client.post(page_url(1), {"ben_chuyen_nhuong__ho_ten": "A" * 101, "ben_chuyen_nhuong__so_dinh_danh": "123",
                                     "ben_chuyen_nhuong__ngay_sinh": "1990-02-31"}).content.decode()
    assert dict(summary_links(html)) == {
        "f-ben_chuyen_nhuong__ho_ten": "Họ, chữ đệm và tên của bên chuyển nhượng không được dài quá 100 ký tự",
        "f-ben_chuyen_nhuong__so_dinh_danh": "Số định danh cá nhân của bên chuyển nhượng phải gồm đúng 12 chữ số",
        "f-ben_chuyen_nhuong__ngay_sinh": "Ngày sinh của bên chuyển nhượng phải là một ngày có thật",
    }
    contract = client.post(page_url(4), {"hop_dong__so_cong_chung": "4521", "hop_dong__ngay_cong_chung": "2026-11-10",
                                         "hop_dong__gia_chuyen_nhuong": "hai tỷ"}).content.decode()
    assert summary_links(contract) == [("f-hop_dong__gia_chuyen_nhuong",
                                        "Giá chuyển nhượng (đồng) của hợp đồng chuyển nhượng phải là số nguyên")]
    other = client.post(page_url(5), {"hinh_thuc_nhan_ket_qua": "qua_may_bay"}).content.decode()
    assert summary_links(other) == [("f-hinh_thuc_nhan_ket_qua", "Chọn hình thức nhận kết quả trong danh sách")]


def test_the_applicant_page_links_its_errors_too(client, citizen, demo_catalog, demo_agencies):
    signed_in_at(client, citizen, 2)
    html = client.post(page_url(0), {"name": "", "agency": ""}).content.decode()
    assert summary_links(html) == [("f-name", "Nhập họ tên người nộp hồ sơ"),
                                   ("f-agency", "Chọn nơi giải quyết hồ sơ")]
    assert re.search(r'<input id="f-name"[^>]*aria-invalid="true" aria-describedby="e-name"', html)
    assert re.search(r'<select id="f-agency" name="agency" aria-invalid="true" aria-describedby="e-agency"', html)


def test_in_english_when_the_user_chose_english(client, citizen, demo_catalog, demo_agencies):
    start(client, citizen, demo_agencies)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.post(page_url(1), {}).content.decode()
    assert summary_links(html)[1] == ("f-ben_chuyen_nhuong__so_dinh_danh",
                                      "Enter “Số định danh cá nhân” of “Bên chuyển nhượng”")
    assert "Nhập " not in html and re.search(r"<title>\s*Error: ", html)

