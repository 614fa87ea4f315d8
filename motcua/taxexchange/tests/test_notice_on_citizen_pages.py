"""The tax notice as the citizen sees it without signing in: the public look-up page (code + look-up code, e.g. a
counter applicant from the SMS or the slip's QR) and the payment page show each obligation's amount, the total, the
deadline and the reference, with the link to pay carrying the look-up code; in English when chosen; "paid" after."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from motcua.dossiers.selectors import lookup_path
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 (fixture)
from motcua.integrations.tests.loopback import Answer
from motcua.payments.actions import record_counter_payment
from motcua.payments.models import Invoice, Payment
from motcua.taxexchange import actions
from motcua.taxexchange.models import Source
from motcua.taxexchange.tests.helpers import at_tax_step, notice_for, tax_system

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_committed_call_records")]


@pytest.fixture
def notified(demo_catalog, demo_agencies, clerk, specialist, settings, loopback):
    tax_system(settings, loopback.url)
    loopback.answer(Answer(body=json.dumps({"error_code": 0, "message": "ok"}).encode()))
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    actions.start_transfer(dossier.pk)
    assert actions.record_notice(notice_for(dossier), source=Source.PUSH).accepted
    return dossier


def test_the_public_look_up_shows_the_notice_and_the_pay_link(client, notified):
    page = client.get(lookup_path(notified)).content.decode()
    assert "Nghĩa vụ tài chính theo thông báo của cơ quan thuế" in page
    assert "Thuế thu nhập cá nhân từ chuyển nhượng bất động sản" in page and "40.000.000 đồng" in page
    assert "Lệ phí trước bạ nhà, đất" in page and "10.000.000 đồng" in page and "50.000.000 đồng" in page
    assert "Hạn nộp" in page and "31/12/2026" in page and "TT0000000001" in page
    pay = f'{reverse("payments:dossier", args=[notified.code])}?s={notified.lookup_secret}'
    assert f'href="{pay}">Nộp tiền trực tuyến</a>' in page
    payment_page = client.get(pay).content.decode()
    assert "40.000.000 đồng" in payment_page and "31/12/2026" in payment_page
    assert ">Nộp tiền trực tuyến</a>" not in payment_page  # the payment page has its own buttons


def test_in_english_when_chosen(client, notified):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(lookup_path(notified)).content.decode()
    assert "Financial obligations notified by the tax authority" in page and "Pay by" in page
    assert "Pay these amounts online" in page and "Nghĩa vụ tài chính theo" not in page and "Hạn nộp" not in page


def test_paid_shows_no_pay_link(client, notified, clerk):
    invoice = Invoice.objects.get(dossier=notified, purpose=Invoice.Purpose.OBLIGATION)
    record_counter_payment(invoice, actor=clerk, method=Payment.Method.CASH, amount=invoice.outstanding,
                           idempotency_key="t-paid")
    page = client.get(lookup_path(notified)).content.decode()
    assert "Đã nộp. Cơ quan tiếp tục giải quyết hồ sơ của bạn." in page and ">Nộp tiền trực tuyến</a>" not in page
