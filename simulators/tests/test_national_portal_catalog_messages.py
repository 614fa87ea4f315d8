"""The adapter's Catalog section: LayThuTuc records (reference §1) into catalog terms, robust to missing or odd
fields, refusing malformed ones; the list services; the simulator's national catalog round-trips the demo one."""

import json

import pytest

from motcua.adapters import national_portal as portal
from simulators.national_portal import DEMO_CATALOG, NATIONAL_CATALOG, national_record

LAND = NATIONAL_CATALOG["1.013831"]


def test_a_full_record_reads_every_evidenced_field():
    procedure = portal.parse_national_procedure(LAND)
    assert procedure.code == "1.013831" and procedure.name.startswith("Đăng ký biến động")
    assert procedure.fields == (("G13-TN01", "Đất đai"),)
    assert (procedure.statutory_days, procedure.statutory_unit) == ("10", "working_days")
    assert procedure.channels == ("1", "2") and procedure.level == "province"
    added = next(d for d in procedure.documents if d.name.startswith("Sơ đồ tài sản"))
    assert added.quantity == 1 and not added.case and not added.copy_allowed
    assert any(d.case for d in procedure.documents)  # the optional ones come as a named case
    assert procedure.steps[0].startswith("Tiếp nhận, kiểm tra hồ sơ")
    assert procedure.agencies == (("000.01.16.H19", "Văn phòng đăng ký đất đai hoặc Chi nhánh Văn phòng đăng ký "
                                                     "đất đai"),)
    assert procedure.in_force and procedure.decided_at is not None and procedure.decided_at.day == 2


def test_fees_keep_amounts_online_amounts_and_text_charges():
    lines = portal.national_fee_lines(portal.parse_national_procedure(LAND))
    assert lines[0] == {"name": lines[0]["name"], "kind": "fixed", "amount": 450000, "online_amount": 427500}
    assert lines[1]["online_amount"] == 0
    assert lines[2] == {"name": "Thuế thu nhập cá nhân, lệ phí trước bạ", "kind": "per_item", "amount": 0,
                        "unit": "theo thông báo của cơ quan thuế"}


def test_a_minimal_record_is_read_with_defaults():
    procedure = portal.parse_national_procedure({"MATTHC": "1.000001", "TENTTHC": "Thủ tục tối giản",
                                                 "LINHVUCTHUCHIEN": None, "YEUCAU": None, "TRANGTHAI": 1})
    assert procedure.statutory_days is None and procedure.fees == () and procedure.documents == ()
    assert procedure.level == "" and procedure.in_force and procedure.decided_at is None


@pytest.mark.parametrize(("change", "complaint"), [
    ({"MATTHC": ""}, "MATTHC"),
    ({"TENTTHC": None}, "TENTTHC"),
    ({"THANHPHANHOSO": "giấy tờ"}, "THANHPHANHOSO"),
    ({"LINHVUCTHUCHIEN": [{"MALINHVUC": "X"}]}, "TENLINHVUC"),
    ({"CACHTHUCTHUCHIEN": [{"KENH": "1", "THOIGIAN": [{"THOIGIANGIAIQUYET": "-3"}]}]}, "THOIGIANGIAIQUYET"),
    ({"CACHTHUCTHUCHIEN": [{"KENH": "1", "THOIGIAN": [{"THOIGIANGIAIQUYET": "5", "DONVITINH": "Tuần"}]}]},
     "DONVITINH"),
    ({"NGAYHIEULUC": "01/12/2026"}, "yyyyMMddHHmmss"),
    ({"CANCUPHAPLY": [{"TENVANBAN": {"x": 1}}]}, "TENVANBAN"),
])
def test_malformed_records_are_refused(change, complaint):
    with pytest.raises(portal.PortalMessageError, match=complaint):
        portal.parse_national_procedure({**LAND, **change})


def test_odd_but_readable_values():
    record = {**LAND, "CACHTHUCTHUCHIEN": [{"KENH": "1", "THOIGIAN": [{
        "THOIGIANGIAIQUYET": "0,5", "DONVITINH": "Ngày", "PHILEPHI": [
            {"MOTA": "Lệ phí", "SOTIEN": "50.000", "DONVI": "Đồng"},
            {"MOTA": "Phí theo trang", "SOTIEN": "Theo quy định", "DONVI": ""}]}]}]}
    procedure = portal.parse_national_procedure(record)
    assert (procedure.statutory_days, procedure.statutory_unit) == ("0.5", "calendar_days")
    assert [f.amount for f in procedure.fees] == [50000, None]


def test_answers_unknown_code_and_list_services():
    answer, found = portal.parse_procedure_answer(portal.build_answer(0, "Thành công", []))
    assert answer.ok and found is None
    answer, found = portal.parse_procedure_answer(json.dumps(portal.build_answer(-1, "lỗi")).encode())
    assert not answer.ok and found is None
    _, pairs = portal.parse_procedure_list(portal.build_answer(0, "", [{"MATTHC": "1.000001", "TENTTHC": "A"},
                                                                      {"MATTHC": "1.000001", "TENTTHC": "A"}]))
    assert pairs == [("1.000001", "A")]
    with pytest.raises(portal.PortalMessageError):
        portal.parse_field_list(portal.build_answer(0, "", [{"MALINHVUC": "G1"}]))
    with pytest.raises(portal.PortalMessageError, match="larger"):
        portal.parse_procedure_answer(b" " * (portal.CATALOG_ANSWER_LIMIT + 1))


def test_request_builders_carry_the_session_and_agency():
    assert portal.build_list_procedures_request("s", "000.00.00.H19") == {
        "service": "LayDanhSachTTHC", "session": "s", "madonvi": "000.00.00.H19"}
    assert portal.build_list_fields_request("s", "A")["service"] == "LayDanhMucLinhVuc"
    assert portal.build_list_agencies_request("s", "A")["service"] == "LayDanhMucCoQuan"


def test_the_simulated_national_record_of_a_demo_procedure_reads_back_its_content():
    local = next(p for p in json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))["procedures"]
                 if p["national_code"] == "1.001193")
    procedure = portal.parse_national_procedure(national_record(local))
    assert procedure.name == local["name"] and procedure.statutory_days == "0"
    assert {d.name for d in procedure.documents} == {d["name"] for d in local["required_documents"]}
    assert procedure.legal_basis == tuple(local["legal_basis"]) and procedure.results == (local["result_type"],)
