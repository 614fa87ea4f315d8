"""The forms as PDF: the text is read back from the file (pdfium), and the QR code is decoded back from the
rendered page (zxing-cpp) to the dossier's look-up URL."""

import datetime as dt
import io

import pypdfium2
import pytest
import zxingcpp

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, submit_dossier
from motcua.dossiers.forms_pdf import (
    TT01_2018,
    control_rows,
    long_date,
    long_time,
    receipt_documents,
    render_control_sheet_pdf,
    render_notice_pdf,
)
from motcua.dossiers.models import Channel, Notice
from motcua.dossiers.selectors import lookup_url
from motcua.dossiers.tests.helpers import LAND_PAPERS, at, land_dossier

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"


def read_pdf(data):
    """(the text of every page with its whitespace collapsed, the QR codes found on the pages, the page count)."""
    assert data[:5] == b"%PDF-"
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    try:
        pages = len(document)
        text = "\n".join(document[i].get_textpage().get_text_range() for i in range(pages))
        codes = [result.text for i in range(pages)
                 for result in zxingcpp.read_barcodes(document[i].render(scale=3).to_pil())
                 if result.format == zxingcpp.BarcodeFormat.QRCode]
    finally:
        document.close()
    return " ".join(text.split()), codes, pages


def assert_common(text, codes, dossier, number):
    """What every form carries: motto, form number and circular, the codes, and the QR code to the look-up page."""
    assert MOTTO in text
    assert f"Mẫu số {number} (Thông tư số 03/2025/TT-VPCP)" in text
    assert f"Mã hồ sơ: {dossier.code}" in text and f"Mã tra cứu: {dossier.lookup_secret}" in text
    assert codes == [lookup_url(dossier)]


@pytest.fixture
def dossier(demo_catalog, demo_agencies, clerk):
    # Monday 30/11/2026 09:05 at the provincial service centre's counter; 8 working days → 10/12/2026 09:05.
    return land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9, 5))


def test_receipt_slip(dossier):
    text, codes, pages = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.RECEIPT)))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert_common(text, codes, dossier, "01")
    assert "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI" in text and "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH ĐỒNG NAI" in text
    assert f"Số: {dossier.code}" in text
    assert "Đồng Nai, ngày 30 tháng 11 năm 2026" in text
    assert "Tên tổ chức, cá nhân: Trần Thị Bình" in text
    assert "Số định danh cá nhân: 075195004321; Số điện thoại: 0987654321" in text
    assert "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng" in text
    assert "Hợp đồng, văn bản về chuyển quyền sử dụng đất" in text and "Bản chính 01" in text
    assert "Bản vẽ tách thửa" not in text  # optional and not handed in
    assert "Thời gian giải quyết hồ sơ theo quy định: 8 ngày làm việc" in text
    assert "Thời gian nhận hồ sơ: 09 giờ 05 phút, ngày 30 tháng 11 năm 2026" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 05 phút, ngày 10 tháng 12 năm 2026" in text
    assert long_time(dossier.due_at) == "09 giờ 05 phút, ngày 10 tháng 12 năm 2026"
    assert "Trực tiếp tại nơi nộp hồ sơ" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Nguyễn Thị Hoa" in text
    assert pages == 1  # the QR block too, whichever of the fonts is installed (Liberation, Noto, DejaVu)


def page_lines(data):
    """The lines of text of every page as laid out (no-break spaces read as spaces)."""
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    try:
        text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()
    return [" ".join(line.replace("\xa0", " ").split()) for line in text.splitlines()]


def test_the_place_name_never_breaks_across_lines(dossier):
    """"ĐỒNG NAI" stays on one line in the agency names of the header (the narrow left column) and the date line."""
    lines = page_lines(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.RECEIPT)))
    header = [line for line in lines if "ĐỒNG" in line or line.startswith("NAI")]
    # The superior (UBND tỉnh) and the agency (its service centre), each ending with the whole unit name.
    assert len(header) == 2 and all(line.endswith("TỈNH ĐỒNG NAI") for line in header), header
    assert any(line.startswith("Đồng Nai, ngày") for line in lines)  # the date line too


