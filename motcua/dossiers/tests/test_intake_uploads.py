"""Intake's upload checks ask the database once for all files (content known to be infected), and report the
errors per slot in the order of the uploads."""

import hashlib

from motcua.documents.models import Blob, ScanState
from motcua.documents.tests.samples import EXE, pdf
from motcua.dossiers.actions import Upload, check_uploads


def _infected(content):
    Blob.objects.create(sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                        content_type="application/pdf", scan_state=ScanState.INFECTED)


def test_one_query_for_all_files_and_errors_in_upload_order(db, django_assert_num_queries):
    bad = pdf("nhiem")
    _infected(bad)
    uploads = [Upload("giay_chung_sinh", "gcs.pdf", bad), Upload("to_khai", "tk.pdf", EXE),
               Upload("cccd", "cccd.pdf", pdf("cccd")), Upload("ho_khau", "hk.pdf", pdf("hk"))]
    with django_assert_num_queries(1):
        checked, errors = check_uploads(uploads)
    assert list(errors) == ["documents/giay_chung_sinh", "documents/to_khai"]
    vi, en = errors["documents/giay_chung_sinh"]
    assert "gcs.pdf" in vi and "nhiễm mã độc" in vi and "malware" in en
    assert "không đúng định dạng" in errors["documents/to_khai"][0]
    assert [item.name if item else None for item in checked] == [None, None, "cccd.pdf", "hk.pdf"]
    assert checked[2].sha256 == hashlib.sha256(pdf("cccd")).hexdigest()


def test_no_query_when_no_file_passes_the_content_checks(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        checked, errors = check_uploads([Upload("a", "a.pdf", EXE), Upload("b", "b.pdf", b"")])
    assert checked == [None, None] and list(errors) == ["documents/a", "documents/b"]


def test_the_first_error_of_a_slot_is_kept(db):
    bad = pdf("nhiem 2")
    _infected(bad)
    _checked, errors = check_uploads([Upload("a", "1.pdf", bad), Upload("a", "2.pdf", EXE)])
    assert "nhiễm mã độc" in errors["documents/a"][0]
