"""The back-office dossier page shows the exchange: the document, its status trail (late ones marked) and the
answer document, in Vietnamese by default."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.docexchange import actions
from motcua.docexchange.models import OutgoingDocument
from motcua.docexchange.tests.helpers import control, to_external_step

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")


def test_the_trail_and_the_answer_on_the_dossier_page(hub, exchange_procedure, demo_agencies, other_clerk,
                                                      commune_specialist, commune_leader, client,
                                                      django_capture_on_commit_callbacks):
    hub.state.config.auto = False
    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    document = OutgoingDocument.objects.get(dossier=dossier)
    for code in ("01", "03", "01"):
        control(hub, "/_status", {"document_id": document.document_id, "code": code})
    with django_capture_on_commit_callbacks(execute=True):
        actions.poll()
    client.force_login(commune_specialist)
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "Văn bản trao đổi với cơ quan ngoài hệ thống" in page and document.code in page
    assert "Sở Tư pháp Thành phố Hồ Chí Minh" in page and "000.00.12.H29" in page
    assert "Cơ quan nhận đã tiếp nhận" in page  # the state: 03 accepted
    assert page.count("trùng hoặc đến muộn") == 1  # the second 01
    control(hub, "/_answer", {"document_id": document.document_id})
    with django_capture_on_commit_callbacks(execute=True):
        actions.poll()
    document.refresh_from_db()
    client.force_login(commune_leader)
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    answer_url = reverse("backoffice:document", args=[dossier.code, document.answer_document_id])
    assert answer_url in page and document.answer_document.name in page and "Hoàn thành" in page
