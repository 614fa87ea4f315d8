"""The endpoints the tax authority and the treasury push to: bearer token, size limit, the envelope answers."""

import json

import pytest
from django.urls import reverse

from motcua.adapters import tax_authority as tax
from motcua.dossiers.models import Dossier, Status
from motcua.taxexchange import actions
from motcua.taxexchange.models import TaxNotice, TaxPaymentConfirmation
from motcua.taxexchange.tests.conftest import TOKEN
from motcua.taxexchange.tests.helpers import at_tax_step, notice_for, receipt_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def paused(demo_catalog, demo_agencies, clerk, specialist):
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    actions.start_transfer(dossier.pk)  # no system configured: manual; an electronic notice is still accepted
    return Dossier.objects.get(pk=dossier.pk)


def post(client, name, body, token=TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(reverse(name), raw, content_type="application/json", **headers)


def test_pushes_without_the_token_are_refused(client, paused):
    push = tax.build_notice_push(notice_for(paused))
    for token in ("", "wrong"):
        answer = post(client, "taxexchange:notice_push", push, token=token)
        assert answer.status_code == 401 and answer.json()["error_code"] == -1
    assert not TaxNotice.objects.exists()


def test_a_notice_push_is_recorded_once(client, paused):
    push = tax.build_notice_push(notice_for(paused))
    first = post(client, "taxexchange:notice_push", push)
    again = post(client, "taxexchange:notice_push", push)
    assert first.json()["error_code"] == 0 and again.json()["error_code"] == 0
    assert "trước đó" in again.json()["message"] and TaxNotice.objects.count() == 1


def test_bad_pushes_get_a_clear_refusal(client, paused):
    assert post(client, "taxexchange:notice_push", b"{nope").json()["error_code"] == -1
    answer = post(client, "taxexchange:notice_push", {"MaHoSo": "x", "FileThongBaoThue": "@@"}).json()
    assert answer["error_code"] == -1 and "base64" in answer["message"]
    other = tax.build_notice_push(tax.Notice("TB", ("KHONG-CO",), notice_for(paused).lines))
    assert "không tồn tại" in post(client, "taxexchange:notice_push", other).json()["message"]
    receipt = receipt_for(paused).as_message()
    del receipt["MaSoThue"]
    assert post(client, "taxexchange:receipt_push", receipt).json() == {"error_code": -1, "message": "MaSoThue empty"}
    big = client.post(reverse("taxexchange:receipt_push"), b"[" + b"0," * 400_000 + b"0]",
                      content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert big.status_code in (400, 413) and not TaxPaymentConfirmation.objects.exists()


def test_a_confirmation_pushed_three_times_pays_once(client, paused):
    post(client, "taxexchange:notice_push", tax.build_notice_push(notice_for(paused)))
    receipt = receipt_for(paused).as_message()
    answers = [post(client, "taxexchange:receipt_push", receipt).json() for _ in range(3)]
    assert [a["error_code"] for a in answers] == [0, 0, 0]
    assert TaxPaymentConfirmation.objects.get().copies == 3
    assert Dossier.objects.get(pk=paused.pk).status == Status.IN_OTHER_AGENCY
