"""The edXML adapter: what we build validates against our XSD and reads back the same; malformed packages are
refused with a clear error in both languages (motcua/adapters/edxml.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from lxml import etree  # type: ignore[import-untyped]

from motcua.adapters import edxml

NOW = dt.datetime(2026, 12, 7, 11, 0, tzinfo=edxml.VN)
PDF = b"%PDF-1.4\n% a signed letter\n"


def envelope(**changes):
    values: dict[str, Any] = {
        "sender": edxml.Organ("000.01.70.H19", "Ủy ban nhân dân phường Trấn Biên", address="Đồng Nai"),
        "receivers": (edxml.Organ("000.00.12.H29", "Sở Tư pháp Thành phố Hồ Chí Minh"),),
        "code_number": "3", "code_notation": "000.01.70.H19-261207-0001", "place": "Đồng Nai",
        "promulgation_date": NOW.date(), "subject": "Đề nghị xác minh thông tin hộ tịch", "content": "Nội dung",
        "signer_position": "Chủ tịch", "signer_name": "Phan Thanh Sơn", "timestamp": NOW,
        "due_date": dt.date(2026, 12, 10),
        "attachments": (edxml.Attachment("att1", "to-khai.pdf", PDF),), "reference": "000.01.70.H19-261207-0001"}
    values.update(changes)
    return edxml.Envelope(**values)


def test_envelope_round_trip_and_schema():
    data = edxml.build_envelope(envelope())
    assert edxml.schema().validate(etree.fromstring(data))
    back = edxml.parse_envelope(data)
    assert back.sender.organ_id == "000.01.70.H19" and back.receivers[0].name == "Sở Tư pháp Thành phố Hồ Chí Minh"
    assert back.code == "3/000.01.70.H19-261207-0001" and back.promulgation_date == NOW.date()
    assert back.document_id == "000.01.70.H19,2026/12/07,3/000.01.70.H19-261207-0001"
    assert back.subject == "Đề nghị xác minh thông tin hộ tịch" and back.signer_name == "Phan Thanh Sơn"
    assert back.due_date == dt.date(2026, 12, 10) and back.timestamp == NOW and back.reference.endswith("0001")
    assert back.attachments == (edxml.Attachment("att1", "to-khai.pdf", PDF),)
    assert back.response_for is None and back.business_type == edxml.BUSINESS_NEW


def test_answer_and_status_round_trip():
    asked = edxml.ResponseFor("000.01.70.H19", "3/X", NOW.date(), "000.01.70.H19,2026/12/07,3/X")
    answer = edxml.parse_message(edxml.build_envelope(envelope(response_for=asked)))
    assert isinstance(answer, edxml.Envelope) and answer.response_for == asked
    status = edxml.parse_message(edxml.build_status(edxml.StatusMessage(
        asked, edxml.Organ("000.00.12.H29", "Sở Tư pháp"), "03", NOW, "Đã tiếp nhận", "Văn thư")))
    assert isinstance(status, edxml.StatusMessage)
    assert (status.state, status.description, status.staff, status.timestamp) == (edxml.ACCEPTED, "Đã tiếp nhận",
                                                                                  "Văn thư", NOW)


def test_the_status_order_only_moves_forward():
    states = [edxml.STATUS_CODES[c] for c in ("01", "03", "04", "05", "06")]
    ranks = [edxml.ORDER[s] for s in [edxml.SENDING, edxml.SENT, *states]]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert all(edxml.ORDER[s] == max(edxml.ORDER.values()) for s in edxml.FINAL_STATES)


def _broken(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data
    return data.replace(old, new, 1)


@pytest.mark.parametrize(("change", "code", "vi"), [
    (lambda d: b"", "empty", "rỗng"),
    (lambda d: d[: len(d) // 2], "not_xml", "không phải XML hợp lệ"),
    (lambda d: d.replace(edxml.NS.encode(), b"urn:other"), "namespace", "không gian tên"),
    (lambda d: _broken(d, b"<edXML:Subject>", b"<edXML:Subjekt>").replace(b"</edXML:Subject>", b"</edXML:Subjekt>"),
     "schema", "không đúng lược đồ"),
    (lambda d: _broken(d, b"000.00.12.H29", b"SO-TU-PHAP"), "schema", "không đúng lược đồ"),
    (lambda d: _broken(d, b"<?xml version='1.0' encoding='UTF-8'?>",
                       b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]>"), "doctype", "DOCTYPE"),
    (lambda d: _broken(d, b"<edXML:ContentType>application/pdf", b"<edXML:ContentType>text/html"),
     "attachment_type", "không phải PDF"),
    (lambda d: _broken(d, b"<edXML:ContentId>att1</edXML:ContentId><edXML:ContentTransferEncoded>",
                       b"<edXML:ContentId>att2</edXML:ContentId><edXML:ContentTransferEncoded>"),
     "attachment_missing", "Thiếu nội dung tệp"),
])
def test_malformed_packages_are_refused_clearly(change, code, vi):
    data = change(edxml.build_envelope(envelope()))
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse_message(data)
    assert caught.value.code == code and vi in caught.value.message_vi
    assert caught.value.message_en and caught.value.message_en != caught.value.message_vi


def test_an_unknown_status_code_is_refused():
    asked = edxml.ResponseFor("000.01.70.H19", "3/X", NOW.date(), "id")
    data = edxml.build_status(edxml.StatusMessage(asked, edxml.Organ("000.00.12.H29", "STP"), "05", NOW))
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse_status(data.replace(b">05<", b">42<"))
    assert caught.value.code == "status_code"


def test_we_never_build_an_invalid_envelope():
    with pytest.raises(edxml.EdxmlError):
        edxml.build_envelope(envelope(subject=""))
