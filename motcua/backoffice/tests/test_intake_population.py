"""Counter intake with the national population database: the clerk looks the applicant up, the form fills from
the answer, the answer becomes the dossier's evidence; the registry down means intake by hand, unverified; the
dossier page shows the differences and the evidence, and logs the read."""

import re

import pytest
from django.urls import reverse

from motcua.backoffice.tests.helpers import land_intake_post
from motcua.dossiers.models import Dossier
from motcua.integrations import population
from motcua.integrations.models import RegistryAnswer
from motcua.integrations.tests.population_helpers import OTHER_CITIZEN_ID
from motcua.privacy.models import AccessKind, DataAccess

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")
URL = reverse("backoffice:intake", args=["1.013831"])


def lookup(client, agencies, **overrides):
    post = land_intake_post(agencies, name="", address="", phone="", **overrides)
    post["lookup_population"] = "1"
    post["consent_population_lookup"] = "1"  # the applicant agreed (docs/privacy.md, Consent)
    return client.post(URL, post)


def hidden_answer(page):
    return re.search(r'name="registry_answer" value="(\d*)"', page).group(1)


def test_the_clerk_looks_the_applicant_up_and_the_form_fills(as_clerk, clerk, demo_agencies, population_registry):
    response = lookup(as_clerk, demo_agencies)
    assert response.status_code == 200
    page = response.content.decode()
    assert not Dossier.objects.exists()  # a look-up receives nothing
    assert 'value="Trần Thị Bình"' in page
    assert 'value="Số 8 đường Phạm Văn Thuận, khu phố 1, phường Trấn Biên, tỉnh Đồng Nai"' in page
    assert page.count("từ CSDL dân cư") == 2  # name and address are marked as from the registry
    assert "Đã điền từ Cơ sở dữ liệu quốc gia về dân cư" in page and 'class="error-summary"' not in page
    answer = RegistryAnswer.objects.get()
    assert hidden_answer(page) == str(answer.pk) and answer.dossier is None and answer.actor == clerk
    assert DataAccess.objects.get(kind=AccessKind.POPULATION_LOOKUP).actor == clerk

    # The clerk completes and sends the form: the answer is the new dossier's evidence; the dossier is verified.
    address = "Số 8 đường Phạm Văn Thuận, khu phố 1, phường Trấn Biên, tỉnh Đồng Nai"
    post = land_intake_post(demo_agencies, address=address, registry_answer=str(answer.pk))
    assert as_clerk.post(URL, post).status_code == 302
    dossier = Dossier.objects.get()
    answer.refresh_from_db()
    assert answer.dossier == dossier and population.is_verified(dossier)
    detail = as_clerk.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "Đã xác minh" in detail and answer.response_sha256 in detail and "Thông tin đã nhập khớp" in detail
    view = DataAccess.objects.get(kind=AccessKind.REGISTRY_EVIDENCE_VIEW)
    assert (view.actor, view.dossier, view.subject_national_id) == (clerk, dossier, OTHER_CITIZEN_ID)


def test_differences_between_typed_and_registry_are_shown(as_clerk, demo_agencies, population_registry):
    page = lookup(as_clerk, demo_agencies).content.decode()
    post = land_intake_post(demo_agencies, name="Tran Thi Binh", address="Tổ 9, ấp Phước Hòa, xã Long Thành",
                            registry_answer=hidden_answer(page))
    assert as_clerk.post(URL, post).status_code == 302
    dossier = Dossier.objects.get()
    assert population.is_verified(dossier)  # the number was found: the person is verified, details differ
    detail = as_clerk.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "2 điểm khác nhau giữa thông tin đã nhập và CSDL" in detail
    assert "<td>Tran Thi Binh</td><td>Trần Thị Bình</td>" in detail
    assert "<td>Tổ 9, ấp Phước Hòa, xã Long Thành</td>" in detail


def test_a_registry_down_means_intake_by_hand_unverified(as_clerk, clerk, demo_agencies, population_registry):
    population_registry.state.faults.update({"down": True})
    response = lookup(as_clerk, demo_agencies)
    page = response.content.decode()
    assert response.status_code == 200 and "CSDL quốc gia về dân cư không trả lời" in page
    assert 'value=""' in page and "từ CSDL dân cư" not in page  # nothing filled
    post = land_intake_post(demo_agencies, registry_answer=hidden_answer(page))
    assert as_clerk.post(URL, post).status_code == 302
    dossier = Dossier.objects.get()
    assert not population.is_verified(dossier) and population.verification(dossier) == "unverified"
    assert dossier.registry_answers.get().status == "unavailable"  # the failed attempt is kept too
    detail = as_clerk.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "Chưa xác minh" in detail and "CSDL quốc gia về dân cư không trả lời" in detail
    # no registry data was read or shown (opening the dossier page itself is logged by the privacy app)
    assert not DataAccess.objects.exclude(kind=AccessKind.DOSSIER_VIEW).exists()

    # Later, with the registry back, a look-up from the dossier page verifies it.
    population_registry.state.faults.update({"down": False})
    answer = as_clerk.post(reverse("backoffice:dossier_registry_lookup", args=[dossier.code]))
    assert answer.status_code == 302 and answer["Location"].endswith("#registry")
    assert population.is_verified(dossier)
    assert DataAccess.objects.get(kind=AccessKind.POPULATION_LOOKUP).dossier == dossier


def test_a_malformed_number_is_told_at_the_field(as_clerk, demo_agencies, population_registry):
    page = lookup(as_clerk, demo_agencies, id_number="07519500432").content.decode()
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in page and 'aria-invalid="true"' in page
    assert 'value="07519500432"' in page  # what was typed is kept
    assert not RegistryAnswer.objects.exists() and population_registry.state.snapshot()["lookups_total"] == 0


def test_an_answer_of_another_clerk_or_person_is_not_attached(as_clerk, as_other_clerk, demo_agencies,
                                                               population_registry):
    page = lookup(as_other_clerk, demo_agencies).content.decode()
    foreign = hidden_answer(page)
    assert as_clerk.post(URL, land_intake_post(demo_agencies, registry_answer=foreign)).status_code == 302
    dossier = Dossier.objects.get()
    assert not dossier.registry_answers.exists() and not population.is_verified(dossier)


def test_the_registry_not_configured_leaves_intake_as_it_was(as_clerk, demo_agencies, settings):
    settings.MOTCUA_INTEGRATION_SYSTEMS = {}
    page = lookup(as_clerk, demo_agencies).content.decode()
    assert "CSDL quốc gia về dân cư không trả lời" in page
    assert as_clerk.post(URL, land_intake_post(demo_agencies)).status_code == 302
    detail = as_clerk.get(reverse("backoffice:dossier", args=[Dossier.objects.get().code])).content.decode()
    assert "Chưa đối chiếu thông tin của người nộp với CSDL quốc gia về dân cư" in detail
