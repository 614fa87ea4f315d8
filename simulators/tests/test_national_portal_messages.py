"""The national portal's message builders and parsers: the reference's field names, dates and codes."""

from datetime import UTC, datetime, timedelta

import pytest

from motcua.adapters import national_portal as portal
from simulators.tests.portal_client import sample_dossier, sample_step

DOSSIER_FIELDS = {
    "MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "ChuHoSo", "LoaiDoiTuong", "MaDoiTuong",
    "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "HinhThuc", "DonViXuLy", "SoBienNhan", "ThongTinKhac", "Email",
    "Fax", "SoDienThoai", "TrichYeuHoSo", "NgayTra", "ThongTinTra", "NgayKetThucXuLy", "GhiChu", "TaiLieuNop",
    "DanhSachGiayToKetQua", "DanhSachLePhi", "DanhSachTepDinhKemKhac", "DanhSachHoSoBoSung",
}
PROGRESS_FIELDS = {
    "MaHoSo", "NguoiXuLy", "ChucDanh", "ThoiDiemXuLy", "PhongBanXuLy", "NoiDungXuLy", "TrangThai", "NgayBatDau",
    "NgayKetThucTheoQuyDinh",
}


def test_dates_are_yyyymmddhhmmss_in_ho_chi_minh_time():
    assert portal.format_portal_datetime(datetime(2026, 12, 3, 17, 5, 9, tzinfo=UTC)) == "20261204000509"
    assert portal.format_portal_datetime(None) == ""
    with pytest.raises(ValueError, match="time zone"):
        portal.format_portal_datetime(datetime(2026, 12, 3, 17, 5, 9))
    parsed = portal.parse_portal_datetime("20261204000509")
    assert parsed == datetime(2026, 12, 3, 17, 5, 9, tzinfo=UTC)
    assert parsed.utcoffset() == timedelta(hours=7)
    assert portal.parse_portal_datetime("") is None


@pytest.mark.parametrize("text", ["2026-12-04 00:05", "20261304000509", "2026120400050", 20261204000509])
def test_bad_dates_are_refused(text):
    with pytest.raises(portal.PortalMessageError):
        portal.parse_portal_datetime(text)


def test_dossier_object_has_every_field_of_the_reference():
    body = portal.build_sync_dossier_request("tok", "000.00.00.H19", [sample_dossier()], is_updating=False)
    assert body["service"] == "DongBoHoSoMC"
    assert body["session"] == "tok"
    assert body["madonvi"] == "000.00.00.H19"
    assert body["isUpdating"] == "False"
    item = body["data"][0]
    assert set(item) == DOSSIER_FIELDS
    assert item["NgayTiepNhan"] == "20261203090000"
    assert item["NgayHenTra"] == "20261208170000"
    assert item["NgayTra"] == ""
    assert item["TrangThaiHoSo"] == "4"
    assert item["HinhThuc"] == "1"
    assert item["LoaiDoiTuong"] == "1"
    assert item["TaiLieuNop"] == [{
        "TepDinhKemId": "f1", "TenTepDinhKem": "To khai.pdf", "IsDeleted": "False", "MaThanhPhanHoSo": "GT01",
        "DuongDanTaiTepTin": "https://motcua.example/tep/f1",
    }]
    assert item["DanhSachLePhi"] == [
        {"TenPhiLePhi": "Lệ phí", "MaPhiLePhi": "LP01", "HinhThucThu": "1", "Gia": "50000", "LoaiPhiLePhi": "1"}
    ]
    assert set(item["DanhSachHoSoBoSung"][0]) == {
        "HoSoBoSungId", "NguoiYeuCauBoSung", "NoiDungBoSung", "NgayBoSung", "NguoiTiepNhanBoSung",
        "ThongTinTiepNhan", "NgayTiepNhanBoSung", "TrangThaiBoSung", "DanhSachGiayToBoSung", "DanhSachLePhiBoSung",
        "NgayHenTraTruoc", "NgayHenTraMoi",
    }
    assert set(item["DanhSachGiayToKetQua"][0]) == {"GiayToId", "TenGiayTo", "MaThanhPhanHoSo", "DuongDanTepTinKetQua"}
    assert item["DanhSachTepDinhKemKhac"] == [{"TenGiayTo": "Bản sao CCCD", "SoLuong": "2", "LoaiGiayTo": "2"}]


def test_dossier_object_round_trips_through_its_parser():
    dossier = sample_dossier()
    assert portal.parse_dossier_object(portal.dossier_object(dossier)) == dossier


def test_long_summary_is_cut_to_the_portal_limit():
    item = portal.dossier_object(sample_dossier(summary="x" * 5000))
    assert len(item["TrichYeuHoSo"]) == portal.TEXT_LIMIT


def test_progress_object_has_the_reference_fields():
    body = portal.build_progress_request("tok", "000.00.00.H19", [sample_step()])
    assert body["service"] == "CapNhatTienDoHoSoMC"
    item = body["data"][0]
    assert set(item) == PROGRESS_FIELDS
    assert item["ThoiDiemXuLy"] == "20261203100000"
    assert item["TrangThai"] == "4"
    assert portal.parse_progress_object(item) == sample_step()


