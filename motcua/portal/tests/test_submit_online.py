"""A signed-in citizen submits a birth registration online: e-form, uploads, idempotent retry, clear errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.models import Channel, Dossier, Status


def form(**overrides):
    data = {
        "idempotency_key": "k-123", "name": "Nguyễn Văn An", "id_number": "075090001234", "phone": "0912345678",
        "agency": "", "tre__ho_ten": "Nguyễn Minh Khôi", "tre__gioi_tinh": "nam", "tre__ngay_sinh": "2026-11-18",
        "tre__noi_sinh": "Bệnh viện Đa khoa Đồng Nai", "me__ho_ten": "Lê Thị Hồng", "me__so_dinh_danh": "075196002222",
        "nguoi_yeu_cau__ho_ten": "Nguyễn Văn An", "nguoi_yeu_cau__so_dinh_danh": "075090001234",
    }
    data.update(overrides)
    return data


def files():
    return {f"doc__{code}": SimpleUploadedFile(f"{code}.pdf", b"%PDF-1.4 " + code.encode(), "application/pdf")
            for code in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")}


@pytest.fixture
def signed_in(client, citizen, demo_catalog):
    client.force_login(citizen)
    return client


def test_citizen_submits_and_a_retry_makes_one_dossier(signed_in, demo_agencies):
    url = reverse("portal:submit", args=["1.001193"])
    assert signed_in.get(url).status_code == 200
    agency = demo_agencies["tran_bien"].pk
    first = signed_in.post(url, {**form(agency=agency), **files()})
    assert first.status_code == 302
    second = signed_in.post(url, {**form(agency=agency), **files()})
    assert second["Location"] == first["Location"]
    dossier = Dossier.objects.get()
    assert (dossier.channel, dossier.status, dossier.applicant.username) == (Channel.ONLINE, Status.SUBMITTED,
                                                                            "nguyenvana")
    assert dossier.form_data["tre"]["ho_ten"] == "Nguyễn Minh Khôi"
    assert dossier.documents.count() == 3
    page = signed_in.get(first["Location"]).content.decode()
    assert dossier.code in page and dossier.lookup_secret in page


def test_missing_answers_are_listed_and_typed_values_kept(signed_in, demo_agencies):
    url = reverse("portal:submit", args=["1.001193"])
    response = signed_in.post(url, {**form(agency=demo_agencies["tran_bien"].pk, tre__ho_ten=""), **files()})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nhập họ, chữ đệm và tên của người được khai sinh" in text
    assert "Bệnh viện Đa khoa Đồng Nai" in text  # what was typed is still there
    assert not Dossier.objects.exists()


def test_missing_document_and_agency(signed_in):
    url = reverse("portal:submit", args=["1.001193"])
    response = signed_in.post(url, form())
    assert response.status_code == 400
    assert "Vui lòng chọn nơi giải quyết" in response.content.decode()


def test_sign_in_is_required(client, demo_catalog):
    response = client.get(reverse("portal:submit", args=["1.001193"]))
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]


def test_another_citizen_cannot_see_the_confirmation(signed_in, client, other_citizen, demo_agencies):
    signed_in.post(reverse("portal:submit", args=["1.001193"]),
                   {**form(agency=demo_agencies["tran_bien"].pk), **files()})
    dossier = Dossier.objects.get()
    client.force_login(other_citizen)
    assert client.get(reverse("portal:submitted", args=[dossier.code])).status_code == 404


def test_the_error_summary_links_each_message_to_its_field(signed_in, demo_agencies):
    """GOV.UK error summary on the one-page form: every message is a link to a control that exists on the page."""
    import re

    url = reverse("portal:submit", args=["1.001193"])
    response = signed_in.post(url, form(tre__ho_ten=""))  # no agency, a question left empty
    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    anchors = re.findall(r'<a href="#([^"]+)">', summary)
    assert "agency" in anchors and "f-tre__ho_ten" in anchors
    for anchor in anchors:
        assert f'id="{anchor}"' in page, anchor
