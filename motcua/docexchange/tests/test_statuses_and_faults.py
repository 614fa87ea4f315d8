"""Status messages that come twice or out of order never move a document back; a duplicate answer resumes the
dossier once; a rejection or an undeliverable document sends the dossier back; a malformed envelope is kept raw
with a clear error and nothing else changes; the hub down, then back (docs/document-exchange.md)."""

from __future__ import annotations

import pytest

from motcua.docexchange import actions
from motcua.docexchange.models import InboundMessage, OutgoingDocument, State
from motcua.docexchange.tests.helpers import control, to_external_step
from motcua.dossiers.models import Status

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")


@pytest.fixture
def at_step(hub, exchange_procedure, demo_agencies, other_clerk, commune_specialist,
            django_capture_on_commit_callbacks):
    """The dossier at the outside step, its document sent; the agency answers only when told to."""
    hub.state.config.auto = False

    def make():
        return to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                                django_capture_on_commit_callbacks)

    return make


def poll(capture):
    with capture(execute=True):
        return actions.poll()


def trail(document):
    return list(document.messages.filter(kind=InboundMessage.Kind.STATUS).order_by("pk")
                .values_list("status_code", "outcome"))


def test_duplicate_and_out_of_order_statuses_do_not_regress(hub, at_step, django_capture_on_commit_callbacks):
    dossier = at_step()
    document = OutgoingDocument.objects.get(dossier=dossier)
    control(hub, "/_faults", {"reverse_order": True, "duplicate_next": 1})
    for code in ("01", "03", "05"):  # the first (01) is queued twice; the list comes newest first
        control(hub, "/_status", {"document_id": document.document_id, "code": code})
    poll(django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert document.state == State.PROCESSING
    # Read newest first: 05 applies; 03 and both copies of 01 arrive late and are kept, ignored.
    assert trail(document) == [("05", "applied"), ("03", "ignored"), ("01", "ignored"), ("01", "ignored")]
    control(hub, "/_faults", {"reverse_order": False})
    control(hub, "/_status", {"document_id": document.document_id, "code": "01"})  # very late
    poll(django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert document.state == State.PROCESSING and trail(document)[-1] == ("01", "ignored")


def test_a_duplicate_answer_resumes_once(hub, at_step, django_capture_on_commit_callbacks):
    dossier = at_step()
    document = OutgoingDocument.objects.get(dossier=dossier)
    control(hub, "/_faults", {"duplicate_next": 1})
    control(hub, "/_answer", {"document_id": document.document_id})
    report = poll(django_capture_on_commit_callbacks)
    assert report.fetched == 2
    document.refresh_from_db()
    dossier.refresh_from_db()
    outcomes = sorted(document.messages.filter(kind=InboundMessage.Kind.DOCUMENT).values_list("outcome", flat=True))
    assert outcomes == ["answer", "ignored"]
    assert dossier.current_step["key"] == "ky" and dossier.events.filter(action="forward", actor=None).count() == 1
    assert dossier.documents.filter(slot="van_ban_lien_thong").count() == 1
    assert document.state == State.DONE
    # A status that arrives after the answer changes nothing.
    control(hub, "/_status", {"document_id": document.document_id, "code": "05"})
    poll(django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert document.state == State.DONE and trail(document) == [("05", "ignored")]


def test_a_rejection_sends_the_dossier_back(hub, at_step, django_capture_on_commit_callbacks):
    dossier = at_step()
    document = OutgoingDocument.objects.get(dossier=dossier)
    control(hub, "/_status", {"document_id": document.document_id, "code": "01"})
    control(hub, "/_status", {"document_id": document.document_id, "code": "02",
                              "description": "Không thuộc thẩm quyền"})
    control(hub, "/_status", {"document_id": document.document_id, "code": "05"})  # after the end: ignored
    poll(django_capture_on_commit_callbacks)
    document.refresh_from_db()
    dossier.refresh_from_db()
    assert document.state == State.REJECTED
    assert trail(document) == [("01", "applied"), ("02", "applied"), ("05", "ignored")]
    assert dossier.current_step["key"] == "xu_ly" and dossier.status == Status.PROCESSING
    back = dossier.events.get(action="send_back")
    assert back.actor is None and "từ chối" in back.note and "Không thuộc thẩm quyền" in back.note


def test_a_malformed_envelope_is_kept_with_a_clear_error(hub, at_step, django_capture_on_commit_callbacks):
    dossier = at_step()
    document = OutgoingDocument.objects.get(dossier=dossier)
    control(hub, "/_faults", {"malformed_next": 1})
    control(hub, "/_answer", {"document_id": document.document_id})
    report = poll(django_capture_on_commit_callbacks)
    assert (report.fetched, report.rejected) == (1, 1)
    bad = InboundMessage.objects.get()
    assert bad.outcome == InboundMessage.Outcome.REJECTED and bad.error_code == "not_xml"
    vi, en = bad.error.split("\n")
    assert vi.startswith("Gói tin không phải XML hợp lệ") and en.startswith("The message is not well-formed XML")
    assert bytes(bad.raw) == hub.state.messages[bad.hub_doc_id].body  # nothing lost
    assert bad.acknowledged_at is not None  # kept here, so the hub may let it go
    dossier.refresh_from_db()
    document.refresh_from_db()
    assert dossier.current_step["key"] == "xac_minh" and document.state == State.SENT
    # The agency sends its answer again, well formed this time: the dossier goes on.
    control(hub, "/_answer", {"document_id": document.document_id})
    poll(django_capture_on_commit_callbacks)
    dossier.refresh_from_db()
    assert dossier.current_step["key"] == "ky"


def test_the_hub_down_then_back(hub, at_step, django_capture_on_commit_callbacks):
    control(hub, "/_faults", {"down": True})
    dossier = at_step()
    document = OutgoingDocument.objects.get(dossier=dossier)
    assert document.state == State.SENDING and document.last_error and document.attempts == 1
    assert poll(django_capture_on_commit_callbacks).errors == 1  # the resend and the list both fail
    control(hub, "/_faults", {"down": False})
    report = poll(django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert report.resent == 1 and report.errors == 0
    assert document.state == State.SENT and document.attempts == 3 and document.last_error == ""
    assert len(hub.state.snapshot()["delivered"]) == 1


def test_an_undeliverable_document_sends_the_dossier_back(hub, at_step, django_capture_on_commit_callbacks):
    control(hub, "/_faults", {"undeliverable_next": 1})
    dossier = at_step()
    poll(django_capture_on_commit_callbacks)
    document = OutgoingDocument.objects.get(dossier=dossier)
    dossier.refresh_from_db()
    assert document.state == State.FAILED and dossier.current_step["key"] == "xu_ly"
    assert "không chuyển được" in dossier.events.get(action="send_back").note


def test_wrong_credentials_fail_the_poll_not_the_document(hub, at_step, settings,
                                                         django_capture_on_commit_callbacks):
    settings.MOTCUA_EDXML_SECRET = "wrong"
    dossier = at_step()
    document = OutgoingDocument.objects.get(dossier=dossier)
    assert document.state == State.SENDING and "credentials" in document.last_error
    assert poll(django_capture_on_commit_callbacks).errors == 1
    assert not InboundMessage.objects.exists()
    settings.MOTCUA_EDXML_SECRET = "motcua-test-secret"
    poll(django_capture_on_commit_callbacks)
    document.refresh_from_db()
    dossier.refresh_from_db()
    assert document.state == State.SENT and dossier.current_step["key"] == "xac_minh"
