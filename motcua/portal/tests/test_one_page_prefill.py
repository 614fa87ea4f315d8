"""The one-page form (/nop-ho-so/<code>/mot-trang/) after a VNeID sign-in and the citizen's consent: the same
registry data as the step-by-step form, shown read-only and marked "Từ CSDL quốc gia về dân cư", put back on the
server over whatever is posted (a tampered POST changes nothing), and the registry's answer kept on the dossier."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.identity.tests.vneid_sim import LEVEL_2, sign_in_with_vneid
from motcua.integrations import population
from motcua.integrations.models import RegistryAnswer

LAND = "1.013831"
GROUP = "ben_nhan_chuyen_nhuong"  # the applicant's group of the land transfer (x-prefill)
PAPERS = ["don_dang_ky_bien_dong", "giay_chung_nhan", "hop_dong_chuyen_nhuong", "to_khai_tncn", "to_khai_lptb"]
URL = reverse("portal:submit", args=[LAND])
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_committed_call_records")]


def control(page, control_id):
    match = re.search(rf'<input id="{control_id}"[^>]*>', page)
    assert match, control_id
    return match.group(0)


def agree(client):
    assert client.post(reverse("portal:prefill_consent", args=[LAND]),
                       {"consent_vneid_prefill": "1", "next": URL})["Location"] == URL


def tampered_post(agency):
    data = {
        "idempotency_key": "one-page-1", "name": "Người Khác", "id_number": "075090001234", "phone": "0987654321",
        "address": "Nơi khác", "agency": agency,
        "ben_chuyen_nhuong__ho_ten": "Nguyễn Văn An", "ben_chuyen_nhuong__so_dinh_danh": "075090001234",
        f"{GROUP}__ho_ten": "Người Khác", f"{GROUP}__so_dinh_danh": "075090001234",
        f"{GROUP}__ngay_sinh": "2000-01-01", f"{GROUP}__dia_chi": "Nơi khác",
        "thua_dat__so_thua": "125", "thua_dat__to_ban_do": "18", "thua_dat__so_phat_hanh_gcn": "DA 123456",
        "hop_dong__so_cong_chung": "4521", "hop_dong__ngay_cong_chung": "2026-11-20",
    }
    data.update({f"doc__{code}": SimpleUploadedFile(f"{code}.pdf", b"%PDF-1.4 " + code.encode(), "application/pdf")
                 for code in PAPERS})
    return data


def test_the_one_page_form_shows_the_registry_data_locked(client, vneid_sim, population_registry, demo_catalog):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    before = client.get(URL).content.decode()
    assert 'name="consent_vneid_prefill"' in before and "readonly" not in control(before, "name")
    assert not RegistryAnswer.objects.exists()  # nothing asked before the consent
    agree(client)
    page = client.get(URL).content.decode()
    assert "Từ CSDL quốc gia về dân cư" in page and 'name="consent_vneid_prefill"' not in page
    for control_id in ("name", "id_number", "address"):
        assert "readonly" in control(page, control_id)
    assert 'value="Trần Thị Bình"' in control(page, "name") and "readonly" not in control(page, "phone")
    assert "Phạm Văn Thuận" in control(page, "address")
    assert 'value="1995-09-20"' in control(page, f"f-{GROUP}__ngay_sinh")
    for question in ("ho_ten", "so_dinh_danh", "ngay_sinh", "dia_chi"):
        assert "readonly" in control(page, f"f-{GROUP}__{question}")
    assert "readonly" not in control(page, "f-ben_chuyen_nhuong__ho_ten")  # the other party is typed
    report = reverse("portal:report_registry_data", args=[LAND])
    assert f'href="{report}?next=/nop-ho-so/{LAND}/mot-trang/"' in page.replace("%2F", "/")


def test_a_tampered_post_cannot_change_the_registry_data(client, vneid_sim, population_registry, demo_catalog,
                                                         demo_agencies):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    agree(client)
    response = client.post(URL, tampered_post(demo_agencies["land_office"].pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get()
    assert (dossier.applicant_name, dossier.applicant_id_number) == ("Trần Thị Bình", LEVEL_2.national_id)
    assert "Phạm Văn Thuận" in dossier.applicant_address and dossier.applicant_phone == "0987654321"
    assert dossier.form_data[GROUP] == {"ho_ten": "Trần Thị Bình", "so_dinh_danh": LEVEL_2.national_id,
                                        "ngay_sinh": "1995-09-20", "dia_chi": dossier.applicant_address}
    assert dossier.form_data["ben_chuyen_nhuong"]["ho_ten"] == "Nguyễn Văn An"  # typed answers stay the citizen's
    assert population.is_verified(dossier)  # the registry's answer is the dossier's evidence
    assert dossier.registry_answers.get().status == "found"


def test_without_consent_the_one_page_form_is_typed_as_before(client, vneid_sim, population_registry,
                                                              demo_catalog, demo_agencies):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    response = client.post(URL, tampered_post(demo_agencies["land_office"].pk))
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == "Người Khác"  # nothing from the registry: what was typed
    assert not RegistryAnswer.objects.exists() and not population.is_verified(dossier)
