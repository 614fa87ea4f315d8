"""Reads on invoices and payments."""

from __future__ import annotations

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
