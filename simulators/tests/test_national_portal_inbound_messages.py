"""The adapter's Inbound section, as pure functions: the portal's dossier object (bare or wrapped), evaluations on
motcua's survey scale, the DongBoDanhGia item, our answers."""

import base64
from datetime import UTC, datetime

import pytest

from motcua.adapters import national_portal as portal

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
ITEM = {"MaHoSo": "000.00.00.H19-261203-0001", "MaTTHC": "1.001193", "ChuHoSo": "Lê Thị Cúc",
        "NgayTiepNhan": "20261203163000", "DonViXuLy": "UBND phường Trấn Biên",
        "TaiLieuNop": [{"TenTepDinhKem": "a.pdf", "DuongDanTaiTepTin": "https://tep.example/a", "MaThanhPhanHoSo": "x"},
                       {"TenTepDinhKem": "b.pdf", "Base64": base64.b64encode(b"%PDF-1.4").decode()},
                       {"TenTepDinhKem": "c.pdf", "IsDeleted": "True"}]}


def test_bare_and_wrapped_dossiers_read_the_same():
    bare = portal.parse_inbound_dossier(ITEM, now=NOW)
    wrapped = portal.parse_inbound_dossier(portal.build_inbound_dossier_request("000.01.70.H19", ITEM), now=NOW)
    assert bare.code == wrapped.code == ITEM["MaHoSo"]
    assert wrapped.agency_codes == ("000.01.70.H19", "UBND phường Trấn Biên")
    assert bare.received_at == datetime(2026, 12, 3, 9, 30, tzinfo=UTC)  # 16:30 in Hồ Chí Minh City
    assert [(f.name, f.url, f.content) for f in bare.files] == [
        ("a.pdf", "https://tep.example/a", None), ("b.pdf", "", b"%PDF-1.4")]


def test_a_receipt_time_later_than_now_is_refused():
    with pytest.raises(portal.InboundMessageError) as caught:
        portal.parse_inbound_dossier({**ITEM, "NgayTiepNhan": "20261203180000"}, now=NOW)
    assert caught.value.field == "NgayTiepNhan" and "tương lai" in caught.value.message_vi


@pytest.mark.parametrize(("level", "expected"), [
    ("1", {"overall": 5, "staff": 5, "timeliness": 5}),
    ("2", {"overall": 4, "staff": 4, "timeliness": 5}),
    ("3", {"overall": 2, "staff": 2, "timeliness": 1}),
])
def test_evaluation_levels_on_the_survey_scale(level, expected):
    criteria = [{"MaTieuChi": "ThaiDoCanBo", "MucDoHaiLong": level},
                {"MaTieuChi": "ThoiGianGiaiQuyet", "MucDoHaiLong": level}]
    body = portal.build_evaluation_request([{"MaHoSo": "A", "MucDoHaiLong": level, "DanhSachTieuChi": criteria}])
    [evaluation] = portal.parse_inbound_evaluations(body, now=NOW)
    assert dict(evaluation.answers) == expected


def test_every_criterion_maps_to_an_allowed_survey_answer():
    from motcua.dossiers.models import SURVEY

    allowed = {q.key: q.values for q in SURVEY}
    assert set(portal.EVALUATION_CRITERIA.values()) == set(allowed) == set(portal.EVALUATION_VALUES)
    for question, values in portal.EVALUATION_VALUES.items():
        assert set(values) == set(portal.EVALUATION_LEVELS)
        assert set(values.values()) <= allowed[question]


def test_the_summary_item_and_our_answers():
    item = portal.evaluation_summary_object(portal.EvaluationSummary(
        year=2026, month=11, agency_code="000.01.70.H19", agency_name="UBND", procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh", total=3, very_satisfied=1, satisfied=1, not_satisfied=1))
    assert (item["NgayTongHop"], item["TongSoNguoiDanhGia"], item["PhanTramDanhGiaRatHaiLong"],
            item["PhanTramDanhGiaDichVuHaiLong"]) == ("11-2026", 3, "33%", "0%")
    refusal = portal.build_inbound_answer(-1, "A", "Không tìm thấy hồ sơ.", message_en="No such dossier.")
    assert refusal == {"error_code": -1, "message": "A|Không tìm thấy hồ sơ.", "result": [],
                       "message_en": "No such dossier."}
    assert portal.parse_summary_month({"NgayTongHop": "3-2026"}) == (2026, 3)
