"""A dossier step done by an agency outside motcua, through the hub simulator: sent as edXML, statuses in order,
the answer attached and the dossier resumed (docs/document-exchange.md)."""

from __future__ import annotations

import pytest

from motcua.adapters import edxml
from motcua.docexchange import actions
from motcua.docexchange.models import InboundMessage, OutgoingDocument, State
from motcua.docexchange.tests.helpers import to_external_step
from motcua.dossiers.models import Status
from motcua.integrations.models import CallRecord

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")


def test_step_sent_answered_and_resumed(hub, exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                                        external_agency, django_capture_on_commit_callbacks):
    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    assert dossier.current_step["key"] == "xac_minh" and dossier.status == Status.IN_OTHER_AGENCY
    assert dossier.current_agency == external_agency
    document = OutgoingDocument.objects.get(dossier=dossier)
    assert document.state == State.SENT and document.hub_doc_id and document.attempts == 1
    # What the hub got is a valid envelope naming both agencies, the dossier and its PDF.
    sent = edxml.parse_envelope(bytes(document.envelope))
    assert sent.sender.organ_id == "000.01.70.H19" and [r.organ_id for r in sent.receivers] == ["000.00.12.H29"]
    assert sent.reference == dossier.code and sent.code == document.code
    # The signed cover letter first (test_cover_letter.py checks it), then the dossier's PDF.
    assert [a.name for a in sent.attachments] == [f"cong-van-{dossier.code}.pdf", "giay-chung-sinh.pdf"]
    assert all(a.content.startswith(b"%PDF-") for a in sent.attachments)
    delivered = hub.state.snapshot()["delivered"][document.document_id]
    assert delivered["receiver"] == "000.00.12.H29" and delivered["statuses"] == ["01", "03", "05", "06"]

    with django_capture_on_commit_callbacks(execute=True):
        report = actions.poll()
    assert (report.fetched, report.rejected, report.errors) == (5, 0, 0)
    document.refresh_from_db()
    dossier.refresh_from_db()
    assert document.state == State.DONE and document.answered_at and document.resumed_at
    trail = list(document.messages.filter(kind=InboundMessage.Kind.STATUS).order_by("pk")
                 .values_list("status_code", "outcome"))
    assert trail == [("01", "applied"), ("03", "applied"), ("05", "applied"), ("06", "ignored")]
    # The answer: its PDF is on the dossier, which went on to the leader's step.
    answer = document.answer_document
    assert answer is not None and answer.dossier == dossier and answer.name.startswith("tra-loi-")
    assert dossier.current_step["key"] == "ky" and dossier.status == Status.PROCESSING
    resumed = dossier.events.get(action="forward", from_step=2)
    assert resumed.actor is None and "Sở Tư pháp Thành phố Hồ Chí Minh trả lời" in resumed.note
    assert resumed.data["edxml_document"] == document.document_id
    # Everything was acknowledged: the hub holds nothing more for us, and a second poll changes nothing.
    assert all(m["acked"] for m in hub.state.snapshot()["queue"])
    assert actions.poll().fetched == 0
    assert set(CallRecord.objects.filter(system="edxml").values_list("operation", flat=True)) == {
        "send", "received", "get", "ack"}


def test_the_same_job_twice_sends_once(hub, exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                                       django_capture_on_commit_callbacks):
    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    seq = dossier.events.get(action="forward", to_step=2).seq
    again = actions.start_step_exchange(dossier.pk, seq)
    assert again is not None and OutgoingDocument.objects.filter(dossier=dossier).count() == 1
    assert again.attempts == 1 and len(hub.state.snapshot()["delivered"]) == 1
