"""{% document_exchange_panel dossier %}: on the back-office dossier page, the edXML documents sent for the dossier
to agencies outside motcua, the status trail of each (as received from the hub, duplicates and late arrivals
marked) and the answer document; for the handling agency's officers once the result is ready, a form to send the
result to an outside agency."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.dossiers.models import Dossier

register = template.Library()


@register.inclusion_tag("docexchange/_panel.html", takes_context=True)
def document_exchange_panel(context: dict[str, Any], dossier: Dossier) -> dict[str, Any]:
    from motcua.directory.models import Agency
    from motcua.docexchange.actions import may_send_result
    from motcua.docexchange.models import InboundMessage, OutgoingDocument

    request = context.get("request")
    user = getattr(request, "user", None)
    outside = (list(Agency.objects.filter(is_external=True, is_active=True).order_by("name")[:200])
               if user is not None and may_send_result(dossier, user) else [])
    documents = list(OutgoingDocument.objects.filter(dossier=dossier).select_related("to_agency", "answer_document")
                     .order_by("created_at", "pk")[:20])
    if not documents and not outside:
        return {"shown": False}
    trails: dict[int, list[InboundMessage]] = {d.pk: [] for d in documents}
    for message in (InboundMessage.objects.filter(document__in=documents, kind=InboundMessage.Kind.STATUS)
                    .only("document_id", "status_code", "outcome", "stated_at", "received_at")
                    .order_by("received_at", "pk")):
        if message.document_id is not None:
            trails[message.document_id].append(message)
    return {"shown": True, "dossier": dossier, "items": [(d, trails[d.pk]) for d in documents],
            "outside": outside, "csrf_token": context.get("csrf_token")}
