"""The satisfaction survey opens once the result is returned, takes one answer per dossier."""

import pytest
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import SURVEY_QUESTIONS, Channel, SurveyResponse
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.dossiers.workflow import WorkflowError

ANSWERS = {key: 5 for key, _label in SURVEY_QUESTIONS}


@pytest.fixture
def returned(demo_catalog, demo_agencies, citizen, other_clerk, commune_specialist, commune_leader):
    dossier = submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, applicant=Applicant(name="Nguyễn Văn An"),
        competent_agency=demo_agencies["tran_bien"], actor=citizen, form_data=BIRTH_FORM,
        uploads=[Upload(c, f"{c}.pdf", b"%PDF") for c in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")],
    )
    dossier = actions.receive_dossier(dossier, actor=other_clerk)
    dossier = actions.forward_dossier(dossier, actor=other_clerk)
    dossier = actions.forward_dossier(dossier, actor=commune_specialist)
    dossier = actions.approve_dossier(dossier, actor=commune_leader)
    return actions.return_result(dossier, actor=other_clerk)


def test_survey_after_return(client, citizen, returned):
    client.force_login(citizen)
    page = client.get(reverse("portal:my_dossier", args=[returned.code])).content.decode()
    assert 'name="overall"' in page
    client.post(reverse("portal:survey", args=[returned.code]), {**ANSWERS, "overall": 4, "comment": "Nhanh"})
    client.post(reverse("portal:survey", args=[returned.code]), {**ANSWERS, "overall": 1})
    response = SurveyResponse.objects.get(dossier=returned)
    assert (response.overall, response.comment) == (4, "Nhanh")
    assert 'name="overall"' not in client.get(reverse("portal:my_dossier", args=[returned.code])).content.decode()


def test_survey_is_closed_before_the_result_and_needs_every_answer(demo_catalog, demo_agencies, clerk, returned):
    from motcua.dossiers.tests.helpers import at, land_dossier

    open_dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    with pytest.raises(WorkflowError):
        actions.answer_survey(open_dossier, respondent=None, answers=ANSWERS)
    with pytest.raises(WorkflowError):
        actions.answer_survey(returned, respondent=None, answers={"overall": 5})


def test_another_citizen_cannot_answer(client, other_citizen, returned):
    client.force_login(other_citizen)
    assert client.post(reverse("portal:survey", args=[returned.code]), ANSWERS).status_code == 404
    assert not SurveyResponse.objects.exists()
