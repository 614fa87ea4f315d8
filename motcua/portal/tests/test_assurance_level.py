"""A procedure's minimum electronic identification level is enforced when a citizen starts or submits an online
application (web pages, the one-page form, the API and the submission itself), with a message saying how to
raise the level."""

import json

import pytest
from django.urls import reverse

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.actions import Applicant, IntakeError, submit_dossier
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.identity.assurance import SESSION_KEY
from motcua.identity.models import AssuranceLevel
from motcua.identity.tokens import issue_token
from motcua.portal.models import FormDraft
from motcua.portal.tests.test_api import files_b64
from motcua.portal.tests.test_apply_wizard import page_url

BIRTH = "1.001193"


@pytest.fixture
def needs_level_2(demo_catalog):
    ProcedureVersion.objects.filter(procedure__national_code=BIRTH).update(min_assurance_level=2)
    demo_catalog[BIRTH].current_version.refresh_from_db()


def signed_in_at(client, user, level):
    client.force_login(user)
    if level is not None:
        session = client.session
        session[SESSION_KEY] = level
        session.save()


@pytest.mark.parametrize("level", [None, AssuranceLevel.NONE, AssuranceLevel.LEVEL_1])
def test_a_lower_level_cannot_start_and_is_told_how_to_raise_it(client, citizen, needs_level_2, level):
    signed_in_at(client, citizen, level)
    for url in (reverse("portal:apply", args=[BIRTH]), page_url(0), reverse("portal:apply_check", args=[BIRTH]),
                reverse("portal:submit", args=[BIRTH])):
        response = client.get(url)
        assert response.status_code == 403, url
        text = response.content.decode()
        assert "định danh điện tử mức 2" in text and "đăng nhập lại bằng VNeID" in text
        assert "Tài khoản mức 2 được kích hoạt" in text
        assert "electronic identification" not in text  # one language at a time
    assert not FormDraft.objects.exists()


def test_level_2_applies(client, citizen, needs_level_2):
    signed_in_at(client, citizen, AssuranceLevel.LEVEL_2)
    assert client.get(reverse("portal:apply", args=[BIRTH]))["Location"] == page_url(0)
    assert client.get(page_url(0)).status_code == 200


def test_a_draft_begun_at_level_2_is_not_submitted_after_signing_in_lower(client, citizen, needs_level_2):
    signed_in_at(client, citizen, AssuranceLevel.LEVEL_2)
    client.get(reverse("portal:apply", args=[BIRTH]))
    signed_in_at(client, citizen, AssuranceLevel.LEVEL_1)
    assert client.post(reverse("portal:apply_check", args=[BIRTH])).status_code == 403
    assert not Dossier.objects.exists()


def test_the_submission_itself_checks_the_level(citizen, demo_agencies, needs_level_2, demo_catalog):
    def submit(level):
        return submit_dossier(
            procedure=demo_catalog[BIRTH], channel=Channel.ONLINE, competent_agency=demo_agencies["tran_bien"],
            actor=citizen, applicant=Applicant(name=citizen.full_name), form_data=BIRTH_FORM,
            assurance_level=level)
    with pytest.raises(IntakeError) as caught:
        submit(AssuranceLevel.LEVEL_1)
    vietnamese, english = caught.value.errors["assurance_level"]
    assert "mức 2" in vietnamese and "level 2" in english
    with pytest.raises(IntakeError) as caught:
        submit(AssuranceLevel.LEVEL_2)
    assert "assurance_level" not in caught.value.errors  # (the documents are missing: other errors only)


def test_the_api_refuses_a_token_without_the_level(client, citizen, demo_agencies, needs_level_2, demo_catalog):
    body = {"procedure_code": BIRTH, "agency_eid": demo_agencies["tran_bien"].eid_code, "form_data": BIRTH_FORM,
            "documents": files_b64()}

    def post(token):
        return client.post("/api/v1/me/dossiers", json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    refused = post(issue_token(citizen, "zalo"))
    assert refused.status_code == 422
    assert refused.json()["code"] == "assurance_level" and "VNeID" in refused.json()["message_vi"]
    assert not Dossier.objects.exists()
    detail = client.get(f"/api/v1/catalog/procedures/{BIRTH}").json()
    assert detail["min_assurance_level"] == 2
    assert post(issue_token(citizen, "vneid", AssuranceLevel.LEVEL_2)).status_code == 201


def test_the_procedure_page_says_which_level_is_needed(client, needs_level_2):
    page = client.get(reverse("catalog:detail", args=[BIRTH])).content.decode()
    assert "cần tài khoản định danh điện tử (VNeID) mức 2" in page
