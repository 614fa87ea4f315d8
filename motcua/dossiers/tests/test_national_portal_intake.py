"""The national portal pushes dossiers; a repeated push makes one dossier; status changes are queued back."""

import base64

import pytest
from django.test import override_settings

from motcua.dossiers import actions
from motcua.dossiers.models import Channel, Dossier, PortalSync, Status

URL = "/api/v1/dossiers/national-portal/dossiers"
TOKEN = "portal-test-token-123"


def attachment(slot, name):
    return {"MaGiayTo": slot, "TenTep": name, "NoiDungBase64": base64.b64encode(b"%PDF-1.4 " + name.encode()).decode()}


def payload(**overrides):
    body = {
        "MaHoSo": "G22.99-261130-000042", "MaTTHC": "1.001193", "MaCoQuan": "000.01.70.H19",
        "ChuHoSo": "Lê Thị Cúc", "SoDinhDanh": "075195001111", "SoDienThoai": "0909123456",
        "DuLieuBieuMau": {
            "tre": {"ho_ten": "Lê Minh Khang", "gioi_tinh": "nam", "ngay_sinh": "2026-11-20", "noi_sinh": "Đồng Nai"},
            "me": {"ho_ten": "Lê Thị Cúc", "so_dinh_danh": "075195001111"},
            "nguoi_yeu_cau": {"ho_ten": "Lê Thị Cúc", "so_dinh_danh": "075195001111"},
        },
        "TepDinhKem": [
            attachment("to_khai_khai_sinh", "to-khai.pdf"),
            attachment("giay_chung_sinh", "chung-sinh.pdf"),
            attachment("giay_to_tuy_than", "cccd.pdf"),
        ],
    }
    body.update(overrides)
    return body


def post(client, body, token=TOKEN):
    return client.post(URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture(autouse=True)
def portal_token(settings):
    settings.MOTCUA_NATIONAL_PORTAL_TOKEN = TOKEN


def test_push_creates_a_dossier_awaiting_receipt(client, demo_catalog, other_clerk):
    response = post(client, payload())
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(external_id="G22.99-261130-000042")
    assert response.json()["MaHoSoTinh"] == dossier.code
    assert (dossier.channel, dossier.status) == (Channel.NATIONAL_PORTAL, Status.SUBMITTED)
    assert dossier.receiving_agency.eid_code == "000.01.70.H19"
    assert dossier.documents.count() == 3
    # The commune clerk receives it; the change is queued for the portal.
    actions.receive_dossier(dossier, actor=other_clerk)
    assert list(PortalSync.objects.filter(dossier=dossier).values_list("payload__TrangThaiHoSo", flat=True)) == [
        "submitted", "received"]


def test_repeated_push_is_one_dossier(client, demo_catalog):
    first = post(client, payload())
    second = post(client, payload())
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Dossier.objects.count() == 1


def test_bad_token_and_bad_data(client, demo_catalog):
    assert post(client, payload(), token="wrong").status_code == 401
    missing_form = post(client, payload(DuLieuBieuMau={}))
    assert missing_form.status_code == 422
    # one error per missing question, keyed by its path
    errors = missing_form.json()["errors"]
    assert errors["form_data/tre/ho_ten"][0] == "Nhập họ, chữ đệm và tên của người được khai sinh"
    assert post(client, payload(MaTTHC="9.999999")).status_code == 422
    bad_file = [{"MaGiayTo": "x", "TenTep": "x", "NoiDungBase64": "!!"}]
    assert post(client, payload(TepDinhKem=bad_file)).status_code == 422
    assert Dossier.objects.count() == 0


@override_settings(MOTCUA_NATIONAL_PORTAL_TOKEN="")
def test_no_token_configured_refuses_everything(client, demo_catalog):
    assert post(client, payload(), token="").status_code == 401
