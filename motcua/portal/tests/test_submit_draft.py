"""Sending the step-by-step application (`portal.actions.submit_draft`): the dossier and the draft's removal are one
transaction; a file the virus scan rejected is an error on its document, and nothing is sent."""

import pytest

from motcua.documents.actions import store_document
from motcua.documents.models import ScanState, StoredDocument
from motcua.dossiers.actions import IntakeError
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.portal.actions import submit_draft
from motcua.portal.models import FormDraft

SLOTS = ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")


@pytest.fixture
def draft(demo_catalog, demo_agencies, citizen):
    documents = {code: store_document(owner=citizen, kind=code, content=b"%PDF-1.4 " + code.encode(),
                                      name=f"{code}.pdf", source=StoredDocument.Source.SUBMITTED).pk for code in SLOTS}
    return FormDraft.objects.create(
        user=citizen, procedure=demo_catalog["1.001193"], form_data=BIRTH_FORM, documents=documents,
        applicant={"name": "Nguyễn Văn An", "agency": str(demo_agencies["tran_bien"].pk)}, idempotency_key="k-1")


def test_the_draft_becomes_a_dossier_and_is_removed(draft, citizen):
    dossier = submit_draft(draft, user=citizen, assurance_level=2, prefill=None)
    assert dossier.applicant == citizen and dossier.documents.count() == 3
    assert not FormDraft.objects.exists()


def test_no_dossier_is_left_when_the_draft_cannot_be_removed(draft, citizen, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(FormDraft, "delete", fail)
    with pytest.raises(RuntimeError):
        submit_draft(draft, user=citizen, assurance_level=2, prefill=None)
    assert not Dossier.objects.exists()


def test_a_file_rejected_by_the_scan_is_an_error_on_its_document(draft, citizen):
    rejected = StoredDocument.objects.select_related("blob").get(pk=draft.documents["giay_chung_sinh"])
    rejected.blob.scan_state = ScanState.INFECTED
    rejected.blob.save(update_fields=["scan_state"])
    with pytest.raises(IntakeError) as raised:
        submit_draft(draft, user=citizen, assurance_level=2, prefill=None)
    assert list(raised.value.errors) == ["documents/giay_chung_sinh"]
    assert not Dossier.objects.exists() and FormDraft.objects.filter(pk=draft.pk).exists()


def test_an_agency_that_no_longer_handles_the_procedure_is_an_error(draft, citizen):
    draft.applicant = {**draft.applicant, "agency": "not-a-number"}
    with pytest.raises(IntakeError) as raised:
        submit_draft(draft, user=citizen, assurance_level=2, prefill=None)
    assert list(raised.value.errors) == ["competent_agency"]
