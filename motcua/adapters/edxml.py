"""edXML official-document exchange (QCVN 102:2016/BTTTT, as amended by Thông tư 01/2022/TT-BTTTT) and the
document exchange hub (trục liên thông văn bản): every wire shape motcua builds or reads (docs/document-exchange.md).

Pure functions, no Django: the simulator (`simulators/edxml_hub.py`) uses them too.

Evidence (reference note §6): the namespace, the element names and their nesting are evidenced [E/C]; which ones
are mandatory, date formats, the numeric status codes, the Status package and every detail of the hub's HTTP
interface are GUESSED and collected in ``EVIDENCE``. Envelopes are validated against our own XSD
(``edxml.xsd`` next to this file) with lxml, parsed without entities, DTDs or network access.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from lxml import etree  # type: ignore[import-untyped]  # (no stubs; lxml-stubs lags behind lxml 6)

NS: Final = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX: Final = "edXML"
VN: Final = ZoneInfo("Asia/Ho_Chi_Minh")
SCHEMA_PATH: Final = Path(__file__).with_suffix(".xsd")
MAX_MESSAGE_BYTES: Final = 30 * 1024 * 1024  # one envelope with its base64 attachments
ORGAN_ID_RE: Final = re.compile(r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$")

EVIDENCE: Final = {
    "namespace, envelope element names and nesting": "corroborated (OpenCPS BuildEdXMLUtils, PVN VXP parser)",
    "mandatory elements, order, xs:date / xs:dateTime formats": "GUESSED (our XSD)",
    "DocumentId = '<OrganId>,<yyyy/MM/dd>,<CodeNumber>/<CodeNotation>'": "GUESSED",
    "BussinessDocType 0 = new document": "evidenced (OpenCPS)",
    "status words inbox/acceptance/rejection/processing/done/fail": "evidenced (VXP SDK)",
    "numeric StatusCode 01..06": "GUESSED (reference note: 'believed to be')",
    "StatusCode 99 for a delivery failure": "GUESSED (our own code; no evidence)",
    "Status package root <edXML:Status><edXML:Header>…": "GUESSED",
    "attachments as base64 PDF, not zipped": "GUESSED (the hub may zip)",
    "hub: systemId/secret headers, paths, JSON answers, error code 15": "GUESSED (VXP SDK operation names only)",
}

# --- statuses ------------------------------------------------------------------------------------------------------

SENDING: Final = "sending"  # ours: not yet accepted by the hub
SENT: Final = "sent"  # ours: the hub took it
RECEIVED: Final = "received"
REJECTED: Final = "rejected"
ACCEPTED: Final = "accepted"
ASSIGNED: Final = "assigned"
PROCESSING: Final = "processing"
DONE: Final = "done"
FAILED: Final = "failed"

# StatusCode (GUESSED) -> our state. The hub SDK's words in comments.
STATUS_CODES: Final = {
    "01": RECEIVED,  # inbox
    "02": REJECTED,  # rejection
    "03": ACCEPTED,  # acceptance
    "04": ASSIGNED,
    "05": PROCESSING,  # processing
    "06": DONE,  # done
    "99": FAILED,  # fail (the hub could not deliver) — our own code
}
CODE_OF: Final = {state: code for code, state in STATUS_CODES.items()}
# The order a document's state may only move forward in: a status message ranking at or below the current state is
# a duplicate or arrived out of order and changes nothing. The three endings rank highest and end the exchange.
ORDER: Final = {SENDING: 0, SENT: 1, RECEIVED: 2, ACCEPTED: 3, ASSIGNED: 4, PROCESSING: 5, REJECTED: 9, DONE: 9,
                FAILED: 9}
FINAL_STATES: Final = frozenset({REJECTED, DONE, FAILED})

# Document types (Type/TypeName): công văn is what goes between agencies for a dossier step.
DOC_TYPE_LETTER: Final = ("1", "Công văn")
BUSINESS_NEW: Final = "0"


class EdxmlError(ValueError):
    """A message that is not an acceptable edXML package: CODE plus one Vietnamese and one English sentence."""

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} ({message_en})")
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


# --- the envelope --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Organ:
    organ_id: str
    name: str
    address: str = ""
    email: str = ""
    telephone: str = ""
    in_charge: str = ""


@dataclass(frozen=True)
class Attachment:
    content_id: str
    name: str
    content: bytes
    content_type: str = "application/pdf"
    description: str = ""


@dataclass(frozen=True)
class ResponseFor:
    organ_id: str
    code: str
    promulgation_date: dt.date
    document_id: str


@dataclass(frozen=True)
class Envelope:
    sender: Organ
    receivers: tuple[Organ, ...]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: dt.date
    subject: str
    signer_position: str
    signer_name: str
    timestamp: dt.datetime
    content: str = ""
    doc_type: tuple[str, str] = DOC_TYPE_LETTER
    due_date: dt.date | None = None
    response_for: ResponseFor | None = None
    attachments: tuple[Attachment, ...] = ()
    business_type: str = BUSINESS_NEW
    business_reason: str = ""
    reference: str = ""  # our dossier code (Bussiness/DocumentId), as OpenCPS sends it
    document_id: str = ""

    @property
    def code(self) -> str:
        return f"{self.code_number}/{self.code_notation}"

    @property
    def effective_document_id(self) -> str:
        return self.document_id or document_id_for(self.sender.organ_id, self.promulgation_date, self.code)


def document_id_for(organ_id: str, day: dt.date, code: str) -> str:
    """The envelope's DocumentId (GUESSED shape: sender, date, number/notation)."""
    return f"{organ_id},{day:%Y/%m/%d},{code}"