def test_receipt_lists_the_optional_documents_handed_in(demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9),
                           paper_documents=[*LAND_PAPERS, "van_ban_uy_quyen"])
    names = [row["name"] for row in receipt_documents(dossier)]
    assert len(names) == 6 and names[-1] == "Văn bản ủy quyền (nếu nộp thay)"
    assert all(row["form"] == "Bản chính" and row["quantity"] == 1 for row in receipt_documents(dossier))


def test_supplement_request_and_the_receipt_printed_again(dossier, clerk, specialist):
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    dossier = actions.request_supplement(dossier, actor=specialist, at=at(2026, 12, 1, 9),
                                         items=["Bản vẽ tách thửa (Mẫu số 22)", "Văn bản ủy quyền"],
                                         note="Thửa đất phải tách trước khi chuyển nhượng")
    text, codes, _pages = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.SUPPLEMENT)))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert_common(text, codes, dossier, "02")
    assert "Tên tổ chức, cá nhân: Trần Thị Bình" in text
    assert "1 Bản vẽ tách thửa (Mẫu số 22) 2 Văn bản ủy quyền" in text
    assert "Lý do: Thửa đất phải tách trước khi chuyển nhượng" in text
    assert "VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI TỈNH ĐỒNG NAI" in text and "Đồng Nai, ngày 01 tháng 12 năm 2026" in text
    assert "NGƯỜI HƯỚNG DẪN" in text and "Trần Văn Đức" in text

    # The supplement restarts the statutory time; the receipt issued at the counter still reads as issued.
    dossier = actions.supplement_dossier(dossier, actor=clerk, at=at(2026, 12, 2, 9))
    assert dossier.due_at == at(2026, 12, 14, 9)
    first = dossier.notices.filter(kind=Notice.Kind.RECEIPT).order_by("issued_at").first()
    text, codes, _pages = read_pdf(render_notice_pdf(first))
    assert "Thời gian nhận hồ sơ: 09 giờ 05 phút, ngày 30 tháng 11 năm 2026" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 05 phút, ngày 10 tháng 12 năm 2026" in text
    assert codes == [lookup_url(dossier)]


def test_refusal(dossier, clerk):
    dossier = actions.refuse_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10),
                                     reason="Đất đang có tranh chấp <script>alert(1)</script> & đang kê biên")
    text, codes, _pages = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.REFUSAL)))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert_common(text, codes, dossier, "03")
    assert "Tên tổ chức, cá nhân: Trần Thị Bình" in text
    # Printed as written (escaped), not interpreted as markup.
    assert "Đất đang có tranh chấp <script>alert(1)</script> & đang kê biên" in text
    assert "NGƯỜI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text and "Nguyễn Thị Hoa" in text


def test_apology_and_new_appointment(dossier, clerk, leader):
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    dossier = actions.extend_dossier(dossier, actor=leader, reason="Phải xác minh ranh giới thửa đất",
                                     new_due_at=at(2026, 12, 18, 16), at=at(2026, 12, 10, 8))
    text, codes, _pages = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.APOLOGY)))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert_common(text, codes, dossier, "04")
    assert "Kính gửi: Trần Thị Bình" in text
    assert "Lúc 09 giờ 05 phút, ngày 30 tháng 11 năm 2026" in text
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 05 phút, ngày 10 tháng 12 năm 2026" in text
    assert "Lý do: Phải xác minh ranh giới thửa đất" in text
    assert "xin lỗi" in text and "hẹn lại ngày trả kết quả giải quyết hồ sơ vào 16 giờ 00 phút, ngày 18 tháng 12 " \
        "năm 2026" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text and "Võ Minh Tâm" in text

    # A second letter recalls the appointment of the first.
    dossier = actions.extend_dossier(dossier, actor=leader, reason="Chờ kết quả đo đạc",
                                     new_due_at=at(2026, 12, 23, 16), at=at(2026, 12, 18, 9))
    second = dossier.notices.filter(kind=Notice.Kind.APOLOGY).order_by("-issued_at").first()
    text, codes, _pages = read_pdf(render_notice_pdf(second))
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 18 tháng 12 năm 2026" in text
    assert "16 giờ 00 phút, ngày 23 tháng 12 năm 2026" in text and codes == [lookup_url(dossier)]


def test_stop_notice(dossier, leader):
    dossier = actions.stop_dossier(dossier, actor=leader, reason="Người yêu cầu đã chết", at=at(2026, 12, 3, 9))
    text, codes, _pages = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.STOP)))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert_common(text, codes, dossier, "05")
    assert "Kính gửi: Trần Thị Bình" in text
    assert "kể từ 09 giờ 00 phút, ngày 03 tháng 12 năm 2026" in text
    assert "Lý do: Người yêu cầu đã chết" in text and "Võ Minh Tâm" in text


