"""The portal asks a dossier's status (mapped code, dates, progress) and sends citizens' evaluations, which are kept
once as the dossier's satisfaction survey and counted like local ones; it may ask for the month's summary."""

import pytest
from django.db.models import Sum

from motcua.adapters import national_portal as portal
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, SurveyResponse
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.integrations.models import PortalStatusMapping
from motcua.integrations.tests.inbound_helpers import CODE, TOKEN, post, wrapped
from motcua.reports.models import Metric, MonthlyRollup


@pytest.fixture(autouse=True)
def portal_token(settings):
    settings.MOTCUA_NATIONAL_PORTAL_TOKEN = TOKEN


@pytest.fixture
def pushed(client, demo_catalog, demo_agencies):
    response = post(client, "/nhanhsdvcqg", wrapped(demo_agencies["tran_bien"].eid_code))
    assert response.json()["error_code"] == 0, response.content
    return Dossier.objects.get(external_id=CODE)


@pytest.fixture
def returned(pushed, other_clerk, commune_specialist, commune_leader):
    dossier = actions.receive_dossier(pushed, actor=other_clerk)
    dossier = actions.forward_dossier(dossier, actor=other_clerk)
    dossier = actions.forward_dossier(dossier, actor=commune_specialist)
    dossier = actions.approve_dossier(dossier, actor=commune_leader)
    return actions.return_result(dossier, actor=other_clerk)


def status_of(client, code):
    return post(client, "/tracuuhoso", portal.build_status_query(code))


def test_status_answers_the_mapped_code_dates_and_progress(client, pushed, other_clerk):
    dossier = actions.receive_dossier(pushed, actor=other_clerk)
    answer = status_of(client, CODE).json()
    assert answer["error_code"] == 0 and answer["message"].startswith(f"{CODE}|")
    item = answer["result"][0]
    assert (item["MaHoSo"], item["SoBienNhan"], item["TrangThaiHoSo"]) == (CODE, dossier.code, "2")
    assert item["NgayTiepNhan"] == portal.format_portal_datetime(dossier.received_at)
    assert item["NgayHenTra"] == portal.format_portal_datetime(dossier.due_at)
    assert item["NgayNopHoSo"] == "20261130083000"
    steps = item["QuaTrinhXuLy"]
    assert [s["TrangThai"] for s in steps] == ["1", "2"]
    assert {s["MaHoSo"] for s in steps} == {CODE}
    assert steps[1]["NguoiXuLy"] == (other_clerk.get_full_name() or other_clerk.get_username())
    assert steps[1]["ThoiDiemXuLy"] == portal.format_portal_datetime(dossier.received_at)
    # the province's mapping table decides the code
    PortalStatusMapping.objects.update_or_create(local_status="received", defaults={"portal_code": "4"})
    item = status_of(client, CODE).json()["result"][0]
    assert item["TrangThaiHoSo"] == "4" and [s["TrangThai"] for s in item["QuaTrinhXuLy"]] == ["1", "4"]
    # asked by our own code, the answer is about the same dossier, under the portal's code
    assert status_of(client, dossier.code).json()["result"][0]["MaHoSo"] == CODE


def test_status_of_a_local_dossier_and_of_unknown_codes(client, demo_catalog, demo_agencies, clerk):
    local = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    item = status_of(client, local.code).json()["result"][0]
    assert (item["MaHoSo"], item["TrangThaiHoSo"]) == (local.code, "2")
    for code in ("000.00.00.H19-000000-9999", ""):
        answer = status_of(client, code).json()
        assert answer["error_code"] == -1 and answer["result"] == []
    assert post(client, "/tracuuhoso", {"x": 1}).json()["error_code"] == -1
    assert post(client, "/tracuuhoso", portal.build_status_query(local.code), token="bad").status_code == 401


def evaluation(code=CODE, level="1", **extra):
    return portal.build_evaluation_request([{"MaHoSo": code, "NgayDanhGia": "20261201100000", "MucDoHaiLong": level,
                                             "DanhSachTieuChi": [{"MaTieuChi": "ThaiDoCanBo", "MucDoHaiLong": "2"},
                                                                 {"MaTieuChi": "ThoiGianGiaiQuyet",
                                                                  "MucDoHaiLong": "3"}],
                                             "NoiDungYKien": "Cán bộ nhiệt tình", **extra}])


