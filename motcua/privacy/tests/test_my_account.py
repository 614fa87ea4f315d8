"""A citizen sees who read their data (role and agency, when, why; not the reader's name), their consents, and
downloads their data as a ZIP."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel
from motcua.privacy.consents import record_consent
from motcua.privacy.models import Consent, DataAccess


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def online(demo_catalog, demo_agencies, citizen):
    """Citizen A's birth registration, submitted online to the commune, with three uploaded files."""
    citizen.national_id = "075090001234"
    citizen.save()
    version = demo_catalog["1.001193"].current_version
    version.eform_schema = {}
    version.save()
    return submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, competent_agency=demo_agencies["tran_bien"],
        actor=citizen, applicant=Applicant(name="Nguyễn Văn An", id_number="075090001234"),
        uploads=[Upload("to_khai_khai_sinh", "to-khai.pdf", b"%PDF-1.4 to khai"),
                 Upload("giay_chung_sinh", "gcs.pdf", b"%PDF-1.4 chung sinh"),
                 Upload("giay_to_tuy_than", "cccd.pdf", b"%PDF-1.4 cccd")])


def test_the_citizen_sees_every_staff_read_with_role_agency_and_purpose_not_the_name(
        online, citizen, other_citizen, other_clerk, clerk):
    as_commune = _signed_in(other_clerk)  # the commune's clerk handles it
    assert as_commune.get(reverse("backoffice:dossier", args=[online.code])).status_code == 200
    document = online.documents.get(slot="giay_to_tuy_than")
    assert as_commune.get(reverse("backoffice:document", args=[online.code, document.pk])).status_code == 200
    as_centre = _signed_in(clerk)  # the provincial centre's clerk: another agency, with a reason
    as_centre.post(reverse("privacy:reason", args=[online.code]), {"reason": "Kiểm tra theo phản ánh của công dân"})
    assert as_centre.get(reverse("backoffice:dossier", args=[online.code])).status_code == 200
    assert DataAccess.objects.filter(subject=citizen).count() == 4

    page = _signed_in(citizen).get(reverse("privacy:my_account")).content.decode()
    assert "Ai đã xem dữ liệu của tôi" in page
    assert "Ủy ban nhân dân phường Trấn Biên" in page and "Công chức tiếp nhận (Bộ phận Một cửa)" in page
    assert "Mở hồ sơ" in page and "Mở hoặc tải giấy tờ" in page and "Giải quyết hồ sơ" in page
    assert "Kiểm tra theo phản ánh của công dân" in page and "ngoài cơ quan giải quyết" in page
    assert online.code in page
    for private in (other_clerk.username, clerk.username, str(other_clerk), str(clerk)):
        assert private not in page  # the reader's role and agency, never their name or user name
    # Another citizen sees none of it.
    other = _signed_in(other_citizen).get(reverse("privacy:my_account")).content.decode()
    assert online.code not in other and "Chưa có ai xem dữ liệu của bạn." in other
    assert Client().get(reverse("privacy:my_account")).status_code == 302


def test_reads_logged_by_id_number_before_the_account_existed_are_shown(citizen, clerk):
    from motcua.privacy.access import record_access

    record_access(actor=clerk, kind="population_lookup", purpose="intake", subject_national_id="075090005555")
    citizen.national_id = "075090005555"
    citizen.save()
    page = _signed_in(citizen).get(reverse("privacy:my_account")).content.decode()
    assert "Tra cứu Cơ sở dữ liệu quốc gia về dân cư" in page and "Tiếp nhận hồ sơ" in page


def test_consents_are_listed_and_the_citizen_withdraws_their_own(citizen, other_citizen, clerk):
    mine = record_consent(purpose="vneid_prefill", subject=citizen)
    theirs = record_consent(purpose="vneid_prefill", subject=other_citizen)
    client = _signed_in(citizen)
    page = client.get(reverse("privacy:my_account")).content.decode()
    assert "Điền tờ khai từ Cơ sở dữ liệu quốc gia về dân cư sau khi đăng nhập VNeID" in page
    assert "Rút lại sự đồng ý này" in page
    response = client.post(reverse("privacy:my_consent_withdraw"), {"consent": str(theirs.pk)})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None  # not theirs to withdraw
    client.post(reverse("privacy:my_consent_withdraw"), {"consent": str(mine.pk)})
    mine.refresh_from_db()
    assert mine.withdrawn_at is not None
    assert "Đã rút lại lúc" in client.get(reverse("privacy:my_account")).content.decode()
    assert client.post(reverse("privacy:my_consent_withdraw"), {"consent": "abc"}).status_code == 302


def test_the_export_holds_the_account_dossiers_documents_consents_and_reads(online, citizen, other_citizen,
                                                                            other_clerk):
    record_consent(purpose="vneid_prefill", subject=citizen)
    _signed_in(other_clerk).get(reverse("backoffice:dossier", args=[online.code]))
    response = _signed_in(citizen).post(reverse("privacy:my_export"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("du-lieu.json"))
    assert data["account"]["national_id"] == "075090001234" and data["account"]["username"] == citizen.username
    [dossier] = data["dossiers"]
    assert dossier["code"] == online.code and dossier["applicant"]["name"] == "Nguyễn Văn An"
    assert {d["name"] for d in dossier["documents"]} == {"to-khai.pdf", "gcs.pdf", "cccd.pdf"}
    files = {d["name"]: d["file"] for d in dossier["documents"]}
    assert archive.read(files["cccd.pdf"]) == b"%PDF-1.4 cccd"
    assert {d["kind"] for d in data["stored_documents"]} == {"to_khai_khai_sinh", "giay_chung_sinh",
                                                             "giay_to_tuy_than"}
    assert all(archive.read(d["file"]).startswith(b"%PDF-1.4") for d in data["stored_documents"])
    assert [c["purpose"] for c in data["consents"]] == ["vneid_prefill"]
    assert [a["what"] for a in data["data_accesses"]] == ["Mở hồ sơ"]
    assert other_clerk.username not in json.dumps(data, ensure_ascii=False)
    assert not DataAccess.objects.filter(actor=citizen).exists()  # one's own export is not a staff read
    # Another citizen's export has nothing of A's.
    theirs = _signed_in(other_citizen).post(reverse("privacy:my_export"))
    other = zipfile.ZipFile(io.BytesIO(b"".join(theirs.streaming_content)))
    assert online.code not in other.read("du-lieu.json").decode() and other.namelist() == ["du-lieu.json"]
    assert Client().post(reverse("privacy:my_export")).status_code == 302
    assert _signed_in(citizen).get(reverse("privacy:my_export")).status_code == 405
    assert Consent.objects.count() == 1
