"""The forms as PDF: the text is read back from the file, and the QR code is decoded back to the look-up URL."""

import io

import pypdfium2
import pytest
import zxingcpp

from motcua.dossiers import actions
from motcua.dossiers.forms_pdf import render_control_sheet_pdf, render_notice_pdf
from motcua.dossiers.models import Notice
from motcua.dossiers.selectors import lookup_url
from motcua.dossiers.tests.helpers import at, land_dossier


def read_pdf(data):
    """(text of every page, the QR codes found on any page)."""
    assert data[:5] == b"%PDF-"
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    try:
        text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
        codes = [result.text for i in range(len(document))
                 for result in zxingcpp.read_barcodes(document[i].render(scale=3).to_pil())]
    finally:
        document.close()
    return " ".join(text.split()), codes


@pytest.fixture
def dossier(demo_catalog, demo_agencies, clerk):
    return land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9, 5))


def test_receipt_slip(dossier):
    text, codes = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.RECEIPT)))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text.upper()
    assert dossier.code in text and dossier.lookup_secret in text and "Trần Thị Bình" in text
    assert "09 giờ 05 phút, ngày 30 tháng 11 năm 2026" in text  # received
    assert "09 giờ 05 phút, ngày 10 tháng 12 năm 2026" in text  # appointment: 8 working days
    assert "Hợp đồng, văn bản về chuyển quyền sử dụng đất" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Đồng Nai, ngày 30 tháng 11 năm 2026" in text
    assert codes == [lookup_url(dossier)]


def test_supplement_refusal_apology_and_stop(dossier, clerk, specialist, leader):
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    dossier = actions.request_supplement(dossier, actor=specialist, items=["Bản vẽ tách thửa (Mẫu số 22)"],
                                         note="Thửa đất phải tách", at=at(2026, 12, 1, 9))
    text, codes = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.SUPPLEMENT)))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text.upper() and "Bản vẽ tách thửa (Mẫu số 22)" in text
    assert codes == [lookup_url(dossier)]
    dossier = actions.provide_supplement(dossier, actor=clerk, at=at(2026, 12, 2, 9))
    dossier = actions.issue_apology(dossier, actor=leader, reason="Phải xác minh ranh giới thửa đất",
                                    new_due_at=at(2026, 12, 18, 16), at=at(2026, 12, 10, 9))
    text, codes = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.APOLOGY)))
    assert "xin lỗi" in text and "16 giờ 00 phút, ngày 18 tháng 12 năm 2026" in text
    assert "Phải xác minh ranh giới thửa đất" in text and codes == [lookup_url(dossier)]
    dossier = actions.stop_dossier(dossier, actor=leader, reason="Người yêu cầu đã chết", at=at(2026, 12, 11, 9))
    text, codes = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.STOP)))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text.upper() and "Người yêu cầu đã chết" in text


def test_refusal(dossier, clerk):
    dossier = actions.refuse_dossier(dossier, actor=clerk, reason="Đất đang có tranh chấp", at=at(2026, 11, 30, 10))
    text, codes = read_pdf(render_notice_pdf(dossier.notices.get(kind=Notice.Kind.REFUSAL)))
    assert "PHIẾU TỪ CHỐI" in text.upper() and "Đất đang có tranh chấp" in text and codes == [lookup_url(dossier)]


def test_control_sheet_marks_each_hand_over(dossier, clerk, specialist, leader, tax_specialist,
                                            treasury_specialist):
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))      # receipt: on time
    dossier = actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 8, 9))   # review: 2 days → late
    text, codes = read_pdf(render_control_sheet_pdf(dossier))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text.upper()
    assert "Thuế tỉnh Đồng Nai" in text
    assert text.index("Đúng hạn") < text.index("Quá hạn")
    assert codes == [lookup_url(dossier)]
