"""Messages are shown in the language the user chose, never Vietnamese and English in one message."""

import pytest
from django.conf import settings
from django.urls import reverse

from motcua.core.i18n import in_language, localized
from motcua.dossiers.workflow import WorkflowError
from motcua.portal.tests.test_survey import ANSWERS, returned  # noqa: F401 - fixture

THANKS = {"vi": "Cảm ơn bạn đã đánh giá.", "en": "Thank you for your feedback."}
NOT_RETURNED = {"vi": "Chỉ đánh giá sau khi đã nhận kết quả.",
                "en": "The survey opens once the result has been returned."}


def _page_after(client, url, data, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(url, data, follow=True).content.decode()


@pytest.mark.parametrize(("language", "other"), [("vi", "en"), ("en", "vi")])
def test_the_survey_thanks_in_the_chosen_language_only(client, citizen, returned, language, other):  # noqa: F811
    client.force_login(citizen)
    page = _page_after(client, reverse("portal:survey", args=[returned.code]), ANSWERS, language)
    assert THANKS[language] in page
    assert THANKS[other] not in page


@pytest.mark.parametrize(("language", "other"), [("vi", "en"), ("en", "vi")])
def test_a_refused_action_explains_in_the_chosen_language_only(client, citizen, returned, language, other):  # noqa: F811
    client.force_login(citizen)
    page = _page_after(client, reverse("portal:withdraw", args=[returned.code]), {"reason": "x"}, language)
    refusal = {"vi": "Không thể", "en": "is not allowed"}
    error = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert refusal[language] in error
    assert refusal[other] not in error


def test_localized_picks_one_of_the_pair():
    from django.utils import translation

    error = WorkflowError("x", NOT_RETURNED["vi"], NOT_RETURNED["en"])
    with translation.override("en"):
        assert localized(error) == NOT_RETURNED["en"]
        assert localized(("một", "one")) == "one"
        assert in_language("một", "one") == "one"
    with translation.override("vi"):
        assert localized(error) == NOT_RETURNED["vi"]
        assert localized({"message_vi": "một", "message_en": "one"}) == "một"


def test_admin_pages_show_one_language_too():
    from django.contrib import admin
    from django.utils import translation

    from motcua.payments.admin import ReconciliationReportAdmin
    from motcua.payments.models import ReconciliationReport

    report = ReconciliationReport(mismatches=[{"kind": "missing", "txn_ref": "T1", "message_vi": "Thiếu giao dịch.",
                                               "message_en": "Missing transaction."}])
    with translation.override("vi"):
        shown = ReconciliationReportAdmin(ReconciliationReport, admin.site).mismatch_list(report)
        assert "Thiếu giao dịch." in shown and "Missing transaction." not in shown
    with translation.override("en"):
        shown = ReconciliationReportAdmin(ReconciliationReport, admin.site).mismatch_list(report)
        assert "Missing transaction." in shown and "Thiếu giao dịch." not in shown