@dataclass(frozen=True)
class StatusMessage:
    response_for: ResponseFor
    sender: Organ
    code: str
    timestamp: dt.datetime
    description: str = ""
    staff: str = ""

    @property
    def state(self) -> str:
        return STATUS_CODES.get(self.code, "")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _q(tag))
    if text is not None:
        element.text = text
    return element


def _opt(parent: etree._Element, tag: str, text: str) -> None:
    if text:
        _sub(parent, tag, text)


def format_time(value: dt.datetime) -> str:
    return value.astimezone(VN).replace(microsecond=0).isoformat()


def _organ(parent: etree._Element, tag: str, organ: Organ) -> None:
    element = _sub(parent, tag)
    _sub(element, "OrganId", organ.organ_id)
    _opt(element, "OrganizationInCharge", organ.in_charge)
    _sub(element, "OrganName", organ.name)
    _opt(element, "OrganAdd", organ.address)
    _opt(element, "Email", organ.email)
    _opt(element, "Telephone", organ.telephone)


def _response_for(parent: etree._Element, value: ResponseFor) -> None:
    element = _sub(parent, "ResponseFor")
    _sub(element, "OrganId", value.organ_id)
    _sub(element, "Code", value.code)
    _sub(element, "PromulgationDate", value.promulgation_date.isoformat())
    _sub(element, "DocumentId", value.document_id)


