"""Digitisation at the counter: the clerk scans each paper document (several pages become one PDF), the file is
attached to its required-document slot, marked digitised, kept in the applicant's data store when they have an
account, and counted in the digitisation figure of the reports."""

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.backoffice.tests.helpers import land_intake_post
from motcua.documents.digitise import combine_pages
from motcua.documents.models import Blob, ScanState, StoredDocument
from motcua.documents.tests.samples import EXE, jpeg, ooxml, pdf, png
from motcua.documents.uploads import UploadError
from motcua.dossiers.models import Dossier
from motcua.reports.models import Metric, MonthlyRollup

URL = reverse("backoffice:intake", args=["1.013831"])


@pytest.fixture
def as_clerk(client, clerk, demo_catalog):
    client.force_login(clerk, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _pages(content: bytes) -> int:
    with pikepdf.open(io.BytesIO(content)) as document:
        return len(document.pages)


def test_scanned_pages_become_one_digitised_document_in_the_applicants_store(as_clerk, demo_agencies,
                                                                              other_citizen):
    post = land_intake_post(demo_agencies, paper__giay_chung_nhan=None)
    post["doc__giay_chung_nhan"] = [SimpleUploadedFile("trang-1.jpg", jpeg(), "image/jpeg"),
                                    SimpleUploadedFile("trang-2.png", png(), "image/png"),
                                    SimpleUploadedFile("trang-3.pdf", pdf("trang 3"), "application/pdf")]
    response = as_clerk.post(URL, post)
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get()
    document = dossier.documents.exclude(file="").get()
    assert document.slot == "giay_chung_nhan" and document.is_digitised
    assert document.name == "trang-1.pdf" and document.content_type == "application/pdf"
    with document.file.open("rb") as fh:
        assert _pages(fh.read()) == 3
    # The applicant (Trần Thị Bình, personal ID 075195004321) has an account: the scan is in her data store.
    stored = StoredDocument.objects.get(owner=other_citizen)
    assert (stored.kind, stored.source, stored.blob_id) == ("giay_chung_nhan", StoredDocument.Source.DIGITISED,
                                                            document.blob_id)
    # Counted once in the digitisation figure of the month.
    cells = MonthlyRollup.objects.filter(metric=Metric.DIGITISED, agency=dossier.competent_agency)
    assert sum(c.value for c in cells) == 1


def test_a_paper_only_dossier_is_not_digitised_and_no_store_entry_is_made(as_clerk, demo_agencies):
    assert as_clerk.post(URL, land_intake_post(demo_agencies)).status_code == 302
    assert not Dossier.objects.get().documents.filter(is_digitised=True).exists()
    assert not StoredDocument.objects.exists()
    assert not MonthlyRollup.objects.filter(metric=Metric.DIGITISED).exists()


def test_a_bad_page_is_refused_and_the_form_kept(as_clerk, demo_agencies):
    post = land_intake_post(demo_agencies, paper__giay_chung_nhan=None, address="Số 5 đường Võ Thị Sáu")
    post["doc__giay_chung_nhan"] = [SimpleUploadedFile("trang-1.jpg", jpeg(), "image/jpeg"),
                                    SimpleUploadedFile("trang-2.pdf", EXE, "application/pdf")]
    response = as_clerk.post(URL, post)
    assert response.status_code == 400
    page = response.content.decode()
    assert "không đúng định dạng cho phép" in page
    assert "Số 5 đường Võ Thị Sáu" in page
    assert not Dossier.objects.exists()


def test_only_images_and_pdfs_are_combined():
    with pytest.raises(UploadError) as refused:
        combine_pages("x", [("a.png", png()), ("b.docx", ooxml("word"))])
    assert refused.value.code == "not_a_page"
    name, content = combine_pages("x", [("a.png", png()), ("b.jpg", jpeg())])
    assert name == "a.pdf" and _pages(content) == 2


def test_an_infected_scan_does_not_count_as_digitised(as_clerk, demo_agencies):
    post = land_intake_post(demo_agencies, paper__giay_chung_nhan=None)
    post["doc__giay_chung_nhan"] = SimpleUploadedFile("gcn.pdf", pdf("gcn"), "application/pdf")
    assert as_clerk.post(URL, post).status_code == 302
    document = Dossier.objects.get().documents.exclude(file="").get()
    assert document.counts_as_digitised
    Blob.objects.filter(pk=document.blob.pk).update(scan_state=ScanState.INFECTED)
    document.refresh_from_db()
    assert not document.counts_as_digitised
