"""{% document_exchange_panel dossier %}: on the back-office dossier page, the edXML documents sent for the dossier
to agencies outside motcua, the status trail of each (as received from the hub, duplicates and late arrivals
marked) and the answer document."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.dossiers.models import Dossier

register = template.Library()


@register.inclusion_tag("docexchange/_panel.html")
def document_exchange_panel(dossier: Dossier) -> dict[str, Any]:
    from motcua.docexchange.models import InboundMessage, OutgoingDocument

    documents = list(OutgoingDocument.objects.filter(dossier=dossier).select_related("to_agency", "answer_document")
                     .order_by("created_at", "pk")[:20])
    if not documents:
        return {"shown": False}
    trails: dict[int, list[InboundMessage]] = {d.pk: [] for d in documents}
    for message in (InboundMessage.objects.filter(document__in=documents, kind=InboundMessage.Kind.STATUS)
                    .only("document_id", "status_code", "outcome", "stated_at", "received_at")
                    .order_by("received_at", "pk")):
        if message.document_id is not None:
            trails[message.document_id].append(message)
    return {"shown": True, "dossier": dossier, "items": [(d, trails[d.pk]) for d in documents]}
