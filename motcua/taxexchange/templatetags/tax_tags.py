"""`{% tax_notice_link dossier %}` on the staff dossier page: while the dossier waits on the tax authority's notice
at the financial-obligation step, the officers who may enter that notice by hand get a link to the manual page
(`/lien-thong/thue/nhap-thong-bao/<code>/`). Nobody else sees it, and nothing shows once a notice is on record."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.dossiers.external import system_of
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import may_take
from motcua.taxexchange.models import TaxNotice, TaxTransfer

register = template.Library()


def waiting_on_tax(dossier: Dossier) -> bool:
    """At the tax step (external `tax_authority`, or a tax agency's step that may pause for fees), not ended, and no
    notice recorded yet."""
    if dossier.is_terminal:
        return False
    step = dossier.current_step
    if system_of(step) != "tax_authority" and not (step.get("agency") == "tax"
                                                     and "pause_for_fees" in step.get("actions", [])):
        return False
    transfer = TaxTransfer.objects.filter(dossier=dossier).first()
    if transfer is not None and transfer.state in (TaxTransfer.State.NOTIFIED, TaxTransfer.State.PAID):
        return False
    return not TaxNotice.objects.filter(dossier=dossier, is_current=True).exists()


def may_enter_notice(dossier: Dossier, user: Any) -> bool:
    """The rule `actions.enter_notice_manually` applies."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return may_take(dossier, "tax_notice", user) or may_take(dossier, "pause_for_fees", user)


@register.inclusion_tag("taxexchange/_notice_link.html", takes_context=True)
def tax_notice_link(context: dict[str, Any], dossier: Dossier) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    show = waiting_on_tax(dossier) and may_enter_notice(dossier, user)
    transfer = TaxTransfer.objects.filter(dossier=dossier).first() if show else None
    return {"show": show, "dossier": dossier, "transfer": transfer}