@pytest.fixture
def walked(dossier, clerk, specialist, leader, tax_specialist, treasury_specialist):
    """The land dossier through every agency, with a supplement, a pause for taxes, a send-back and a return."""
    steps = [
        lambda d: actions.forward_dossier(d, actor=clerk, at=at(2026, 11, 30, 10)),           # receipt: 0.5 day
        lambda d: actions.request_supplement(d, actor=specialist, items=["Văn bản ủy quyền"], note="Thiếu",
                                             at=at(2026, 12, 1, 9)),
        lambda d: actions.supplement_dossier(d, actor=clerk, at=at(2026, 12, 2, 9)),           # review restarts
        lambda d: actions.forward_dossier(d, actor=specialist, at=at(2026, 12, 3, 9)),        # review: 2 days
        lambda d: actions.pause_for_fees(d, actor=tax_specialist, note="Thông báo nộp thuế",
                                         at=at(2026, 12, 3, 14)),
        lambda d: actions.record_payment(d, actor=None, reference="KB-1", at=at(2026, 12, 8, 9)),
        lambda d: actions.forward_dossier(d, actor=tax_specialist, at=at(2026, 12, 8, 10)),   # tax: 2 days
        lambda d: actions.forward_dossier(d, actor=treasury_specialist, at=at(2026, 12, 8, 11)),  # treasury: 0
        lambda d: actions.forward_dossier(d, actor=specialist, at=at(2026, 12, 11, 9)),       # update: 2 days
        lambda d: actions.send_back(d, actor=leader, note="Sai số tờ bản đồ", at=at(2026, 12, 11, 10)),
        lambda d: actions.forward_dossier(d, actor=specialist, at=at(2026, 12, 11, 14)),
        lambda d: actions.approve_dossier(d, actor=leader, at=at(2026, 12, 14, 9)),           # approval: 1 day
        lambda d: actions.return_result(d, actor=clerk, at=at(2026, 12, 15, 9)),
    ]
    for step in steps:
        dossier = step(dossier)
    return dossier


