"""The list of "my dossiers" shows, on each dossier that owes money, what is still to pay and the online-payment
link; a dossier with nothing invoiced, or paid, shows neither."""

import re

from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.payments.actions import record_counter_payment
from motcua.payments.invoices import create_invoice


def _birth(citizen, demo_catalog, demo_agencies, key):
    return submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, applicant=Applicant(name="Nguyễn Văn An"),
        competent_agency=demo_agencies["tran_bien"], actor=citizen, form_data=BIRTH_FORM, idempotency_key=key,
        uploads=[Upload(c, f"{c}.pdf", b"%PDF") for c in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")],
    )


def _item(listing, code):
    return next(item for item in re.findall(r"<li>.*?</li>", listing, re.S) if code in item)


def test_my_dossiers_shows_what_each_dossier_still_owes_with_the_payment_link(
        client, citizen, demo_catalog, demo_agencies, other_clerk):
    owing = actions.receive_dossier(_birth(citizen, demo_catalog, demo_agencies, "owing"), actor=other_clerk)
    invoice = create_invoice(owing, actor=other_clerk, quantities={1: 2})  # two extra copies: 16.000 đồng
    waiting = _birth(citizen, demo_catalog, demo_agencies, "waiting")  # not received: nothing invoiced yet
    client.force_login(citizen)
    listing = client.get(reverse("portal:my_dossiers")).content.decode()
    item = _item(listing, owing.code)
    assert "Số tiền còn phải nộp: <strong>16.000 đồng</strong>" in item
    pay = reverse("payments:dossier", args=[owing.code])
    assert f'<a class="button" href="{pay}">Thanh toán trực tuyến</a>' in item
    assert "Còn phải nộp" not in _item(listing, waiting.code) and "/thanh-toan/" not in _item(listing, waiting.code)

    record_counter_payment(invoice, actor=other_clerk, method="cash", amount=16_000, idempotency_key="k")
    paid = _item(client.get(reverse("portal:my_dossiers")).content.decode(), owing.code)
    assert "Còn phải nộp" not in paid and pay not in paid
