"""Paid invoices feed the statistics: one online payment and one at the counter make an online payment rate of
50 %, equal to a direct count, the same after a rebuild, and scored as indicator 4c of the 766 scorecard."""

from decimal import Decimal

from django.utils import timezone

from motcua.payments import actions, invoices
from motcua.payments.models import Invoice, Payment
from motcua.payments.tests.helpers import ipn
from motcua.reports.rollups import recompute, stored
from motcua.reports.scorecard import compute, current_scorecard
from motcua.reports.selectors import figures_by_agency, total


def test_online_payment_rate_from_paid_invoices(client, paused_dossier, clerk, demo_agencies):
    obligation = invoices.invoice_for_pause(paused_dossier)
    payment, _url = actions.start_online_payment(obligation, provider="vnpay", return_url="https://dvc/r")
    assert client.get("/thanh-toan/vnpay/ipn/", ipn(payment)).json()["RspCode"] == "00"
    assert client.get("/thanh-toan/vnpay/ipn/", ipn(payment)).json()["RspCode"] == "02"  # a replay adds nothing
    fees = invoices.create_invoice(paused_dossier)
    assert fees.total > 0
    actions.record_counter_payment(fees, actor=clerk, method=Payment.Method.CASH, amount=fees.total)
    paid = Invoice.objects.filter(state=Invoice.State.PAID)
    online = paid.filter(payments__state=Payment.State.SUCCEEDED, payments__method=Payment.Method.ONLINE).distinct()

    today = timezone.localdate()
    figures = total(figures_by_agency(today, today, list(demo_agencies.values())))
    assert figures.counts["paid"] == paid.count() == 2 and figures.counts["paid_online"] == online.count() == 1
    assert stored() == recompute()
    card = current_scorecard(today)
    assert card is not None
    line = {line.code: line for line in compute(card, today, today, list(demo_agencies.values()))}["4c"]
    expected = Decimal(100) * online.count() / paid.count()
    assert line.rate == expected.quantize(Decimal("0.1")) and line.points is not None
    assert figures.online_payment_rate == line.rate
