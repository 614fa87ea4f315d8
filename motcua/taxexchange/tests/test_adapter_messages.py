"""The tax authority's messages: the notice XML round trip, its safe parsing (no entities, no DTD), the evidenced
payment confirmation with every field required, the transfer form the simulator reads back."""

import base64
import datetime as dt
from typing import Any

import pytest

from motcua.adapters import tax_authority as tax

VN = tax.TIME_ZONE


def notice(**overrides: object) -> tax.Notice:
    values: dict[str, Any] = {
              "number": "TB-2026-0001", "dossier_codes": ("H19.01-261201-0001",), "deadline": dt.date(2026, 12, 31),
              "lines": (tax.Obligation("1003", tax.OBLIGATIONS["1003"], 40_000_000),
                        tax.Obligation("2801", tax.OBLIGATIONS["2801"], 10_000_000)),
              "payment_reference": "TT1234567890", "revision": 0}
    values.update(overrides)
    return tax.Notice(**values)


def test_a_notice_goes_through_base64_xml_and_back_unchanged():
    original = notice(revision=2, issued_on=dt.date(2026, 12, 2), treasury_account="7111.0.1055555")
    push = tax.build_notice_push(original)
    assert push["MaHoSo"] == "H19.01-261201-0001"
    assert b"<MA_HSO>H19.01-261201-0001</MA_HSO>" in base64.b64decode(push["FileThongBaoThue"])
    again = tax.parse_notice_push(tax.encode(push))
    assert again == original and again.total == 50_000_000


def test_a_notice_may_name_several_dossiers():
    both = notice(dossier_codes=("A-1", "B-2"))
    assert tax.parse_notice_xml(tax.notice_xml(both)).dossier_codes == ("A-1", "B-2")


@pytest.mark.parametrize("document, error", [
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><THONG_BAO_THUE><MA_HSO>&a;</MA_HSO></THONG_BAO_THUE>',
     "DTD"),
    (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><THONG_BAO_THUE><MA_HSO>&e;</MA_HSO></THONG_BAO_THUE>',
     "DTD"),
    (b"<THONG_BAO_THUE><MA_HSO>X</MA_HSO>", "readable"),
    (b"<OTHER/>", "root"),
    (b"<THONG_BAO_THUE><SO_THONG_BAO>1</SO_THONG_BAO></THONG_BAO_THUE>", "MA_HSO empty"),
    (b"<THONG_BAO_THUE><MA_HSO>X</MA_HSO><SO_THONG_BAO>1</SO_THONG_BAO></THONG_BAO_THUE>", "obligations"),
    (b"<THONG_BAO_THUE><MA_HSO>X</MA_HSO><SO_THONG_BAO>1</SO_THONG_BAO><CAC_KHOAN_NOP><KHOAN_NOP>"
     b"<SO_TIEN>-5</SO_TIEN></KHOAN_NOP></CAC_KHOAN_NOP></THONG_BAO_THUE>", "whole number"),
])
def test_a_bad_or_hostile_notice_is_refused(document, error):
    with pytest.raises(tax.TaxMessageError, match=error):
        tax.parse_notice_xml(document)


def test_a_notice_push_that_is_not_base64_is_refused():
    with pytest.raises(tax.TaxMessageError, match="base64"):
        tax.parse_notice_push({"MaHoSo": "X", "FileThongBaoThue": "not base64!"})
    with pytest.raises(tax.TaxMessageError, match="FileThongBaoThue empty"):
        tax.parse_notice_push({"MaHoSo": "X"})


def receipt_message(**payment):
    info = {"MaThongBaoThue": "TB-1", "ThoiGianThanhToan": "20261203101500", "SoTien": "50000000",
            "NoiDungThanhToan": "Nop thue", "TrangThaiThanhToan": 1, "SoChungTu": "CT-9"}
    info.update(payment)
    return {"MaHoSo": "A-1", "HoTenNguoiNopTien": "Trần Thị Bình", "MaSoThue": "8000000001",
            "UrlFileChungTu": "https://kb.example/ct/9.pdf", "ThongTinThanhToan": info}


def test_a_confirmation_is_read_with_its_time_in_vietnam():
    receipt = tax.parse_receipt(receipt_message())
    assert receipt.paid and receipt.amount == 50_000_000 and receipt.document_number == "CT-9"
    assert receipt.paid_at == dt.datetime(2026, 12, 3, 10, 15, tzinfo=VN)
    assert tax.parse_receipt(tax.encode(receipt.as_message())) == receipt


@pytest.mark.parametrize("missing", ["MaHoSo", "HoTenNguoiNopTien", "MaSoThue", "UrlFileChungTu"])
def test_every_evidenced_field_of_a_confirmation_is_required(missing):
    message = receipt_message()
    message[missing] = ""
    with pytest.raises(tax.TaxMessageError, match=f"{missing} empty"):
        tax.parse_receipt(message)


@pytest.mark.parametrize("missing", ["MaThongBaoThue", "ThoiGianThanhToan", "SoTien", "TrangThaiThanhToan"])
def test_every_payment_field_is_required(missing):
    message = receipt_message()
    del message["ThongTinThanhToan"][missing]
    with pytest.raises(tax.TaxMessageError, match=f"{missing} empty"):
        tax.parse_receipt(message)


def test_the_envelope_accepts_the_three_spellings_of_success():
    for code in (0, "0", "00"):
        assert tax.parse_answer({"error_code": code}).ok
    assert not tax.parse_answer({"error_code": -1, "message": "x"}).ok
    with pytest.raises(tax.TaxMessageError):
        tax.parse_answer(b"<html>")


def test_the_transfer_form_is_read_back_by_the_tax_side():
    form = tax.TransferForm(
        dossier_code="A-1", form_number="A-1-PCTT", made_at=dt.datetime(2026, 12, 1, 9, tzinfo=VN),
        sender_code="000.00.19.H19", sender_name="VPĐKĐĐ",
        people=(tax.Person("Nguyễn Văn An", "075090001234", role="ben_chuyen_nhuong"),
                tax.Person("Trần Thị Bình", "075195004321", role="ben_nhan_chuyen_nhuong")),
        parcel=tax.Parcel("125", "18", area_m2="100.5"), transaction_kind="chuyen_nhuong",
        contract_value=2_000_000_000)
    received = tax.parse_transfer_request(tax.encode(tax.build_transfer_request(form)))
    assert (received.dossier_code, received.payer_name, received.contract_value, received.area_m2) == (
        "A-1", "Trần Thị Bình", 2_000_000_000, 100.5)
    lines = tax.Rates().lines_for(received)
    assert [line.amount for line in lines] == [40_000_000, 10_000_000]
