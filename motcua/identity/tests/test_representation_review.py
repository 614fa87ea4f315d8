"""Typing a valid tax code only asks to represent a business: the claim is pending, and cannot act for the
business, until a one-stop clerk of the reviewing agency confirms it in the back office."""

import pytest
from django.urls import reverse

from motcua.dossiers.actions import Applicant, IntakeError, submit_dossier
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.identity.actions import (
    RepresentationError,
    SignInError,
    decide_representation,
    register_organisation,
)
from motcua.identity.models import Representation
from motcua.identity.selectors import organisations_of
from motcua.portal.tests.test_apply_wizard import page_url

TAX_CODE = "0100109106"


@pytest.fixture
def claim(citizen, demo_agencies):
    organisation = register_organisation(representative=citizen, tax_code=TAX_CODE, name="Công ty ABC")
    return Representation.objects.get(organisation=organisation, user=citizen)


def test_a_new_claim_is_pending_and_cannot_act_for_the_business(client, citizen, claim, demo_catalog,
                                                                demo_agencies):
    assert claim.status == Representation.Status.PENDING
    assert claim.reviewing_agency == demo_agencies["service_center"]
    assert organisations_of(citizen) == []
    client.force_login(citizen)
    assert "Công ty ABC" not in client.get(page_url(0)).content.decode()  # not offered as the applicant
    refused = client.post(page_url(0), {"name": "Nguyễn Văn An", "agency": demo_agencies["tran_bien"].pk,
                                        "organisation": claim.organisation_id})
    assert refused.status_code == 400
    with pytest.raises(IntakeError) as caught:  # the submission itself checks it too
        submit_dossier(procedure=demo_catalog["1.001193"], channel=Channel.ONLINE,
                       competent_agency=demo_agencies["tran_bien"], actor=citizen,
                       applicant=Applicant(name="Công ty ABC"), form_data=BIRTH_FORM, organisation=claim.organisation)
    assert "organisation" in caught.value.errors
    assert not Dossier.objects.exists()
    page = client.get(reverse("portal:organisations")).content.decode()
    assert "Công ty ABC" in page and "Chờ xác nhận" in page


def test_a_pending_claim_does_not_block_the_real_representative(citizen, other_citizen, claim, clerk):
    register_organisation(representative=other_citizen, tax_code=TAX_CODE, name="Công ty ABC")
    decide_representation(Representation.objects.get(user=other_citizen), actor=clerk, confirm=True)
    assert organisations_of(other_citizen) == [claim.organisation] and organisations_of(citizen) == []
    with pytest.raises(RepresentationError):  # a second legal representative is not confirmed
        decide_representation(claim, actor=clerk, confirm=True)
    with pytest.raises(SignInError):  # nor claimed anew
        register_organisation(representative=citizen, tax_code="0100109106", name="x")


def test_only_the_reviewing_agencys_clerks_decide(claim, other_clerk, specialist, leader, citizen):
    for someone in (other_clerk, specialist, leader, citizen):
        with pytest.raises(RepresentationError):
            decide_representation(claim, actor=someone, confirm=True)
    claim.refresh_from_db()
    assert claim.status == Representation.Status.PENDING and organisations_of(citizen) == []


def test_the_clerk_confirms_in_the_back_office(client, claim, clerk, citizen):
    client.force_login(clerk)
    listing = client.get(reverse("backoffice:representations"))
    text = listing.content.decode()
    assert listing.status_code == 200 and "Công ty ABC" in text and TAX_CODE in text and "Nguyễn Văn An" in text
    assert "Đề nghị xác nhận người đại diện doanh nghiệp" in text
    assert "1 đề nghị chờ xác nhận" in client.get(reverse("backoffice:home")).content.decode()
    decided = client.post(reverse("backoffice:representation_decision", args=[claim.pk]), {"decision": "confirm"},
                          follow=True)
    assert "Đã xác nhận" in decided.content.decode()
    claim.refresh_from_db()
    assert claim.status == Representation.Status.CONFIRMED and claim.decided_by == clerk
    assert organisations_of(citizen) == [claim.organisation]


def test_a_rejection_needs_a_reason(client, claim, clerk, citizen):
    client.force_login(clerk)
    url = reverse("backoffice:representation_decision", args=[claim.pk])
    assert "Vui lòng nhập lý do từ chối" in client.post(url, {"decision": "reject"}, follow=True).content.decode()
    claim.refresh_from_db()
    assert claim.status == Representation.Status.PENDING
    client.post(url, {"decision": "reject", "reason": "Không khớp cơ sở dữ liệu đăng ký doanh nghiệp"})
    claim.refresh_from_db()
    assert claim.status == Representation.Status.REJECTED and organisations_of(citizen) == []
    client.force_login(citizen)
    assert "Không khớp" in client.get(reverse("portal:organisations")).content.decode()


def test_clerks_of_another_agency_see_nothing(client, claim, other_clerk, specialist):
    client.force_login(other_clerk)
    assert client.get(reverse("backoffice:representations")).status_code == 200  # a clerk: their own (empty) list
    assert "Công ty ABC" not in client.get(reverse("backoffice:representations")).content.decode()
    assert client.post(reverse("backoffice:representation_decision", args=[claim.pk]),
                       {"decision": "confirm"}).status_code == 404
    client.force_login(specialist)
    assert client.get(reverse("backoffice:representations")).status_code == 403
    claim.refresh_from_db()
    assert claim.status == Representation.Status.PENDING
