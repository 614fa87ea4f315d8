"""A real clamd (started by the test, local signature database) rejects EICAR plain, zipped, inside an Office
package and after 5 MB of other bytes; clean files pass; the verdict reaches the documents and their pages."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from motcua.documents.models import Blob, ScanState
from motcua.documents.tests.samples import EICAR, large_pdf_with_eicar, ooxml, pdf, png, zipped
from motcua.documents.uploads import ScanVerdict, scan_stream
from motcua.dossiers.actions import Applicant, IntakeError, Upload, submit_dossier
from motcua.dossiers.models import Channel, DossierDocument

BIRTH = "1.001193"
SLOTS = ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")


@pytest.mark.parametrize("content", [
    pytest.param(EICAR, id="plain"),
    pytest.param(zipped("eicar.com", EICAR), id="zipped"),
    pytest.param(ooxml("word", {"word/media/eicar.bin": EICAR}), id="inside-docx"),
    pytest.param(large_pdf_with_eicar(5), id="appended-to-5MB"),
])
def test_clamd_finds_eicar(clamd_settings, content):
    verdict = scan_stream(io.BytesIO(content))
    assert verdict.infected and verdict.signature.startswith("Motcua.Test.EICAR")


@pytest.mark.parametrize("content", [pdf(), png(), ooxml("word")], ids=["pdf", "png", "docx"])
def test_clean_files_pass(clamd_settings, content):
    assert scan_stream(io.BytesIO(content)) == ScanVerdict(infected=False)


def test_the_tcp_socket_works_too(settings, clamd_server):
    settings.MOTCUA_CLAMD_SOCKET = ""
    settings.MOTCUA_CLAMD_HOST, settings.MOTCUA_CLAMD_PORT = "127.0.0.1", clamd_server.port
    assert scan_stream(io.BytesIO(EICAR)).infected
    assert not scan_stream(io.BytesIO(pdf())).infected


def _online(citizen, demo_catalog, demo_agencies, files):
    return submit_dossier(
        procedure=demo_catalog[BIRTH], channel=Channel.ONLINE, competent_agency=demo_agencies["tran_bien"],
        actor=citizen, applicant=Applicant(name="Nguyễn Văn An"), form_data=None,
        uploads=[Upload(slot, name, content) for slot, (name, content) in zip(SLOTS, files, strict=True)],
    )


@pytest.fixture
def no_form(demo_catalog):
    """The birth registration without its e-form, so these tests are about the files only."""
    version = demo_catalog[BIRTH].current_version
    version.eform_schema = {}
    version.save()
    return demo_catalog


def test_infected_uploads_are_rejected_everywhere(clamd_settings, no_form, demo_agencies, citizen, other_clerk,
                                                  client, django_capture_on_commit_callbacks):
    """other_clerk is the one-stop clerk of the commune that receives this birth registration."""
    infected_docx = ooxml("word", {"word/media/x.bin": EICAR})
    infected_pdf = large_pdf_with_eicar(5)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _online(citizen, no_form, demo_agencies,
                          [("to-khai.pdf", pdf("to khai")), ("giay-chung-sinh.docx", infected_docx),
                           ("cccd.pdf", infected_pdf)])
    states = {d.slot: d.scan_state for d in DossierDocument.objects.filter(dossier=dossier).select_related("blob")}
    assert states == {"to_khai_khai_sinh": ScanState.CLEAN, "giay_chung_sinh": ScanState.INFECTED,
                      "giay_to_tuy_than": ScanState.INFECTED}
    infected = Blob.objects.filter(scan_state=ScanState.INFECTED)
    assert infected.count() == 2 and all(b.scan_signature.startswith("Motcua.Test.EICAR") for b in infected)
    # The malware is not kept, and nobody can download it: not the citizen, not the clerk.
    assert not any(default_storage.exists(b.storage_name) for b in infected)
    bad = DossierDocument.objects.get(dossier=dossier, slot="giay_chung_sinh")
    good = DossierDocument.objects.get(dossier=dossier, slot="to_khai_khai_sinh")
    client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("portal:my_document", args=[dossier.code, bad.pk])).status_code == 409
    assert client.get(reverse("portal:my_document", args=[dossier.code, good.pk])).status_code == 200
    page = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert str(ScanState.INFECTED.label) in page
    assert reverse("portal:my_document", args=[dossier.code, bad.pk]) not in page
    # The data store keeps the rejection visible and never offers the file for reuse.
    stored = citizen.stored_documents.get(kind="giay_chung_sinh")
    assert stored.scan_state == ScanState.INFECTED
    assert client.get(reverse("portal:stored_document", args=[stored.pk])).status_code == 409
    client.force_login(other_clerk, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("backoffice:document", args=[dossier.code, bad.pk])).status_code == 409
    staff_page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert str(ScanState.INFECTED.label) in staff_page
    # Sending the same content again is refused at once, with a message in both languages.
    with pytest.raises(IntakeError) as refused:
        _online(citizen, no_form, demo_agencies,
                [("a.pdf", pdf("a")), ("b.docx", infected_docx), ("c.pdf", pdf("c"))])
    vi, en = refused.value.errors["documents/giay_chung_sinh"]
    assert "nhiễm mã độc" in vi and "malware" in en