def test_a_status_change_is_the_dossier_then_its_step():
    dossier = sample_dossier(status_code="5")
    step = sample_step(status_code="5", action="Yêu cầu bổ sung - thiếu bản sao CCCD")
    sync, progress = portal.build_status_change_requests("tok", "A", dossier, step, is_updating=True)
    assert sync["service"] == "DongBoHoSoMC" and sync["isUpdating"] == "True"
    assert sync["data"][0]["DanhSachHoSoBoSung"][0]["NoiDungBoSung"] == "Bổ sung bản sao CCCD"
    assert sync["data"][0]["DanhSachLePhi"][0]["Gia"] == "50000"
    assert progress["service"] == "CapNhatTienDoHoSoMC" and progress["data"][0]["TrangThai"] == "5"
    with pytest.raises(ValueError, match="status"):
        portal.build_status_change_requests("tok", "A", dossier, sample_step(), is_updating=True)
    with pytest.raises(ValueError, match="dossier"):
        portal.build_status_change_requests("tok", "A", dossier, sample_step(dossier_code="X", status_code="5"),
                                            is_updating=True)


def test_lookup_and_login_requests():
    assert portal.build_lookup_request("tok", "A", "X-1") == {
        "service": "TraCuuHoSo", "session": "tok", "madonvi": "A", "mahoso": "X-1"
    }
    assert portal.build_login_request("u", "p") == {"username": "u", "password": "p"}
    assert portal.build_headers("DST")["dstcode"] == "DST"
    now = datetime(2026, 12, 3, tzinfo=UTC)
    session = portal.parse_login_answer(b'{"error_code": 0, "session": "abc", "message": ""}', now=now)
    assert session == portal.PortalSession("abc", now + timedelta(minutes=10))


@pytest.mark.parametrize("code", [0, "0", "00"])
def test_every_success_spelling_is_accepted(code):
    answer = portal.parse_answer({"error_code": code, "message": "ok", "result": [{"MaHoSo": "X"}]})
    assert answer.ok and answer.accepted and not answer.duplicate
    assert portal.lookup_found(answer)


def test_duplicate_acknowledgement_is_accepted_but_not_ok():
    answer = portal.parse_answer({"error_code": portal.ERROR_CODE_DUPLICATE, "message": "đã nhận"})
    assert answer.duplicate and answer.accepted and not answer.ok


@pytest.mark.parametrize(
    "body",
    [
        b"<html>502 Bad Gateway</html>",
        b'{"error_code": 0, "result": [',
        b"[]",
        b'{"message": "no code"}',
        b'{"error_code": "abc"}',
        b'{"error_code": true}',
        b'{"error_code": 0, "result": "x"}',
        b"\xff\xfe",
    ],
)
def test_malformed_answers_raise_the_parse_error(body):
    with pytest.raises(portal.PortalMessageError):
        portal.parse_answer(body)


def test_login_answer_without_session_is_refused():
    now = datetime(2026, 12, 3, tzinfo=UTC)
    with pytest.raises(portal.PortalMessageError):
        portal.parse_login_answer(b'{"error_code": 0}', now=now)
    with pytest.raises(portal.PortalMessageError, match="refused"):
        portal.parse_login_answer(b'{"error_code": -1, "message": "sai"}', now=now)


@pytest.mark.parametrize(
    ("field", "value"),
    [("MaHoSo", ""), ("TrangThaiHoSo", "11"), ("NgayTiepNhan", "2026-12-03"), ("TaiLieuNop", "x"), ("ChuHoSo", None)],
)
def test_invalid_dossier_objects_are_refused(field, value):
    item = portal.dossier_object(sample_dossier())
    item[field] = value
    with pytest.raises(portal.PortalMessageError):
        portal.parse_dossier_object(item)


def test_status_and_procedure_mapping_tables():
    assert portal.map_status("returned") == "10"
    assert portal.map_status("awaiting_supplement") == "5"
    assert set(portal.DEFAULT_STATUS_MAPPING.values()) <= set(portal.STATUS_CODES)
    with pytest.raises(portal.PortalMappingError):
        portal.map_status("no-such-status")
    assert portal.map_procedure_code("1.001612") == "1.001612"
    assert portal.map_procedure_code("L-1", {"L-1": "3.000181.000.00.00.H22"}) == "3.000181.000.00.00.H22"


def test_every_motcua_status_has_a_portal_code():
    from motcua.dossiers.models import Status

    assert {s.value for s in Status} == set(portal.DEFAULT_STATUS_MAPPING)


def test_guessed_shapes_are_marked():
    guessed = [name for name, level in portal.EVIDENCE.items() if level == portal.GUESSED]
    assert any("session expired" in name for name in guessed)
    assert any("HinhThuc" in name for name in guessed)