def figures(dossier):
    rows = MonthlyRollup.objects.filter(procedure=dossier.procedure, agency=dossier.competent_agency)
    return {metric: rows.filter(metric=metric).aggregate(n=Sum("value"))["n"] or 0
            for metric in (Metric.SURVEYED, Metric.SATISFIED)}


def test_an_evaluation_is_stored_once_and_counted(client, returned):
    before = figures(returned)
    answer = post(client, "/danhgia", evaluation()).json()
    assert answer["error_code"] == 0, answer
    assert answer["result"] == [{"MaHoSo": CODE, "error_code": 0, "message": "Đã lưu đánh giá."}]
    survey = SurveyResponse.objects.get(dossier=returned)
    assert survey.source == SurveyResponse.Source.NATIONAL_PORTAL
    assert (survey.overall, survey.comment) == (5, "Cán bộ nhiệt tình")
    assert survey.answers == {"overall": 5, "staff": 4, "timeliness": 1}
    assert figures(returned) == {Metric.SURVEYED: before[Metric.SURVEYED] + 1,
                                 Metric.SATISFIED: before[Metric.SATISFIED] + 1}
    # the same evaluation again, or a different one: nothing changes
    again = post(client, "/danhgia", evaluation(level="3")).json()
    assert again["error_code"] == 0 and again["result"][0]["message"] == "Hồ sơ đã có đánh giá trước đó."
    assert SurveyResponse.objects.get(dossier=returned).overall == 5
    assert figures(returned) == {Metric.SURVEYED: before[Metric.SURVEYED] + 1,
                                 Metric.SATISFIED: before[Metric.SATISFIED] + 1}


def test_a_not_satisfied_evaluation_counts_as_surveyed_only(client, returned):
    before = figures(returned)
    assert post(client, "/danhgia", evaluation(level="3")).json()["error_code"] == 0
    assert SurveyResponse.objects.get(dossier=returned).overall == 2
    assert figures(returned) == {Metric.SURVEYED: before[Metric.SURVEYED] + 1,
                                 Metric.SATISFIED: before[Metric.SATISFIED]}


@pytest.mark.parametrize("changes", [{"MucDoHaiLong": "5"}, {"MucDoHaiLong": ""}, {"NgayDanhGia": "01/12/2026"},
                                     {"DanhSachTieuChi": [{"MaTieuChi": "KhongCo", "MucDoHaiLong": "1"}]}])
def test_a_malformed_evaluation_is_refused_and_nothing_stored(client, returned, changes):
    answer = post(client, "/danhgia", evaluation(**changes)).json()
    assert answer["error_code"] == -1 and answer["message_en"]
    assert not SurveyResponse.objects.exists()


def test_evaluations_of_unknown_or_unfinished_dossiers_are_not_stored(client, pushed):
    answer = post(client, "/danhgia", evaluation()).json()  # not returned yet
    assert answer["error_code"] == -1 and answer["result"][0]["message"] == "Chỉ đánh giá sau khi đã nhận kết quả."
    answer = post(client, "/danhgia", evaluation(code="000.00.00.H19-000000-0000")).json()
    assert answer["error_code"] == -1
    assert not SurveyResponse.objects.exists()


def test_the_month_summary_in_the_dongbodanhgia_shape(client, returned):
    assert post(client, "/danhgia", evaluation()).json()["error_code"] == 0
    survey = SurveyResponse.objects.get()
    local = survey.created_at.astimezone(portal.PORTAL_TIME_ZONE)
    answer = post(client, "/dongbodanhgia", portal.build_summary_request(local.year, local.month)).json()
    assert answer["error_code"] == 0
    [item] = answer["result"]
    assert item["NgayTongHop"] == f"{local.month}-{local.year}"
    assert (item["TongSoNguoiDanhGia"], item["PhanTramDanhGiaRatHaiLong"], item["PhanTramDanhGiaChuaHaiLong"]) == (
        1, "100%", "0%")
    assert (item["MaThuTuc"], item["Madonvi"]) == ("1.001193", returned.competent_agency.eid_code)
    assert item["DanhSachNoiDungYKien"] == ["Cán bộ nhiệt tình"]
    other_month = post(client, "/dongbodanhgia", portal.build_summary_request(local.year - 1, local.month)).json()
    assert other_month["result"] == []
    assert post(client, "/dongbodanhgia", {"NgayTongHop": "13-2026"}).json()["error_code"] == -1