def _serialise(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data


def build_envelope(envelope: Envelope) -> bytes:
    """The edXML package (header, trace, manifest, base64 attachments), validated against the schema."""
    root = etree.Element(_q("edXML"), nsmap={PREFIX: NS})
    header = _sub(_sub(root, "edXMLEnvelope"), "edXMLHeader")
    message = _sub(header, "MessageHeader")
    _organ(message, "From", envelope.sender)
    for receiver in envelope.receivers:
        _organ(message, "To", receiver)
    _sub(message, "DocumentId", envelope.effective_document_id)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", envelope.code_number)
    _sub(code, "CodeNotation", envelope.code_notation)
    info = _sub(message, "PromulgationInfo")
    _sub(info, "Place", envelope.place)
    _sub(info, "PromulgationDate", envelope.promulgation_date.isoformat())
    kind = _sub(message, "DocumentType")
    _sub(kind, "Type", envelope.doc_type[0])
    _sub(kind, "TypeName", envelope.doc_type[1])
    _sub(message, "Subject", envelope.subject)
    _opt(message, "Content", envelope.content)
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Position", envelope.signer_position)
    _sub(signer, "FullName", envelope.signer_name)
    if envelope.due_date is not None:
        _sub(message, "DueDate", envelope.due_date.isoformat())
    if envelope.response_for is not None:
        _response_for(message, envelope.response_for)
    traces = _sub(header, "TraceHeaderList")
    trace = _sub(traces, "TraceHeader")
    _sub(trace, "OrganId", envelope.sender.organ_id)
    _sub(trace, "Timestamp", format_time(envelope.timestamp))
    business = _sub(traces, "Bussiness")
    _sub(business, "BussinessDocType", envelope.business_type)
    _opt(business, "BussinessDocReason", envelope.business_reason)
    _opt(business, "DocumentId", envelope.reference)
    body = _sub(_sub(root[0], "edXMLBody"), "edXMLManifest")
    for attachment in envelope.attachments:
        reference = _sub(body, "Reference")
        _sub(reference, "ContentId", attachment.content_id)
        _sub(reference, "ContentType", attachment.content_type)
        _sub(reference, "AttachmentName", attachment.name)
        _opt(reference, "Description", attachment.description)
    if envelope.attachments:
        encoded = _sub(root, "AttachmentEncoded")
        for attachment in envelope.attachments:
            item = _sub(encoded, "Attachment")
            _sub(item, "ContentId", attachment.content_id)
            _sub(item, "ContentTransferEncoded", base64.b64encode(attachment.content).decode("ascii"))
    data = _serialise(root)
    validate(data)  # what we send is what we accept
    return data


def build_status(status: StatusMessage) -> bytes:
    root = etree.Element(_q("Status"), nsmap={PREFIX: NS})
    header = _sub(root, "Header")
    _response_for(header, status.response_for)
    _organ(header, "From", status.sender)
    _sub(header, "StatusCode", status.code)
    _opt(header, "Description", status.description)
    _sub(header, "Timestamp", format_time(status.timestamp))
    if status.staff:
        staff = _sub(header, "StaffInfo")
        _sub(staff, "Staff", status.staff)
    data = _serialise(root)
    validate(data)
    return data


# --- reading -------------------------------------------------------------------------------------------------------

@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), _parser()))


def _parser() -> etree.XMLParser:
    # No entities, no DTD, no network, no huge trees: a message from outside cannot expand or fetch anything.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True)


def _document(data: bytes) -> etree._Element:
    if not data or not data.strip():
        raise EdxmlError("empty", "Gói tin edXML rỗng.", "The edXML message is empty.")
    if len(data) > MAX_MESSAGE_BYTES:
        raise EdxmlError("too_large", f"Gói tin edXML lớn hơn {MAX_MESSAGE_BYTES // (1024 * 1024)} MB.",
                         f"The edXML message is larger than {MAX_MESSAGE_BYTES // (1024 * 1024)} MB.")
    if b"<!DOCTYPE" in data[:4096].upper():
        raise EdxmlError("doctype", "Gói tin edXML không được chứa khai báo DOCTYPE.",
                         "An edXML message may not carry a DOCTYPE declaration.")
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise EdxmlError("not_xml", f"Gói tin không phải XML hợp lệ: {exc}.",
                         f"The message is not well-formed XML: {exc}.") from exc


def validate(data: bytes) -> etree._Element:
    """Parse DATA and check it against our schema; `EdxmlError` says what is wrong (first schema error, with its
    line)."""
    root = _document(data)
    if etree.QName(root).namespace != NS:
        raise EdxmlError("namespace", f"Gói tin không dùng không gian tên edXML ({NS}).",
                         f"The message is not in the edXML namespace ({NS}).")
    checker = schema()
    if not checker.validate(root):
        error = checker.error_log.last_error
        where = f"dòng {error.line}: " if error is not None else ""
        detail = error.message if error is not None else "?"
        raise EdxmlError("schema", f"Gói tin edXML không đúng lược đồ ({where}{detail}).",
                         f"The edXML message does not match the schema (line {error.line if error else '?'}: "
                         f"{detail}).")
    return root


def _text(element: etree._Element, path: str, default: str = "") -> str:
    found = element.find(path, {"e": NS})
    return (found.text or "").strip() if found is not None and found.text is not None else default


