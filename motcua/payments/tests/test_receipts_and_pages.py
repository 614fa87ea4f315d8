"""Receipts as PDF, and the payment pages: the applicant's invoices (owner or look-up code only), the redirect
to VNPay, the clerk's counter form."""

import io
from urllib.parse import parse_qsl, urlsplit

import pypdfium2
import pytest
from django.urls import reverse

from motcua.dossiers.models import Status
from motcua.payments import actions, invoices
from motcua.payments.models import Payment
from motcua.payments.receipts import amount_in_words
from motcua.payments.vnpay import verify_params


def pdf_text(data):
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"), (8_000, "Tám nghìn đồng"), (24_000, "Hai mươi bốn nghìn đồng"),
    (105_000, "Một trăm lẻ năm nghìn đồng"), (450_000, "Bốn trăm năm mươi nghìn đồng"),
    (1_015_000, "Một triệu không trăm mười lăm nghìn đồng"),
    (25_000_000, "Hai mươi lăm triệu đồng"), (21_000, "Hai mươi mốt nghìn đồng"),
])
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


def test_receipt_pdf(client, paused_dossier, clerk):
    invoice = invoices.invoice_for_pause(paused_dossier)
    payment = actions.record_counter_payment(invoice, actor=clerk, method=Payment.Method.CASH, amount=25_000_000)
    url = reverse("payments:receipt", args=[paused_dossier.code, payment.receipt.number])
    assert client.get(url).status_code == 404  # no look-up code
    response = client.get(url, {"s": paused_dossier.lookup_secret})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and payment.receipt.number in text
    assert "25.000.000 đồng" in text and "Hai mươi lăm triệu đồng" in text
    assert paused_dossier.code in text and "Trần Thị Bình" in text


def test_the_applicant_pays_online(client, paused_dossier):
    invoices.invoice_for_pause(paused_dossier)
    page = reverse("payments:dossier", args=[paused_dossier.code])
    assert client.get(page).status_code == 404
    assert client.get(page, {"s": "WRONGCODE1"}).status_code == 404
    assert client.get(reverse("payments:dossier", args=["NO-SUCH"]), {"s": "X"}).status_code == 404
    response = client.get(page, {"s": paused_dossier.lookup_secret})
    content = response.content.decode()
    assert response.status_code == 200 and "25.000.000" in content.replace(",", ".")
    assert 'value="vnpay"' in content

    invoice = paused_dossier.invoices.get()
    response = client.post(page, {"s": paused_dossier.lookup_secret, "invoice": invoice.number,
                                  "provider": "vnpay"})
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.netloc == "sandbox.vnpayment.vn" and target.path == "/paymentv2/vpcpay.html"
    params = dict(parse_qsl(target.query))
    assert verify_params(params, "TEST-HASH-SECRET-0123456789ABCDEF")
    payment = Payment.objects.get()
    assert params["vnp_Amount"] == "2500000000" and params["vnp_TxnRef"] == payment.txn_ref
    assert params["vnp_ReturnUrl"] == "http://testserver/thanh-toan/vnpay/ket-qua/"
    assert params["vnp_OrderInfo"] == f"Thanh toan {invoice.number}"
    # Clicking again while the attempt is open: the same order, not a second one.
    again = client.post(page, {"s": paused_dossier.lookup_secret, "invoice": invoice.number, "provider": "vnpay"})
    assert dict(parse_qsl(urlsplit(again["Location"]).query))["vnp_TxnRef"] == payment.txn_ref
    assert Payment.objects.count() == 1
    # A gateway that is not configured is refused clearly.
    refused = client.post(page, {"s": paused_dossier.lookup_secret, "invoice": invoice.number, "provider": "paygov"})
    assert refused.status_code == 400
    assert "Hình thức thanh toán trực tuyến này chưa được cung cấp." in refused.content.decode()


def test_the_owner_needs_no_code(client, demo_catalog, demo_agencies, citizen, clerk):
    from motcua.dossiers.actions import Applicant, submit_dossier
    from motcua.dossiers.models import Channel
    from motcua.dossiers.tests.helpers import LAND_FORM, LAND_PAPERS, at

    dossier = submit_dossier(procedure=demo_catalog["1.013831"], channel=Channel.COUNTER,
                             applicant=Applicant(name="Nguyễn Văn An"), competent_agency=demo_agencies["land_office"],
                             receiving_agency=demo_agencies["service_center"], actor=clerk, form_data=LAND_FORM,
                             paper_documents=LAND_PAPERS, at=at(2026, 11, 30))
    dossier.applicant = citizen
    dossier.save()
    invoices.create_invoice(dossier)
    client.force_login(citizen)
    assert client.get(reverse("payments:dossier", args=[dossier.code])).status_code == 200


def test_the_clerk_records_a_counter_payment(client, paused_dossier, clerk, specialist):
    invoice = invoices.invoice_for_pause(paused_dossier)
    url = reverse("payments:counter", args=[invoice.number])
    client.force_login(specialist)
    assert client.get(url).status_code == 404
    client.force_login(clerk)
    form = client.get(url)
    assert form.status_code == 200
    key = form.context["form"].initial["key"]
    wrong = client.post(url, {"method": "cash", "amount": "100", "reference": "", "key": key})
    assert wrong.status_code == 400 and "Số tiền phải nộp là 25.000.000 đồng." in wrong.content.decode()
    done = client.post(url, {"method": "cash", "amount": "25000000", "reference": "PT-12", "key": key})
    assert done.status_code == 302 and "/bien-lai/BL-" in done["Location"]
    repeat = client.post(url, {"method": "cash", "amount": "25000000", "reference": "PT-12", "key": key})
    assert repeat.status_code in (302, 400)
    assert Payment.objects.count() == 1
    paused_dossier.refresh_from_db()
    assert paused_dossier.status == Status.IN_OTHER_AGENCY
