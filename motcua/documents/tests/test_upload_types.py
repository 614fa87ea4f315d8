"""The type of an upload comes from its content (magic bytes; the Office zip structure), never from its name."""

import pytest

from motcua.documents.tests.samples import EICAR, EXE, jpeg, ooxml, pdf, png, xlsx, zipped
from motcua.documents.uploads import UploadError, check_upload


@pytest.mark.parametrize(("name", "content", "kind", "stored_name"), [
    ("don.pdf", pdf(), "pdf", "don.pdf"),
    ("anh.jpg", jpeg(), "jpeg", "anh.jpg"),
    ("anh.png", png(), "png", "anh.png"),
    ("to-trinh.docx", ooxml("word"), "docx", "to-trinh.docx"),
    ("bang-ke.xlsx", xlsx(), "xlsx", "bang-ke.xlsx"),
    # A PNG named .pdf is a PNG: kept, typed and named as what it is.
    ("giay-chung-nhan.pdf", png(), "png", "giay-chung-nhan.png"),
    # A Word file whatever its name says.
    ("bang.xlsx", ooxml("word"), "docx", "bang.docx"),
])
def test_allowed_types_are_recognised_from_content(name, content, kind, stored_name):
    checked = check_upload(name, content)
    assert checked.file_type.key == kind
    assert checked.name == stored_name


@pytest.mark.parametrize(("name", "content", "found"), [
    ("hoa-don.pdf", EXE, "EXE"),  # a Windows program renamed .pdf
    ("thu.pdf", EICAR, ""),  # plain text
    ("nen.docx", zipped("a.txt", b"hello"), "ZIP"),  # a zip that is not an Office package
    ("ghi-chu.pdf", b"<html><script>alert(1)</script></html>", "HTML"),
])
def test_other_content_is_refused_whatever_its_name(name, content, found):
    with pytest.raises(UploadError) as refused:
        check_upload(name, content)
    assert refused.value.code == "type_not_allowed"
    assert f"Tệp {name} không đúng định dạng cho phép" in refused.value.message_vi
    assert "Accepted: PDF, JPEG, PNG, DOCX, XLSX" in refused.value.message_en
    if found:
        assert found in refused.value.message_en


def test_office_files_with_macros_are_refused():
    with pytest.raises(UploadError) as refused:
        check_upload("to-trinh.docx", ooxml("word", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}))
    assert refused.value.code == "macro"


def test_the_allowed_types_are_a_setting(settings):
    settings.MOTCUA_UPLOAD_ALLOWED_TYPES = ["pdf"]
    assert check_upload("a.pdf", pdf()).file_type.key == "pdf"
    with pytest.raises(UploadError) as refused:
        check_upload("a.png", png())
    assert "Accepted: PDF." in refused.value.message_en


def test_names_lose_folders_and_control_characters():
    checked = check_upload("..\\..\\etc/Giấy\u202etờ\x00 nhà đất.pdf", pdf())
    assert checked.name == "Giấytờ nhà đất.pdf"


def test_an_empty_file_is_refused():
    with pytest.raises(UploadError) as refused:
        check_upload("a.pdf", b"")
    assert refused.value.pair == ("Tệp a.pdf rỗng.", "The file a.pdf is empty.")
