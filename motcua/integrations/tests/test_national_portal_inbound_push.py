"""The national portal forwards a dossier in its own shape (DongBoHoSoMC object): one dossier per MaHoSo, answers in
its envelope, refuses bad input and wrong credentials with nothing created."""

import json

import pytest
from django.urls import reverse

from motcua.documents.models import Blob
from motcua.documents.tests.samples import EXE
from motcua.dossiers import actions
from motcua.dossiers.models import Channel, Dossier, PortalSync, Status
from motcua.integrations.tests.inbound_helpers import (
    CODE,
    SLOTS,
    TOKEN,
    dossier_item,
    inline_file,
    post,
    wrapped,
)


@pytest.fixture(autouse=True)
def portal_token(settings):
    settings.MOTCUA_NATIONAL_PORTAL_TOKEN = TOKEN
    settings.MOTCUA_NATIONAL_PORTAL_INBOUND_DSTCODE = ""


@pytest.fixture
def tran_bien(demo_catalog, demo_agencies):
    return demo_agencies["tran_bien"]


def test_a_push_creates_one_dossier_keeping_mahoso(client, tran_bien, other_clerk):
    response = post(client, "/nhanhsdvcqg", wrapped(tran_bien.eid_code))
    assert response.status_code == 200, response.content
    answer = response.json()
    dossier = Dossier.objects.get()
    assert answer["error_code"] == 0
    assert answer["message"].startswith(f"{CODE}|")
    assert answer["result"] == [{"MaHoSo": CODE, "SoBienNhan": dossier.code, "TrangThaiHoSo": "1",
                                 "NgayTiepNhan": "20261130083000"}]
    assert (dossier.external_id, dossier.channel, dossier.status) == (CODE, Channel.NATIONAL_PORTAL, Status.SUBMITTED)
    assert dossier.competent_agency == tran_bien
    assert dossier.form_data == {}  # the portal sends no e-form: the clerk completes it
    assert (dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_phone) == (
        "Lê Thị Cúc", "075195001111", "0909123456")
    assert sorted(dossier.documents.values_list("slot", flat=True)) == sorted(SLOTS)
    assert {d.blob.content_type for d in dossier.documents.select_related("blob")} == {"application/pdf"}

    again = post(client, "/nhanhsdvcqg", wrapped(tran_bien.eid_code))
    assert (again.status_code, again.json()) == (200, answer)
    assert Dossier.objects.count() == 1

    # The clerk receives it; the status goes back to the portal under the portal's code.
    dossier = actions.receive_dossier(dossier, actor=other_clerk)
    assert PortalSync.objects.filter(dossier=dossier).count() == 2
    from motcua.integrations.national_portal_sync import portal_code

    assert portal_code(dossier) == CODE
    # Still the same answer once the dossier has moved on (the portal may retry late).
    assert post(client, "/nhanhsdvcqg", wrapped(tran_bien.eid_code)).json() == answer


def test_a_bare_object_on_the_other_path_and_files_not_classified(client, tran_bien):
    item = dossier_item(MaDonViXuLy=tran_bien.eid_code,
                        TaiLieuNop=[inline_file("to_khai_khai_sinh"),
                                    {**inline_file("x"), "MaThanhPhanHoSo": "GT99"},
                                    {**inline_file("deleted"), "IsDeleted": "True"}])
    response = post(client, "/createdossierfromdvcqg", item)
    assert response.json()["error_code"] == 0, response.content
    dossier = Dossier.objects.get(external_id=CODE)
    # a document the procedure does not list is kept unclassified; a deleted one is not taken
    assert sorted(dossier.documents.values_list("slot", flat=True)) == ["", "to_khai_khai_sinh"]


def test_the_agency_is_found_by_name_when_no_code_is_given(client, tran_bien):
    body = {"data": [dossier_item(DonViXuLy=tran_bien.name, Email="not an address", MaDoiTuong="techid-42")]}
    assert post(client, "/nhanhsdvcqg", body).json()["error_code"] == 0
    dossier = Dossier.objects.get()
    assert dossier.competent_agency == tran_bien
    assert (dossier.applicant_email, dossier.applicant_id_number) == ("", "")  # not an address, not an ID number


def _refused(response):
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["error_code"] == -1
    assert answer["message_en"]
    return answer


