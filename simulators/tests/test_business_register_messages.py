"""The business-register messages (adapters/business_register.py): the request, the answer's envelope, one record
per enterprise (an identical record twice is one; two different ones, or one of another enterprise, are refused),
statuses, branch codes. Bodies are written out by hand here, not built with the adapter."""

import json
from datetime import date

import pytest

from motcua.adapters import business_register as register

RECORD = {
    "MaSoDoanhNghiep": "3601234569", "TenDoanhNghiep": "CÔNG TY TNHH AN PHÁT", "TinhTrangHoatDong": "1",
    "NgayThanhLap": "20160512", "SoLanThayDoi": "3", "VonDieuLe": "5.000.000.000",
    "DiaChiTruSo": {"DiaChiDayDu": "Số 12, Phường Trấn Biên, Tỉnh Đồng Nai", "MaTinh": "75", "MaXa": "26041"},
    "NguoiDaiDienPhapLuat": [{"HoVaTen": "Nguyễn Văn An", "SoDinhDanh": "075090001234", "ChucDanh": "Giám đốc"},
                             {"HoVaTen": "John Smith", "SoDinhDanh": "C1234567", "ChucDanh": "Phó giám đốc"}],
    "NganhNghe": [{"MaNganh": "4690", "TenNganh": "Bán buôn tổng hợp", "NganhChinh": "True"}],
}


def body(error_code=0, result=(RECORD,), message="Thành công") -> bytes:
    return json.dumps({"error_code": error_code, "message": message, "result": list(result)}).encode()


def test_the_request_carries_the_code_the_request_id_and_the_purpose():
    request = register.build_lookup_request("3601234569001", "abc", "kiểm tra")
    assert request == {"service": "TraCuuThongTinDoanhNghiep", "MaSoDoanhNghiep": "3601234569-001",
                       "MaYeuCau": "abc", "MucDich": "kiểm tra"}
    parsed = register.parse_lookup_request(json.dumps(request).encode())
    assert (parsed.code, parsed.request_id) == ("3601234569001", "abc")
    for bad in ({**request, "MaSoDoanhNghiep": "36012345"}, {**request, "MaYeuCau": ""},
                {**request, "service": "Other"}):
        with pytest.raises(register.BusinessRegisterMessageError):
            register.parse_lookup_request(json.dumps(bad).encode())


def test_a_found_record_is_read_field_by_field():
    record = register.parse_lookup_answer(body(), "3601234569").record
    assert record is not None
    assert (record.name, record.status, record.status_text) == ("CÔNG TY TNHH AN PHÁT", "active", "Đang hoạt động")
    assert (record.founded, record.amendments, record.capital) == (date(2016, 5, 12), 3, 5_000_000_000)
    assert (record.province_code, record.commune_code) == ("75", "26041")
    assert record.names("075090001234").title == "Giám đốc"
    assert record.names("075090009999") is None and record.names("") is None
    assert record.representatives[1].national_id == ""  # a passport number is not a personal ID
    assert record.lines[0].main and not record.ended
    assert record.to_json()["founded"] == "2016-05-12"


@pytest.mark.parametrize(("code", "status", "ended"), [
    ("2", "suspended", False), ("3", "dissolving", False), ("4", "dissolved", True), ("5", "revoked", False),
    ("8", "bankrupt", True), ("9", "merged", True), ("42", "unknown", False)])
def test_statuses(code, status, ended):
    record = register.parse_lookup_answer(body(result=[{**RECORD, "TinhTrangHoatDong": code}]), "3601234569").record
    assert record is not None and (record.status, record.ended) == (status, ended)


def test_not_found_is_an_empty_result_and_each_success_code_is_accepted():
    assert register.parse_lookup_answer(body(result=[]), "3601234569").record is None
    assert register.parse_lookup_answer(b'{"error_code": "00", "result": null}', "3601234569").record is None
    assert register.parse_lookup_answer(body(error_code="0"), "3601234569").record is not None


def test_a_refusal_is_told_apart_from_a_broken_body():
    with pytest.raises(register.RegisterRefused) as refused:
        register.parse_lookup_answer(body(error_code=-1, result=[], message="Hết hạn mức tra cứu"), "3601234569")
    assert refused.value.message == "Hết hạn mức tra cứu"
    for broken in (b"<html>", b'{"result": []}', b'{"error_code": 0, "result": {}}', b"[1]",
                   body(result=[{**RECORD, "TenDoanhNghiep": ""}]),
                   body(result=[{**RECORD, "NgayThanhLap": "12/05/2016"}]),
                   body(result=[{**RECORD, "NguoiDaiDienPhapLuat": [{"SoDinhDanh": "075090001234"}]}])):
        with pytest.raises(register.BusinessRegisterMessageError):
            register.parse_lookup_answer(broken, "3601234569")


def test_duplicates_one_record_twice_is_one_two_different_or_another_enterprise_are_refused():
    assert register.parse_lookup_answer(body(result=[RECORD, RECORD]), "3601234569").record is not None
    with pytest.raises(register.BusinessRegisterMessageError, match="2 different records"):
        register.parse_lookup_answer(body(result=[RECORD, {**RECORD, "TinhTrangHoatDong": "4"}]), "3601234569")
    with pytest.raises(register.BusinessRegisterMessageError, match="not 3602345670"):
        register.parse_lookup_answer(body(), "3602345670")


def test_a_branch_code_is_written_with_its_dash_and_kept_compact():
    branch = {**RECORD, "MaSoDoanhNghiep": "3601234569-001"}
    record = register.parse_lookup_answer(body(result=[branch]), "3601234569001").record
    assert record is not None and record.code == "3601234569001"
    assert register.record_to_wire(record)["MaSoDoanhNghiep"] == "3601234569-001"
    assert register.record_from_wire(register.record_to_wire(record)) == record
