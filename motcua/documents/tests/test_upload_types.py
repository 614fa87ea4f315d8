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


def _as_puremagic_decides(content):
    """The decision as it was made before the signature check came first: the type puremagic names, confirmed
    by the signature at offset 0, and what puremagic found for the message."""
    import puremagic

    from motcua.documents.uploads import FILE_TYPES, detect_type

    if content.startswith(b"PK\x03\x04"):
        return detect_type(content)  # Office packages: decided from the zip structure, unchanged
    try:
        matches = puremagic.magic_string(content)
    except puremagic.PureError:
        return None, ""
    mime = {m.mime_type for m in matches}
    best = max(matches, key=lambda m: (bool(m.mime_type), m.confidence))
    for key, mime_type, signature in (("pdf", "application/pdf", b"%PDF"),
                                      ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
                                      ("jpeg", "image/jpeg", b"\xff\xd8\xff")):
        if mime_type in mime and content.startswith(signature):
            return FILE_TYPES[key], key
    return None, best.extension.lstrip(".")


@pytest.mark.parametrize("content", [
    pdf(), png(), jpeg(), ooxml("word"), xlsx(), EXE, EICAR, zipped("a.txt", b"hello"),
    b"%PDF", b"%PD", b"\r\n%PDF-1.4", b"\x89PNG\r\n\x1a\n", b"\x89PNG\r\n", b"\xff\xd8\xff", b"\xff\xd8",
    b"GIF89a\x01\x00\x01\x00", b"<html><script>alert(1)</script></html>", b"\x00" * 16,
], ids=lambda c: repr(c[:12]))
def test_the_signature_check_decides_as_puremagic(content):
    from motcua.documents.uploads import detect_type

    assert detect_type(content) == _as_puremagic_decides(content)


def test_allowed_types_are_recognised_without_walking_puremagics_table(monkeypatch):
    import puremagic

    def walked(content):
        raise AssertionError("puremagic is only needed to name a refused type")

    monkeypatch.setattr(puremagic, "magic_string", walked)
    assert [check_upload("a", content).file_type.key for content in (pdf(), png(), jpeg())] == ["pdf", "png", "jpeg"]
