"""While a file waits for its scan it is "đang quét" and nobody downloads it; without clamd the scanner fails
closed after bounded retries; without a scanner configured, files are stored as "not scanned"."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from motcua.documents.models import Blob, ScanState
from motcua.documents.tests.samples import pdf
from motcua.documents.uploads import check_upload, scan_blob, store_blob
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def queued_only(settings, tmp_path):
    """A scanner is configured, but the job backend only queues (nothing runs until a worker does)."""
    settings.MOTCUA_CLAMD_SOCKET = str(tmp_path / "no-clamd-here.sock")
    settings.MOTCUA_CLAMD_HOST = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


def _dossier(demo_catalog, demo_agencies, citizen):
    version = demo_catalog["1.001193"].current_version
    version.eform_schema = {}
    version.save()
    return submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, competent_agency=demo_agencies["tran_bien"],
        actor=citizen, applicant=Applicant(name="Nguyễn Văn An"),
        uploads=[Upload(slot, f"{slot}.pdf", pdf(slot)) for slot in
                 ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")])


def test_a_file_being_scanned_is_shown_as_such_and_not_served(queued_only, demo_catalog, demo_agencies, citizen,
                                                               client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _dossier(demo_catalog, demo_agencies, citizen)
    document = dossier.documents.select_related("blob").first()
    assert document.scan_state == ScanState.PENDING
    client.force_login(citizen, backend=MODEL_BACKEND)
    url = reverse("portal:my_document", args=[dossier.code, document.pk])
    response = client.get(url)
    assert response.status_code == 409
    assert "đang được quét" in response.content.decode() and "being scanned" in response.content.decode()
    page = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert str(ScanState.PENDING.label) in page
    # The worker scans it (here: marked clean as clamd would): now it is served.
    Blob.objects.filter(pk=document.blob_id).update(scan_state=ScanState.CLEAN)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_scanner_fails_closed_after_bounded_retries(queued_only, settings, db):
    settings.MOTCUA_CLAMD_MAX_ATTEMPTS = 3
    blob = store_blob(check_upload("a.pdf", pdf("a")))
    assert blob.scan_state == ScanState.PENDING
    assert scan_blob(blob.pk) == ScanState.PENDING  # clamd unreachable: retried later
    assert scan_blob(blob.pk) == ScanState.PENDING
    assert scan_blob(blob.pk) == ScanState.FAILED  # never "clean"
    blob.refresh_from_db()
    assert blob.scan_attempts == 3 and blob.scan_error
    assert not blob.is_servable
    # An operator queues it again once clamd is back.
    call_command("rescan_uploads", "--failed")
    blob.refresh_from_db()
    assert (blob.scan_state, blob.scan_attempts) == (ScanState.PENDING, 0)


def test_without_a_scanner_files_are_stored_as_not_scanned(settings, db):
    settings.MOTCUA_CLAMD_SOCKET = settings.MOTCUA_CLAMD_HOST = ""
    blob = store_blob(check_upload("a.pdf", pdf("b")))
    assert blob.scan_state == ScanState.NOT_SCANNED and blob.is_servable