def test_control_sheet_rows(walked):
    rows = control_rows(walked)
    assert [(row.giver_agency, row.receiver, row.result) for row in rows] == [
        ("Trung tâm Phục vụ hành chính công tỉnh Đồng Nai", "Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "Đúng hạn"),
        # 2 working days from the complete dossier (02/12 09:00), not from the first entry (30/11 10:00).
        ("Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "Thuế tỉnh Đồng Nai", "Trước hạn"),
        # Due 07/12 09:00 before the pause; moved by the working time paused (03/12 14:00 → 08/12 09:00).
        ("Thuế tỉnh Đồng Nai", "Kho bạc Nhà nước khu vực Đồng Nai", "Trước hạn"),
        ("Kho bạc Nhà nước khu vực Đồng Nai", "Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "Đúng hạn"),
        ("Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "Quá hạn"),
        ("Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "Trước hạn"),
        ("Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "Trước hạn"),
        ("Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "Trung tâm Phục vụ hành chính công tỉnh Đồng Nai", "Đúng hạn"),
        ("Trung tâm Phục vụ hành chính công tỉnh Đồng Nai", "Tổ chức, cá nhân: Trần Thị Bình", "Trước hạn"),
    ]
    assert rows[0].giver == "Nguyễn Thị Hoa" and rows[0].time == "10 giờ 00 phút, ngày 30/11/2026"
    assert rows[0].due == "Hạn của bước: 14 giờ 35 phút, ngày 30/11/2026"
    assert rows[1].due == "Hạn của bước: 09 giờ 00 phút, ngày 04/12/2026"
    assert "Yêu cầu bổ sung hồ sơ lúc 09 giờ 00 phút, ngày 01/12/2026" in rows[1].note
    assert rows[2].giver == "Đặng Thu Hà" and rows[2].due == "Hạn của bước: 15 giờ 00 phút, ngày 09/12/2026"
    assert "Tạm dừng để thực hiện nghĩa vụ tài chính" in rows[2].note
    assert rows[5].note == "Trả lại bước trước: Sai số tờ bản đồ"
    assert rows[8].note == "Trả kết quả" and rows[8].due.startswith("Hẹn trả: ")


def test_control_sheet_pdf(walked):
    text, codes, _pages = read_pdf(render_control_sheet_pdf(walked, at=at(2026, 12, 15, 10)))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert_common(text, codes, walked, "06")
    assert "Đồng Nai, ngày 15 tháng 12 năm 2026" in text
    assert "Cơ quan giải quyết hồ sơ: Văn phòng Đăng ký đất đai tỉnh Đồng Nai" in text
    assert "Cơ quan phối hợp giải quyết hồ sơ: Thuế tỉnh Đồng Nai; Kho bạc Nhà nước khu vực Đồng Nai" in text
    assert "Thời gian nhận hồ sơ: 09 giờ 05 phút, ngày 30/11/2026" in text
    assert "Giao: Thuế tỉnh Đồng Nai (Đặng Thu Hà)" in text
    assert "10 giờ 00 phút, ngày 30/11/2026" in text
    assert text.index("Đúng hạn") < text.index("Quá hạn")
    assert "Nhận: Tổ chức, cá nhân: Trần Thị Bình" in text


def test_control_sheet_of_a_new_dossier(dossier):
    assert control_rows(dossier) == []
    text, codes, _pages = read_pdf(render_control_sheet_pdf(dossier, at=at(2026, 11, 30, 9, 30)))
    assert "Hồ sơ chưa được giao, nhận giữa các bước." in text and codes == [lookup_url(dossier)]


def test_commune_forms_are_dated_at_the_commune(demo_catalog, demo_agencies, other_clerk):
    dossier = submit_dossier(
        procedure=demo_catalog["2.000815"], channel=Channel.COUNTER, actor=other_clerk,
        applicant=Applicant(name="Lê Thị Cúc", id_number="075190000001", address="12 Phan Chu Trinh, Trấn Biên"),
        competent_agency=demo_agencies["tran_bien"], receiving_agency=demo_agencies["tran_bien"],
        paper_documents=["ban_chinh"], at=at(2026, 2, 3, 8),
    )
    text, codes, _pages = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.RECEIPT)))
    assert_common(text, codes, dossier, "01")
    assert "Trấn Biên, ngày 03 tháng 02 năm 2026" in text
    assert "ỦY BAN NHÂN DÂN PHƯỜNG TRẤN BIÊN" in text and "TỈNH ĐỒNG NAI" not in text  # no superior line
    assert "Địa chỉ: 12 Phan Chu Trinh, Trấn Biên" in text
    assert "Thời gian giải quyết hồ sơ theo quy định: Trong ngày làm việc" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 03 tháng 02 năm 2026" in text


def test_decree_30_dates():
    assert long_date(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert long_date(dt.date(2026, 2, 28)) == "ngày 28 tháng 02 năm 2026"
    assert long_date(dt.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"
    assert long_date(dt.date(2026, 12, 25)) == "ngày 25 tháng 12 năm 2026"
    assert long_time(None) == "…"


def test_circular_01_2018_profile(dossier, clerk, leader, settings):
    settings.MOTCUA_FORM_SET = "01/2018"
    text, codes, _pages = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.RECEIPT)))
    assert "Mẫu số 01 (Thông tư số 01/2018/TT-VPCP)" in text and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert codes == [lookup_url(dossier)]
    dossier = actions.extend_dossier(dossier, actor=leader, reason="Quá tải", new_due_at=at(2026, 12, 18, 16),
                                     at=at(2026, 12, 10, 8))
    text, _codes, _pages = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.APOLOGY)))
    assert "Mẫu số 04 (Thông tư số 01/2018/TT-VPCP)" in text and "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    text, _codes, _pages = read_pdf(render_control_sheet_pdf(dossier, form_set=TT01_2018))
    assert "Mẫu số 05 (Thông tư số 01/2018/TT-VPCP)" in text and "PHIẾU KIỂM SOÁT QUÁ TRÌNH" in text
    # The 2018 set has no stop notice: it is printed on the current form.
    dossier = actions.stop_dossier(dossier, actor=leader, reason="Người yêu cầu đã chết", at=at(2026, 12, 11, 9))
    text, _codes, _pages = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.STOP)))
    assert "Mẫu số 05 (Thông tư số 03/2025/TT-VPCP)" in text and "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
