"""{% tax_notice_summary dossier %}: the tax authority's notice as the citizen needs it — the amount of each
obligation, the total, the payment deadline and reference, and (on the dossier page) the link to pay."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.dossiers.models import Dossier

register = template.Library()


@register.inclusion_tag("taxexchange/_notice_summary.html")
def tax_notice_summary(dossier: Dossier, pay_link: bool = True, with_secret: bool = False) -> dict[str, Any]:
    """PAY_LINK: show the "pay" button when the obligation is still owed (the payment page has its own buttons);
    WITH_SECRET: the link carries the look-up code (pages reached without signing in)."""
    from motcua.payments.models import Invoice
    from motcua.taxexchange.selectors import current_notice

    notice = current_notice(dossier)
    if notice is None:
        return {"shown": False}
    invoice = Invoice.objects.filter(dossier=dossier, purpose=Invoice.Purpose.OBLIGATION).first()
    owed = invoice.outstanding if invoice is not None else 0
    paid = invoice is not None and invoice.state == Invoice.State.PAID
    return {"shown": True, "dossier": dossier, "notice": notice, "owed": owed, "paid": paid,
            "pay_link": pay_link and owed > 0, "with_secret": with_secret}
