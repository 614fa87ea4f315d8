"""Reads on invoices and payments."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.payments.models import Invoice


def invoices_of(dossier: Dossier) -> QuerySet[Invoice]:
    return Invoice.objects.filter(dossier=dossier).prefetch_related("lines", "payments__receipt")


def outstanding_amount(dossier: Dossier) -> int | None:
    """What is still to pay on DOSSIER's unpaid invoices (None when it has no unpaid invoice)."""
    unpaid = list(Invoice.objects.filter(dossier=dossier, state=Invoice.State.UNPAID))
    if not unpaid:
        return None
    return sum(invoice.outstanding for invoice in unpaid)


def outstanding_by_dossier(dossier_ids: Iterable[int]) -> dict[int, int]:
    """What is still to pay on each of DOSSIER_IDS that owes something (one query; the others are left out)."""
    owed: dict[int, int] = {}
    rows = Invoice.objects.filter(dossier_id__in=list(dossier_ids), state=Invoice.State.UNPAID).values_list(
        "dossier_id", "total", "paid_amount")
    for dossier_id, total, paid in rows:
        if total > paid:
            owed[dossier_id] = owed.get(dossier_id, 0) + total - paid
    return owed