@pytest.mark.parametrize(("changes", "in_message"), [
    ({"MaHoSo": ""}, "Thiếu trường bắt buộc MaHoSo"),
    ({"ChuHoSo": None}, "Thiếu trường bắt buộc ChuHoSo"),
    ({"NgayTiepNhan": "2026-11-30 08:30"}, "yyyyMMddHHmmss"),
    ({"NgayTiepNhan": "20261340083000"}, "yyyyMMddHHmmss"),
    ({"NgayTiepNhan": "20991130083000"}, "tương lai"),
    ({"MaTTHC": "9.999999"}, "Không có thủ tục 9.999999"),
    ({"LoaiDoiTuong": "7"}, "LoaiDoiTuong"),
    ({"TaiLieuNop": [{"TenTepDinhKem": "a.pdf", "Base64": "!!"}]}, "base64"),
    ({"TaiLieuNop": [{"TenTepDinhKem": "a.pdf"}]}, "đúng một trong hai"),
    ({"TaiLieuNop": [{**inline_file("giay_to_tuy_than", EXE)}]}, "không đúng định dạng cho phép"),
    ({"TaiLieuNop": "tep.pdf"}, "danh sách"),
])
def test_bad_input_is_refused_in_the_envelope_and_nothing_is_created(client, tran_bien, changes, in_message):
    answer = _refused(post(client, "/nhanhsdvcqg", wrapped(tran_bien.eid_code, **changes)))
    assert in_message in answer["message"]
    assert not Dossier.objects.exists()
    assert not Blob.objects.exists()


def test_a_nul_character_is_refused_whatever_the_content_type(client, tran_bien):
    body = json.dumps(wrapped(tran_bien.eid_code, ChuHoSo="Lê\x00Cúc"))
    response = client.post("/api/v1/national-portal/nhanhsdvcqg", body, content_type="text/plain",
                           HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert "ký tự không hợp lệ" in _refused(response)["message"]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", json.dumps({"data": []}), json.dumps({"x": 1}),
                                  json.dumps({"data": [dossier_item(), dossier_item(MaHoSo="B")]})])
def test_malformed_bodies_are_refused(client, tran_bien, body):
    _refused(post(client, "/nhanhsdvcqg", body))
    assert not Dossier.objects.exists()


def test_an_agency_that_does_not_handle_the_procedure_is_refused(client, demo_catalog, demo_agencies):
    answer = _refused(post(client, "/nhanhsdvcqg", wrapped(demo_agencies["land_office"].eid_code)))
    assert "không giải quyết thủ tục" in answer["message"]
    answer = _refused(post(client, "/nhanhsdvcqg", wrapped("000.99.99.H99", DonViXuLy="")))
    assert "Không xác định được đơn vị" in answer["message"]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN + "x"])
def test_no_or_wrong_token_is_refused(client, tran_bien, token):
    response = post(client, "/nhanhsdvcqg", wrapped(tran_bien.eid_code), token=token)
    assert response.status_code == 401
    assert response.json()["error_code"] == -1
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Dossier.objects.exists()


def test_no_token_configured_refuses_everything(client, settings, tran_bien):
    settings.MOTCUA_NATIONAL_PORTAL_TOKEN = ""
    for path in ("/nhanhsdvcqg", "/tracuuhoso", "/danhgia", "/dongbodanhgia"):
        assert post(client, path, wrapped(tran_bien.eid_code), token="").status_code == 401


def test_the_dstcode_is_checked_when_configured(client, settings, tran_bien):
    settings.MOTCUA_NATIONAL_PORTAL_INBOUND_DSTCODE = "VN:GOV:000.00.00.H19:MOTCUA"
    assert post(client, "/nhanhsdvcqg", wrapped(tran_bien.eid_code)).status_code == 401
    assert post(client, "/nhanhsdvcqg", wrapped(tran_bien.eid_code), HTTP_DSTCODE="VN:GOV:other").status_code == 401
    ok = post(client, "/nhanhsdvcqg", wrapped(tran_bien.eid_code), HTTP_DSTCODE="VN:GOV:000.00.00.H19:MOTCUA")
    assert ok.json()["error_code"] == 0


def test_an_oversized_body_is_refused_before_it_is_read(client, settings, tran_bien):
    """Bounded by DATA_UPLOAD_MAX_MEMORY_SIZE: Django's own guard (400) answers before the view when a middleware
    reads the body; the view answers 413 in the envelope otherwise."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client, "/nhanhsdvcqg", wrapped(tran_bien.eid_code))
    assert response.status_code in (400, 413)
    assert not Dossier.objects.exists()


def test_the_clerk_sees_the_portal_dossier_waiting_with_its_portal_code(client, tran_bien, other_clerk):
    post(client, "/nhanhsdvcqg", wrapped(tran_bien.eid_code, HinhThuc="1"))
    dossier = Dossier.objects.get()
    assert dossier.return_method == "postal"
    client.force_login(other_clerk)
    waiting = client.get(reverse("backoffice:awaiting_receipt")).content.decode()
    assert dossier.code in waiting
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert CODE in page
    assert "không gửi kèm tờ khai điện tử" in page
