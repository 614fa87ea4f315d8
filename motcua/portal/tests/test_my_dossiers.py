"""My dossiers: list, detail with timeline, supplement upload, withdraw; never another citizen's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel, Status
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM


@pytest.fixture
def dossier(demo_catalog, demo_agencies, citizen):
    return submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, applicant=Applicant(name="Nguyễn Văn An"),
        competent_agency=demo_agencies["tran_bien"], actor=citizen, form_data=BIRTH_FORM,
        uploads=[Upload(c, f"{c}.pdf", b"%PDF-1.4") for c in ("to_khai_khai_sinh", "giay_chung_sinh",
                                                               "giay_to_tuy_than")],
    )


def test_list_and_detail(client, citizen, dossier):
    client.force_login(citizen)
    listing = client.get(reverse("portal:my_dossiers")).content.decode()
    assert dossier.code in listing and "Đã nộp, chờ tiếp nhận" in listing
    detail = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert dossier.lookup_secret in detail and "Quá trình xử lý" in detail


def test_answering_a_supplement_request(client, citizen, other_clerk, dossier):
    actions.request_supplement(dossier, actor=other_clerk, items=["Giấy chứng sinh bản rõ nét"], note="Ảnh mờ")
    client.force_login(citizen)
    page = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert "Giấy chứng sinh bản rõ nét" in page
    response = client.post(reverse("portal:supplement", args=[dossier.code]), {
        "doc__giay_chung_sinh": SimpleUploadedFile("gcs.pdf", b"%PDF-1.4 ro net", "application/pdf")})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.documents.filter(is_supplement=True, slot="giay_chung_sinh").count() == 1


def test_withdraw(client, citizen, dossier):
    client.force_login(citizen)
    client.post(reverse("portal:withdraw", args=[dossier.code]), {"reason": "Nộp nhầm thủ tục"})
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN


def test_another_citizen_can_neither_read_nor_change(client, other_citizen, dossier):
    client.force_login(other_citizen)
    assert client.get(reverse("portal:my_dossier", args=[dossier.code])).status_code == 404
    assert client.post(reverse("portal:withdraw", args=[dossier.code]), {"reason": "x"}).status_code == 404
    upload = SimpleUploadedFile("x.pdf", b"%PDF", "application/pdf")
    assert client.post(reverse("portal:supplement", args=[dossier.code]),
                       {"doc__giay_chung_sinh": upload}).status_code == 404
    assert dossier.code not in client.get(reverse("portal:my_dossiers")).content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_receipt_download_is_for_the_owner_only(client, citizen, other_citizen, other_clerk, dossier):
    dossier = actions.receive_dossier(dossier, actor=other_clerk)
    receipt = dossier.notices.get(kind="receipt")
    url = reverse("portal:notice_pdf", args=[dossier.code, receipt.pk])
    client.force_login(citizen)
    assert url in client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404
