"""Sending a dossier's result to an outside agency from the dossier page: only the handling agency's officers,
once the result is ready; the result's PDFs go as an edXML document whose statuses are tracked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.adapters import edxml
from motcua.docexchange import actions
from motcua.docexchange.models import OutgoingDocument, State
from motcua.docexchange.tests.helpers import to_external_step
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.models import Status
from motcua.dossiers.tests.helpers import at

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")


def test_the_leader_sends_the_result(hub, exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                                     commune_leader, external_agency, client, django_capture_on_commit_callbacks):
    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        actions.poll()  # the answer: the dossier is with the leader
    dossier.refresh_from_db()
    url = reverse("docexchange:send_result", args=[dossier.code])
    client.force_login(commune_leader)
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert url not in page  # not before the result is ready
    assert client.post(url, {"to_agency": external_agency.eid_code}).status_code == 302
    assert not OutgoingDocument.objects.filter(purpose=OutgoingDocument.Purpose.RESULT).exists()
    dossier = dossier_actions.approve_dossier(dossier, actor=commune_leader, at=at(2026, 12, 8, 9))
    assert dossier.status == Status.RESULT_READY
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert url in page and "Gửi kết quả cho cơ quan ngoài hệ thống" in page
    client.force_login(other_clerk)  # a clerk of the ward: not an officer who may send it
    client.post(url, {"to_agency": external_agency.eid_code})
    assert not OutgoingDocument.objects.filter(purpose=OutgoingDocument.Purpose.RESULT).exists()
    client.force_login(commune_leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"to_agency": external_agency.eid_code}, follow=True)
    sent = OutgoingDocument.objects.get(purpose=OutgoingDocument.Purpose.RESULT)
    assert sent.state == State.SENT and sent.to_agency == external_agency and sent.code == f"KQ1/{dossier.code}"
    envelope = edxml.parse_envelope(bytes(sent.envelope))
    assert envelope.subject.startswith("Gửi kết quả giải quyết hồ sơ") and len(envelope.attachments) == 2
    assert "Đã gửi kết quả bằng văn bản số" in response.content.decode()
    # Its statuses come back like any document's; nothing moves the (finished) dossier.
    with django_capture_on_commit_callbacks(execute=True):
        actions.poll()
    sent.refresh_from_db()
    dossier.refresh_from_db()
    assert sent.state == State.DONE and sent.resumed_at is None and dossier.status == Status.RESULT_READY
