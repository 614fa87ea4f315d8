"""After a VNeID sign-in the applicant's own data from the national population database fills the online form,
marked "Từ CSDL quốc gia về dân cư" and locked on the server; a level 1 account is refused a level 2 procedure with a
clear message; "Báo thông tin sai" records a report for staff; a registry that does not answer leaves the form to
type, with a notice."""

import re

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.identity.tests.vneid_sim import LEVEL_1, LEVEL_2, sign_in_with_vneid
from motcua.integrations.models import RegistryAnswer
from motcua.portal.models import FormDraft, RegistryDataReport
from motcua.portal.wizard import pages_for

LAND = "1.013831"  # land transfer: level 2; its "ben_nhan_chuyen_nhuong" group is the applicant's (x-prefill)
GROUP = "ben_nhan_chuyen_nhuong"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_committed_call_records")]


def agree(client):
    """The citizen reads the consent notice and agrees that the population database fills the form."""
    response = client.post(reverse("portal:prefill_consent", args=[LAND]), {"consent_vneid_prefill": "1"})
    assert response.status_code == 302


def group_page(demo_catalog):
    pages = pages_for(demo_catalog[LAND].current_version.eform_schema)
    return next(i for i, p in enumerate(pages) if p.key == GROUP)


def control(page, name):
    match = re.search(rf'<input id="f-{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


def test_a_level_2_citizen_gets_her_registry_data_locked_in_the_form(client, vneid_sim, population_registry,
                                                                      demo_catalog):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    agree(client)
    assert client.get(reverse("portal:apply", args=[LAND])).status_code == 302
    first = client.get(reverse("portal:apply_page", args=[LAND, 0])).content.decode()
    assert "Từ CSDL quốc gia về dân cư" in first and "Báo thông tin sai" in first
    assert 'value="Trần Thị Bình"' in control(first, "name") and "readonly" in control(first, "name")
    assert "readonly" in control(first, "id_number") and "readonly" not in control(first, "phone")
    page = client.get(reverse("portal:apply_page", args=[LAND, group_page(demo_catalog)])).content.decode()
    assert 'value="1995-09-20"' in control(page, f"{GROUP}__ngay_sinh")
    assert "Phạm Văn Thuận" in control(page, f"{GROUP}__dia_chi")
    for question in ("ho_ten", "so_dinh_danh", "ngay_sinh", "dia_chi"):
        assert "readonly" in control(page, f"{GROUP}__{question}")
    draft = FormDraft.objects.get(user__national_id=LEVEL_2.national_id)
    assert draft.form_data[GROUP]["so_dinh_danh"] == LEVEL_2.national_id
    answer = RegistryAnswer.objects.get(national_id=LEVEL_2.national_id)  # the look-up's evidence
    assert answer.status == RegistryAnswer.Status.FOUND and len(answer.response_sha256) == 64


def test_a_forged_post_cannot_change_the_registry_data(client, vneid_sim, population_registry, demo_catalog,
                                                       demo_agencies):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    agree(client)
    client.get(reverse("portal:apply", args=[LAND]))
    client.post(reverse("portal:apply_page", args=[LAND, 0]), {
        "name": "Người Khác", "id_number": "075090001234", "phone": "0900000000", "address": "Nơi khác",
        "agency": demo_agencies["land_office"].pk})
    client.post(reverse("portal:apply_page", args=[LAND, group_page(demo_catalog)]), {
        f"{GROUP}__ho_ten": "Người Khác", f"{GROUP}__so_dinh_danh": "075090001234",
        f"{GROUP}__ngay_sinh": "2000-01-01", f"{GROUP}__dia_chi": "Nơi khác"})
    draft = FormDraft.objects.get(user__national_id=LEVEL_2.national_id)
    assert (draft.applicant["name"], draft.applicant["id_number"]) == ("Trần Thị Bình", LEVEL_2.national_id)
    assert draft.applicant["phone"] == "0900000000"  # what is not from the registry stays the citizen's
    assert draft.form_data[GROUP] == {"ho_ten": "Trần Thị Bình", "so_dinh_danh": LEVEL_2.national_id,
                                      "ngay_sinh": "1995-09-20", "dia_chi": draft.applicant["address"]}
    assert "Phạm Văn Thuận" in draft.applicant["address"]


def test_a_level_1_account_is_refused_the_land_transfer_with_how_to_raise_it(client, vneid_sim,
                                                                            population_registry, demo_catalog):
    sign_in_with_vneid(client, LEVEL_1.national_id)
    response = client.get(reverse("portal:apply", args=[LAND]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "định danh điện tử mức 2" in page and "Công an xã, phường" in page
    assert reverse("identity:oidc_login", args=["vneid"]) in page  # sign in again: no dead end
    assert not FormDraft.objects.exists() and not Dossier.objects.exists()


def test_report_wrong_information_is_recorded_once(client, vneid_sim, population_registry, demo_catalog):
    sign_in_with_vneid(client, LEVEL_2.national_id)
    agree(client)
    client.get(reverse("portal:apply", args=[LAND]))
    url = reverse("portal:report_registry_data", args=[LAND])
    form = client.get(url).content.decode()
    assert "1995-09-20" in form and 'name="field"' in form
    refused = client.post(url, {"field": "nonsense"})
    assert refused.status_code == 400 and not RegistryDataReport.objects.exists()
    back = reverse("portal:apply_page", args=[LAND, 0])
    for comment in ("Ngày sinh đúng là 21/09/1995", "Ngày sinh đúng là 21/9/1995"):
        done = client.post(url, {"field": "date_of_birth", "comment": comment, "next": back})
        assert done.status_code == 302 and done["Location"] == back
    report = RegistryDataReport.objects.get()  # sent twice: one report, the last comment
    assert (report.national_id, report.field, report.registry_value) == (LEVEL_2.national_id, "date_of_birth",
                                                                          "1995-09-20")
    assert report.comment == "Ngày sinh đúng là 21/9/1995" and report.registry_answer_id
    assert report.status == RegistryDataReport.Status.OPEN
    draft = FormDraft.objects.get()
    assert draft.applicant["name"] == "Trần Thị Bình"  # the form keeps the registry's data


def test_a_registry_that_does_not_answer_leaves_the_form_to_type(client, vneid_sim, population_registry,
                                                                 demo_catalog):
    population_registry.state.faults.update({"down": True})
    sign_in_with_vneid(client, LEVEL_2.national_id)
    agree(client)
    client.get(reverse("portal:apply", args=[LAND]))
    first = client.get(reverse("portal:apply_page", args=[LAND, 0])).content.decode()
    assert "Từ CSDL quốc gia về dân cư" not in first and "readonly" not in control(first, "name")
    assert "vui lòng tự nhập" in first
    assert client.get(reverse("portal:report_registry_data", args=[LAND])).status_code == 404


def test_a_password_sign_in_gets_no_registry_data(client, citizen, population_registry, demo_catalog):
    client.force_login(citizen)
    page = client.get(reverse("portal:apply_page", args=["1.000656", 0])).content.decode()  # no level needed
    assert "Từ CSDL quốc gia về dân cư" not in page
    assert not RegistryAnswer.objects.exists()  # nobody's data was read
