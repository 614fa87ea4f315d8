"""The electronic receipt (biên lai điện tử) of a payment, as PDF (WeasyPrint, Debian's fonts)."""

from __future__ import annotations

import segno
from django.template.loader import render_to_string
from django.utils import timezone

from motcua.core.text import money
from motcua.dossiers.selectors import lookup_url
from motcua.payments.models import Receipt


def amount_in_words(amount: int) -> str:
    """12.450.000 → "Mười hai triệu bốn trăm năm mươi nghìn đồng" (as receipts write the amount)."""
    digits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]

    def three(number: int, full: bool) -> str:
        hundreds, rest = divmod(number, 100)
        tens, units = divmod(rest, 10)
        words: list[str] = []
        if full or hundreds:
            words += [digits[hundreds], "trăm"]
        if tens > 1:
            words += [digits[tens], "mươi"]
        elif tens == 1:
            words.append("mười")
        elif units and words:
            words.append("lẻ")
        if units:
            if units == 1 and tens > 1:
                words.append("mốt")
            elif units == 5 and tens > 0:
                words.append("lăm")
            else:
                words.append(digits[units])
        return " ".join(words)

    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    while amount:
        amount, group = divmod(amount, 1000)
        groups.append(group)
    scales = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]
    parts: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        text = three(group, full=index < len(groups) - 1)
        parts.append(f"{text} {scales[index]}".strip())
    sentence = " ".join(parts) + " đồng"
    return sentence[0].upper() + sentence[1:]


def render_receipt_pdf(receipt: Receipt) -> bytes:
    from weasyprint import HTML  # Pango is only needed when a receipt is printed

    payment = receipt.payment
    invoice = payment.invoice
    dossier = invoice.dossier
    context = {
        "receipt": receipt, "payment": payment, "invoice": invoice, "dossier": dossier,
        "lines": [{"name": line.name, "exemption": line.exemption, "quantity": line.quantity,
                   "amount": f"{line.amount:,}".replace(",", ".")} for line in invoice.lines.order_by("position")],
        "amount": money(payment.amount), "amount_words": amount_in_words(payment.amount),
        "issued": timezone.localtime(receipt.issued_at),
        "qr": str(segno.make(lookup_url(dossier), error="m").svg_data_uri(scale=3, border=2)),
    }
    pdf: bytes = HTML(string=render_to_string("payments/receipt_pdf.html", context)).write_pdf()
    return pdf
