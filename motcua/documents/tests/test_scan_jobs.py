"""One virus-scan job per dossier: it scans every new file of the dossier and records each verdict; files clamd
could not take are retried together, in one job; content already stored is not queued again."""

import pytest
from django_tasks.backends.dummy import DummyBackend

from motcua.documents import uploads
from motcua.documents.models import Blob, ScanState
from motcua.documents.tasks import scan_blob_task, scan_blobs_task
from motcua.documents.tests.samples import EICAR, pdf
from motcua.documents.uploads import ScannerUnavailable, ScanVerdict, scan_blobs
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel

SLOTS = ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")


@pytest.fixture
def queued(settings, tmp_path):
    """A scanner is configured; the job backend only keeps what is queued (nothing runs)."""
    settings.MOTCUA_CLAMD_SOCKET = str(tmp_path / "no-clamd-here.sock")
    settings.MOTCUA_CLAMD_HOST = ""
    settings.MOTCUA_CLAMD_MAX_ATTEMPTS = 5
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    backend = scan_blobs_task.get_backend()
    assert isinstance(backend, DummyBackend)
    backend.clear()
    return backend


def _submit(demo_catalog, demo_agencies, citizen, contents, key=None):
    version = demo_catalog["1.001193"].current_version
    version.eform_schema = {}
    version.save()
    return submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, competent_agency=demo_agencies["tran_bien"],
        actor=citizen, applicant=Applicant(name="Nguyễn Văn An"), idempotency_key=key,
        uploads=[Upload(slot, f"{slot}.pdf", content) for slot, content in zip(SLOTS, contents, strict=True)])


def _verdicts(monkeypatch, infected_marker=b"EICAR"):
    """clamd as a stub: a content holding INFECTED_MARKER is infected, any other is clean."""
    scanned = []

    def scan(stream):
        content = stream.read()
        scanned.append(content)
        return ScanVerdict(infected=True, signature="Test.EICAR") if infected_marker in content \
            else ScanVerdict(infected=False)

    monkeypatch.setattr(uploads, "scan_stream", scan)
    return scanned


def test_one_job_scans_every_file_of_the_dossier_and_marks_each(queued, demo_catalog, demo_agencies, citizen,
                                                                monkeypatch, django_capture_on_commit_callbacks):
    bad = pdf("hong") + EICAR
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _submit(demo_catalog, demo_agencies, citizen, [pdf("a"), bad, pdf("c")])
    blobs = {d.slot: d.blob for d in dossier.documents.select_related("blob")}
    assert {b.scan_state for b in blobs.values()} == {ScanState.PENDING}
    [job] = queued.results
    assert job.task.name == scan_blobs_task.name
    assert sorted(job.args[0]) == sorted(b.pk for b in blobs.values())

    scanned = _verdicts(monkeypatch)
    states = job.task.call(*job.args)
    assert len(scanned) == 3
    assert states == {str(blobs["to_khai_khai_sinh"].pk): ScanState.CLEAN,
                      str(blobs["giay_chung_sinh"].pk): ScanState.INFECTED,
                      str(blobs["giay_to_tuy_than"].pk): ScanState.CLEAN}
    assert {slot: Blob.objects.get(pk=b.pk).scan_state for slot, b in blobs.items()} == {
        "to_khai_khai_sinh": ScanState.CLEAN, "giay_chung_sinh": ScanState.INFECTED,
        "giay_to_tuy_than": ScanState.CLEAN}
    assert Blob.objects.get(pk=blobs["giay_chung_sinh"].pk).scan_signature == "Test.EICAR"
    # Running the job again (a retried delivery) scans nothing twice.
    assert job.task.call(*job.args) == states and len(scanned) == 3


def test_content_already_stored_is_not_queued_again(queued, demo_catalog, demo_agencies, citizen, other_citizen,
                                                    django_capture_on_commit_callbacks):
    shared = pdf("cccd")
    with django_capture_on_commit_callbacks(execute=True):
        _submit(demo_catalog, demo_agencies, citizen, [pdf("a"), pdf("b"), shared])
    with django_capture_on_commit_callbacks(execute=True):
        _submit(demo_catalog, demo_agencies, other_citizen, [pdf("x"), shared, shared])
    first, second = queued.results
    assert len(first.args[0]) == 3
    assert len(second.args[0]) == 1  # only pdf("x"): the shared content has its job already
    assert Blob.objects.count() == 4


def test_files_clamd_could_not_take_are_retried_together(queued, demo_catalog, demo_agencies, citizen, monkeypatch,
                                                         django_capture_on_commit_callbacks, settings):
    settings.MOTCUA_CLAMD_RETRY_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _submit(demo_catalog, demo_agencies, citizen, [pdf("a"), pdf("b"), pdf("c")])
    [job] = queued.results
    queued.clear()

    def unavailable(stream):
        raise ScannerUnavailable("clamd is restarting")

    monkeypatch.setattr(uploads, "scan_stream", unavailable)
    assert set(job.task.call(*job.args).values()) == {ScanState.PENDING}
    [retry] = queued.results
    assert sorted(retry.args[0]) == sorted(job.args[0])
    assert retry.task.run_after is not None
    assert all(b.scan_attempts == 1 and b.scan_error for b in Blob.objects.all())
    # clamd is back: the retry marks each file.
    _verdicts(monkeypatch)
    retry.task.call(*retry.args)
    assert {d.scan_state for d in dossier.documents.select_related("blob")} == {ScanState.CLEAN}


def test_one_files_unexpected_error_does_not_keep_the_others_unscanned(queued, db, monkeypatch):
    blobs = uploads.store_blobs([uploads.check_upload(f"{n}.pdf", pdf(n)) for n in ("a", "b", "c")])
    real_scan_one = uploads._scan_one

    def flaky(blob_id):
        if blob_id == blobs[0].pk:
            raise RuntimeError("database hiccup")
        return real_scan_one(blob_id)

    _verdicts(monkeypatch)
    monkeypatch.setattr(uploads, "_scan_one", flaky)
    with pytest.raises(RuntimeError):
        scan_blobs([b.pk for b in blobs])
    states = {b.pk: Blob.objects.get(pk=b.pk).scan_state for b in blobs}
    assert states == {blobs[0].pk: ScanState.PENDING, blobs[1].pk: ScanState.CLEAN, blobs[2].pk: ScanState.CLEAN}


def test_jobs_queued_one_per_file_before_still_run(queued, db, monkeypatch):
    blob = uploads.store_blob(uploads.check_upload("a.pdf", pdf("old job")))
    _verdicts(monkeypatch)
    assert scan_blob_task.call(blob.pk) == ScanState.CLEAN
    blob.refresh_from_db()
    assert blob.scan_state == ScanState.CLEAN