def _required(element: Any, path: str) -> Any:
    """An element the schema requires (so always there once validated)."""
    found = element.find(path, {"e": NS})
    if found is None:
        raise EdxmlError("missing", f"Thiếu phần tử {path}.", f"The element {path} is missing.")
    return found


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def _time(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VN)


def _read_organ(element: etree._Element) -> Organ:
    return Organ(organ_id=_text(element, "e:OrganId"), name=_text(element, "e:OrganName"),
                 address=_text(element, "e:OrganAdd"), email=_text(element, "e:Email"),
                 telephone=_text(element, "e:Telephone"), in_charge=_text(element, "e:OrganizationInCharge"))


def _read_response_for(element: etree._Element | None) -> ResponseFor | None:
    if element is None:
        return None
    return ResponseFor(organ_id=_text(element, "e:OrganId"), code=_text(element, "e:Code"),
                       promulgation_date=_date(_text(element, "e:PromulgationDate")),
                       document_id=_text(element, "e:DocumentId"))


def _attachments(root: etree._Element) -> tuple[Attachment, ...]:
    references = root.findall("e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest/e:Reference", {"e": NS})
    encoded = {_text(item, "e:ContentId"): _text(item, "e:ContentTransferEncoded")
               for item in root.findall("e:AttachmentEncoded/e:Attachment", {"e": NS})}
    result = []
    for reference in references:
        content_id = _text(reference, "e:ContentId")
        name = _text(reference, "e:AttachmentName")
        content_type = _text(reference, "e:ContentType")
        if content_id not in encoded:
            raise EdxmlError("attachment_missing", f"Thiếu nội dung tệp đính kèm «{name}» ({content_id}).",
                             f"The content of the attachment “{name}” ({content_id}) is missing.")
        try:
            content = base64.b64decode("".join(encoded[content_id].split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise EdxmlError("attachment_encoding", f"Tệp đính kèm «{name}» không mã hóa base64 đúng.",
                             f"The attachment “{name}” is not valid base64.") from exc
        if content_type != "application/pdf" or not content.lstrip()[:5].startswith(b"%PDF-"):
            raise EdxmlError("attachment_type", f"Tệp đính kèm «{name}» không phải PDF (chỉ nhận văn bản PDF đã "
                             "ký số).", f"The attachment “{name}” is not a PDF (only signed PDF documents are "
                             "accepted).")
        result.append(Attachment(content_id=content_id, name=name, content=content, content_type=content_type,
                                 description=_text(reference, "e:Description")))
    return tuple(result)


def parse_envelope(data: bytes) -> Envelope:
    root = validate(data)
    if etree.QName(root).localname != "edXML":
        raise EdxmlError("not_envelope", "Gói tin không phải văn bản edXML.", "The message is not an edXML document.")
    header = _required(root, "e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader")
    traces = _required(root, "e:edXMLEnvelope/e:edXMLHeader/e:TraceHeaderList")
    stamps = [_time(_text(t, "e:Timestamp")) for t in traces.findall("e:TraceHeader", {"e": NS})]
    due = _text(header, "e:DueDate")
    return Envelope(
        sender=_read_organ(_required(header, "e:From")),
        receivers=tuple(_read_organ(t) for t in header.findall("e:To", {"e": NS})),
        document_id=_text(header, "e:DocumentId"),
        code_number=_text(header, "e:Code/e:CodeNumber"), code_notation=_text(header, "e:Code/e:CodeNotation"),
        place=_text(header, "e:PromulgationInfo/e:Place"),
        promulgation_date=_date(_text(header, "e:PromulgationInfo/e:PromulgationDate")),
        doc_type=(_text(header, "e:DocumentType/e:Type"), _text(header, "e:DocumentType/e:TypeName")),
        subject=_text(header, "e:Subject"), content=_text(header, "e:Content"),
        signer_position=_text(header, "e:SignerInfo/e:Position"),
        signer_name=_text(header, "e:SignerInfo/e:FullName"),
        due_date=_date(due) if due else None,
        response_for=_read_response_for(header.find("e:ResponseFor", {"e": NS})),
        timestamp=stamps[-1],
        business_type=_text(traces, "e:Bussiness/e:BussinessDocType", BUSINESS_NEW),
        business_reason=_text(traces, "e:Bussiness/e:BussinessDocReason"),
        reference=_text(traces, "e:Bussiness/e:DocumentId"),
        attachments=_attachments(root))


def parse_status(data: bytes) -> StatusMessage:
    root = validate(data)
    if etree.QName(root).localname != "Status":
        raise EdxmlError("not_status", "Gói tin không phải gói trạng thái edXML.",
                         "The message is not an edXML status package.")
    header = _required(root, "e:Header")
    response_for = _read_response_for(_required(header, "e:ResponseFor"))
    if response_for is None:  # (cannot happen: required above)
        raise EdxmlError("response_for", "Thiếu ResponseFor.", "ResponseFor is missing.")
    code = _text(header, "e:StatusCode")
    if code not in STATUS_CODES:
        raise EdxmlError("status_code", f"Mã trạng thái không xác định: {code}.", f"Unknown status code: {code}.")
    return StatusMessage(response_for=response_for,
                         sender=_read_organ(_required(header, "e:From")),
                         code=code, description=_text(header, "e:Description"),
                         timestamp=_time(_text(header, "e:Timestamp")), staff=_text(header, "e:StaffInfo/e:Staff"))


def parse_message(data: bytes) -> Envelope | StatusMessage:
    """A document or a status package, by its root element."""
    root = validate(data)
    return parse_status(data) if etree.QName(root).localname == "Status" else parse_envelope(data)


# --- the hub (GUESSED HTTP interface: docs/document-exchange.md) ----------------------------------------------------

SERVICE_TYPE: Final = "eDoc"
MESSAGE_EDOC: Final = "edoc"
MESSAGE_STATUS: Final = "status"
PATH_SEND: Final = "/edoc/send"
PATH_RECEIVED: Final = "/edoc/received"
PATH_GET: Final = "/edoc/{doc_id}"
PATH_ACK: Final = "/edoc/{doc_id}/ack"
ERROR_BAD_CREDENTIALS: Final = "15"  # seen in a public re-implementation (GUESSED)
ERROR_INVALID: Final = "01"
ERROR_UNKNOWN_ORGAN: Final = "04"
ERROR_NOT_FOUND: Final = "404"


def hub_headers(system_id: str, secret: str, *, sender: str = "", receivers: tuple[str, ...] = (),
                message_type: str = MESSAGE_EDOC) -> dict[str, str]:
    headers = {"systemId": system_id, "secret": secret}
    if sender:
        headers.update({"from": sender, "to": ",".join(receivers), "servicetype": SERVICE_TYPE,
                        "messagetype": message_type})
    return headers


@dataclass(frozen=True)
class HubAnswer:
    ok: bool
    error_code: str = ""
    message: str = ""
    doc_id: str = ""
    items: tuple[dict[str, str], ...] = field(default_factory=tuple)


def hub_result(ok: bool, *, error_code: str = "0", message: str = "", doc_id: str = "",
               items: list[dict[str, str]] | None = None) -> bytes:
    body: dict[str, Any] = {"status": "OK" if ok else "FAIL", "ErrorCode": "0" if ok else error_code,
                            "ErrorDesc": message}
    if doc_id:
        body["DocId"] = doc_id
    if items is not None:
        body["data"] = items
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def parse_hub_answer(data: bytes) -> HubAnswer:
    """The hub's JSON answer; raises ValueError/KeyError/TypeError for a body it cannot read (the client's
    `MalformedResponse`)."""
    body = json.loads(data)
    if not isinstance(body, dict) or body.get("status") not in ("OK", "FAIL"):
        raise ValueError("not a hub answer")
    items = body.get("data") or []
    if not isinstance(items, list) or not all(isinstance(i, dict) and str(i.get("docId") or "") for i in items):
        raise ValueError("bad list of received messages")
    return HubAnswer(ok=body["status"] == "OK", error_code=str(body.get("ErrorCode") or ""),
                     message=str(body.get("ErrorDesc") or ""), doc_id=str(body.get("DocId") or ""),
                     items=tuple({k: str(v) for k, v in i.items()} for i in items))
