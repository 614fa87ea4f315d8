"""Each survey question offers the answers its wording asks for; the result page says what the result is, whether
it came on time and how to get it."""

import re

import pytest
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.selectors import lookup_path
from motcua.dossiers.workflow import WorkflowError
from motcua.portal.tests.test_survey import ANSWERS, returned  # noqa: F401 - fixture


def _answers_of(page, key):
    fieldset = re.search(rf'<fieldset class="fieldset">(?:(?!</fieldset>).)*name="{key}".*?</fieldset>', page, re.S)
    assert fieldset, key
    radio = r'<input type="radio" id="([^"]+)" name="KEY" value="(\d)"[^>]*><label for="([^"]+)">([^<]+)'
    radios = re.findall(radio.replace("KEY", key), fieldset[0])
    assert all(radio_id == label_for for radio_id, _v, label_for, _l in radios)  # the whole label is the target
    return [(int(value), label) for _id, value, _for, label in radios]


def test_questions_offer_answers_that_fit_them(client, citizen, returned):  # noqa: F811
    client.force_login(citizen)
    page = client.get(reverse("portal:my_dossier", args=[returned.code])).content.decode()
    assert _answers_of(page, "timeliness") == [(5, "Có, đúng hẹn hoặc trước hẹn"), (1, "Không, bị trễ hẹn")]
    assert _answers_of(page, "information") == [(5, "Có, rõ ràng và đầy đủ"), (3, "Chưa đầy đủ"), (1, "Không")]
    assert [label for _v, label in _answers_of(page, "overall")] == [
        "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"]
    staff = [label for _v, label in _answers_of(page, "staff")]
    assert "Rất hài lòng" not in staff and staff[0] == "Rất tốt"


def test_an_answer_the_question_does_not_offer_is_refused(returned):  # noqa: F811
    from motcua.dossiers.models import SURVEY

    with pytest.raises(WorkflowError):
        actions.answer_survey(returned, respondent=None, answers={**ANSWERS, "timeliness": 3})
    response = actions.answer_survey(returned, respondent=None, answers={**ANSWERS, "timeliness": 1})
    assert response.answers["timeliness"] == 1
    assert {q.key for q in SURVEY} == set(response.answers)


def test_the_result_says_what_was_granted_and_where_to_collect_it(client, citizen, returned):  # noqa: F811
    client.force_login(citizen)
    page = client.get(reverse("portal:my_dossier", args=[returned.code])).content.decode()
    block = page.split('id="result-title"', 1)[1].split("</section>", 1)[0]
    assert returned.procedure_version.result_type in block  # what was granted
    assert "Kết quả đã được trả cho bạn." in block
    counter = returned.receiving_agency
    assert counter.name in block and "Bộ phận Một cửa" in block
    assert "Tiến độ giải quyết" in page


def test_a_ready_result_by_post_gives_the_tracking_number_and_the_look_up_shows_it(
        client, citizen, returned):  # noqa: F811
    Dossier.objects.filter(pk=returned.pk).update(status=Status.RESULT_READY, return_method="postal",
                                                  postal_tracking="EV123456789VN")
    client.force_login(citizen)
    page = client.get(reverse("portal:my_dossier", args=[returned.code])).content.decode()
    block = page.split('id="result-title"', 1)[1].split("</section>", 1)[0]
    assert "Đã có kết quả giải quyết hồ sơ." in block and "EV123456789VN" in block and "bưu chính" in block
    Dossier.objects.filter(pk=returned.pk).update(return_method="counter")
    client.logout()
    public = client.get(lookup_path(Dossier.objects.get(pk=returned.pk)), follow=True).content.decode()
    block = public.split('id="result-title"', 1)[1].split("</section>", 1)[0]
    assert "Nhận kết quả tại Bộ phận Một cửa" in block and "Giờ làm việc: 07:30–11:30, 13:00–17:00" in block
    assert returned.procedure_version.result_type in block
