"""Reads of the tax exchange used by other apps' pages (the citizen's dossier page, the payment page)."""

from __future__ import annotations

from motcua.dossiers.models import Dossier
from motcua.taxexchange.models import TaxNotice


def current_notice(dossier: Dossier) -> TaxNotice | None:
    """The tax notice to pay on DOSSIER (the newest revision), or None when no notice has arrived."""
    return TaxNotice.objects.filter(dossier=dossier, is_current=True).order_by("-received_at", "-pk").first()
