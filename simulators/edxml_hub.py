"""A local simulator of the document exchange hub (trục liên thông văn bản) with simulated outside agencies.

Run it:  python -m simulators.edxml_hub --port 8311      (docs/document-exchange.md)

It speaks the (GUESSED) hub interface of ``motcua.adapters.edxml`` and validates every envelope
against the same XSD; it needs no Django. Every request carries the headers ``systemId`` and ``secret``
(wrong ones: ``ErrorCode`` 15).

- ``POST /edoc/send``            an edXML document (body) for the organs in its ``To``; idempotent by DocumentId. A
                                 malformed envelope is refused (``ErrorCode`` 01, with the schema's error), an unknown
                                 receiver too (04). A simulated agency then answers on its own (``--no-auto`` to
                                 drive it by hand): statuses 01 received, 03 accepted, 05 processing, the answer (an
                                 edXML document with ``ResponseFor`` and a PDF), 06 done — or 02 rejected;
- ``GET  /edoc/received``        the messages waiting for motcua (not yet acknowledged);
- ``GET  /edoc/<id>``            one message (XML);
- ``POST /edoc/<id>/ack``        acknowledge it (it leaves the list; idempotent);
- ``GET  /``                     a Vietnamese page: documents the agencies received, their statuses, the queue;
- ``GET  /_state``               the same as JSON;
- ``GET|POST /_faults``          ``delay_ms``, ``timeout``, ``fail_next`` / ``fail_ratio`` with ``fail_status``,
                                 ``down``, ``malformed_next`` (the agency's next K messages are broken XML),
                                 ``duplicate_next`` (its next K messages are queued twice, under two ids),
                                 ``reverse_order`` (the list comes newest first: statuses out of order),
                                 ``reject_next`` (the next K documents are rejected), ``undeliverable_next`` (the
                                 hub reports a delivery failure, status 99);
- ``POST /_status``              ``{"document_id", "code", "description"}``: an agency sends a status by hand;
- ``POST /_answer``              ``{"document_id", "subject"}``: an agency answers by hand;
- ``POST /_reset``               no documents, no faults.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import threading
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from typing import Any

from motcua.adapters import edxml
from simulators._base import BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve
from simulators.national_portal import Faults

MAX_BODY_BYTES = edxml.MAX_MESSAGE_BYTES

# The simulated outside agencies (illustrative codes in the Decision 20/2020 shape).
AGENCIES: dict[str, str] = {
    "000.00.12.H29": "Sở Tư pháp Thành phố Hồ Chí Minh",
    "000.00.00.G10": "Bộ Xây dựng",
}


@dataclass
class HubFaults(Faults):
    reverse_order: bool = False
    reject_next: int = 0
    undeliverable_next: int = 0


@dataclass
class SimulatorConfig:
    system_id: str = "motcua-demo"
    secret: str = "motcua-demo-secret"  # noqa: S105 - a local simulator's demo credential
    auto: bool = True
    seed: int | None = None
    faults: HubFaults = field(default_factory=HubFaults)


@dataclass
class Message:
    doc_id: str
    sender: str
    receivers: list[str]
    kind: str  # edoc | status
    body: bytes
    created: str
    acked: bool = False


@dataclass
class Delivered:
    """A document a simulated agency received: its header and the statuses it sent back."""

    document_id: str
    code: str
    sender: str
    sender_name: str
    receiver: str
    subject: str
    promulgation_date: str
    attachments: list[str]
    statuses: list[str] = field(default_factory=list)
    answered: bool = False


def answer_pdf(text: str) -> bytes:
    """A small valid PDF (one page, one line of ASCII text) standing for the agency's signed answer."""
    safe = text.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")[:80]
    stream = b"BT /F1 12 Tf 50 750 Td (" + safe + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


class HubState(FaultCounters):
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.lock = threading.RLock()
        self.random = random.Random(config.seed)  # noqa: S311 - fault ratios, not security
        self.messages: dict[str, Message] = {}
        self.delivered: dict[str, Delivered] = {}
        self.sent_ids: dict[str, str] = {}  # DocumentId -> hub id (idempotent send)
        self.counter = 0

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.delivered.clear()
            self.sent_ids.clear()
            self.reset_faults()

    def _next_id(self) -> str:
        self.counter += 1
        return f"HUB-{self.counter:06d}"

    def _queue(self, sender: str, receivers: list[str], kind: str, body: bytes) -> None:
        """A message from a simulated agency to motcua, with the agency-side faults."""
        if self.take("malformed_next"):
            body = body[: len(body) // 2]  # cut short: not well-formed XML
        copies = 2 if self.take("duplicate_next") else 1
        for _copy in range(copies):
            doc_id = self._next_id()
            self.messages[doc_id] = Message(doc_id, sender, receivers, kind, body, _now().isoformat())

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"delivered": {k: asdict(v) for k, v in self.delivered.items()},
                    "queue": [{k: v for k, v in asdict(m).items() if k != "body"} | {"size": len(m.body)}
                              for m in self.messages.values()]}

    # --- the hub's operations ---

    def send(self, body: bytes) -> bytes:
        try:
            envelope = edxml.parse_envelope(body)
        except edxml.EdxmlError as exc:
            return edxml.hub_result(False, error_code=edxml.ERROR_INVALID, message=str(exc))
        unknown = [r.organ_id for r in envelope.receivers if r.organ_id not in AGENCIES]
        if unknown:
            return edxml.hub_result(False, error_code=edxml.ERROR_UNKNOWN_ORGAN,
                                    message=f"Mã định danh không có trên trục: {', '.join(unknown)}")
        with self.lock:
            known = self.sent_ids.get(envelope.effective_document_id)
            if known is not None:
                return edxml.hub_result(True, doc_id=known, message="Đã nhận trước đó")
            doc_id = self._next_id()
            self.sent_ids[envelope.effective_document_id] = doc_id
            for receiver in envelope.receivers:
                self.delivered[envelope.effective_document_id] = Delivered(
                    document_id=envelope.effective_document_id, code=envelope.code,
                    sender=envelope.sender.organ_id, sender_name=envelope.sender.name, receiver=receiver.organ_id,
                    subject=envelope.subject, promulgation_date=envelope.promulgation_date.isoformat(),
                    attachments=[a.name for a in envelope.attachments])
            if self.take("undeliverable_next"):
                self.status(envelope.effective_document_id, "99", "Không chuyển được văn bản đến đơn vị nhận")
            elif self.config.auto:
                self.status(envelope.effective_document_id, "01", "Đã đến văn thư")
                if self.take("reject_next"):
                    self.status(envelope.effective_document_id, "02", "Văn bản không thuộc thẩm quyền giải quyết")
                else:
                    self.status(envelope.effective_document_id, "03", "Đã tiếp nhận")
                    self.status(envelope.effective_document_id, "05", "Đang xử lý")
                    self.answer(envelope.effective_document_id)
                    self.status(envelope.effective_document_id, "06", "Đã hoàn thành")
        return edxml.hub_result(True, doc_id=doc_id, message="Thành công")

    def _delivered(self, document_id: str) -> Delivered:
        found = self.delivered.get(document_id)
        if found is None:
            raise KeyError(f"no document {document_id}")
        return found

    def _response_for(self, d: Delivered) -> edxml.ResponseFor:
        return edxml.ResponseFor(organ_id=d.sender, code=d.code,
                                 promulgation_date=dt.date.fromisoformat(d.promulgation_date),
                                 document_id=d.document_id)

    def status(self, document_id: str, code: str, description: str = "") -> None:
        with self.lock:
            d = self._delivered(document_id)
            if code not in edxml.STATUS_CODES:
                raise ValueError(f"unknown status code {code}")
            body = edxml.build_status(edxml.StatusMessage(
                response_for=self._response_for(d), sender=edxml.Organ(d.receiver, AGENCIES[d.receiver]),
                code=code, description=description, timestamp=_now(), staff="Văn thư"))
            d.statuses.append(code)
            self._queue(d.receiver, [d.sender], edxml.MESSAGE_STATUS, body)

    def answer(self, document_id: str, subject: str = "") -> None:
        with self.lock:
            d = self._delivered(document_id)
            self.counter += 0
            number = str(len(self.delivered) * 10 + len(d.statuses))
            now = _now()
            envelope = edxml.Envelope(
                sender=edxml.Organ(d.receiver, AGENCIES[d.receiver]),
                receivers=(edxml.Organ(d.sender, d.sender_name),), code_number=number, code_notation="TL-LT",
                place="Thành phố Hồ Chí Minh" if d.receiver.endswith("H29") else "Hà Nội",
                promulgation_date=now.date(), subject=subject or f"Trả lời văn bản số {d.code}",
                content="Kết quả xác minh theo đề nghị của quý cơ quan.", signer_position="Phó Giám đốc",
                signer_name="Nguyễn Văn Minh", timestamp=now, response_for=self._response_for(d),
                attachments=(edxml.Attachment("ans1", f"tra-loi-{number}.pdf",
                                              answer_pdf(f"Tra loi van ban {d.code}")),))
            d.answered = True
            self._queue(d.receiver, [d.sender], edxml.MESSAGE_EDOC, edxml.build_envelope(envelope))

    def received(self) -> bytes:
        with self.lock:
            items = [{"docId": m.doc_id, "from": m.sender, "to": ",".join(m.receivers), "messageType": m.kind,
                      "created": m.created} for m in self.messages.values() if not m.acked]
        if self.faults.reverse_order:
            items.reverse()
        return edxml.hub_result(True, items=items)


def _now() -> dt.datetime:
    return dt.datetime.now(edxml.VN).replace(microsecond=0)


class HubHandler(SimulatorHandler[HubState]):
    server: HubServer
    MAX_BODY_BYTES = MAX_BODY_BYTES
    disable_nagle_algorithm = True

    def _faulted(self) -> bool:
        """The transport faults, before the operation: True when the answer was given (or withheld)."""
        faults = self.state.faults
        if self._dropped():
            return True
        if self.state.should_fail():
            self._send(faults.fail_status, b"<html><body>simulated failure</body></html>", "text/html")
            return True
        if (self.headers.get("systemId") != self.state.config.system_id
                or self.headers.get("secret") != self.state.config.secret):
            self._send(HTTPStatus.OK, edxml.hub_result(False, error_code=edxml.ERROR_BAD_CREDENTIALS,
                                                       message="SystemId hoặc SecretKey không đúng"))
            return True
        return False

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/_faults":
            self._json(asdict(self.state.faults))
        elif path == "/_state":
            self._json(self.state.snapshot())
        elif path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, render_page(self.state).encode("utf-8"), "text/html; charset=utf-8")
        elif path == edxml.PATH_RECEIVED:
            if not self._faulted():
                self._send(HTTPStatus.OK, self.state.received())
        elif path.startswith("/edoc/"):
            if self._faulted():
                return
            message = self.state.messages.get(path.removeprefix("/edoc/"))
            if message is None:
                self._send(HTTPStatus.NOT_FOUND, edxml.hub_result(False, error_code=edxml.ERROR_NOT_FOUND,
                                                                  message="Không tìm thấy văn bản"))
            else:
                self._send(HTTPStatus.OK, message.body, "application/xml")
        else:
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            return
        path = self.path.split("?", 1)[0]
        if path.startswith("/_"):
            self._admin(path, body)
        elif path == edxml.PATH_SEND:
            if not self._faulted():
                self._send(HTTPStatus.OK, self.state.send(body))
        elif path.startswith("/edoc/") and path.endswith("/ack"):
            if self._faulted():
                return
            message = self.state.messages.get(path.removeprefix("/edoc/").removesuffix("/ack"))
            if message is None:
                self._send(HTTPStatus.OK, edxml.hub_result(False, error_code=edxml.ERROR_NOT_FOUND,
                                                           message="Không tìm thấy văn bản"))
                return
            message.acked = True
            self._send(HTTPStatus.OK, edxml.hub_result(True, message="Đã xác nhận"))
        else:
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def _admin(self, path: str, body: bytes) -> None:
        try:
            data = json.loads(body or b"{}")
            if not isinstance(data, dict):
                raise ValueError("send a JSON object")
            if path == "/_faults":
                with self.state.lock:
                    self.state.faults.update(data)
                self._json(asdict(self.state.faults))
            elif path == "/_reset":
                self.state.reset()
                self._json({"ok": True})
            elif path == "/_status":
                self.state.status(str(data["document_id"]), str(data["code"]), str(data.get("description", "")))
                self._json({"ok": True})
            elif path == "/_answer":
                self.state.answer(str(data["document_id"]), str(data.get("subject", "")))
                self._json({"ok": True})
            else:
                self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)
        except (ValueError, KeyError, UnicodeDecodeError) as exc:
            self._json({"error": str(exc)}, HTTPStatus.BAD_REQUEST)


class HubServer(SimulatorServer[HubState]):
    handler_class = HubHandler


class HubSimulator(BackgroundSimulator[HubServer]):
    """Start and stop the simulator in a background thread (tests, scripts)."""
    thread_name = "edxml-hub-sim"

    def __init__(self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.state = HubState(self.config)
        self.server = HubServer((host, port), self.state)


STATUS_VI = {"01": "Đã đến", "02": "Từ chối", "03": "Đã tiếp nhận", "04": "Đã phân công", "05": "Đang xử lý",
             "06": "Hoàn thành", "99": "Không chuyển được"}


def render_page(state: HubState) -> str:
    snap = state.snapshot()
    rows = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            html.escape(d["code"]), html.escape(f"{d['sender_name']} ({d['sender']})"),
            html.escape(f"{AGENCIES.get(d['receiver'], '')} ({d['receiver']})"), html.escape(d["subject"]),
            html.escape(" → ".join(STATUS_VI.get(c, c) for c in d["statuses"]) or "—")
            + (" · đã trả lời" if d["answered"] else ""))
        for d in snap["delivered"].values())
    queue = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            html.escape(m["doc_id"]), html.escape(m["sender"]), "Văn bản" if m["kind"] == "edoc" else "Trạng thái",
            "Đã lấy về" if m["acked"] else "Chờ hệ thống một cửa lấy về") for m in snap["queue"])
    agencies = "".join(f"<li>{html.escape(name)} ({html.escape(code)})</li>" for code, name in AGENCIES.items())
    return ("<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>Trục liên thông văn bản (mô phỏng)</title>"
            "<style>body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse;width:100%}"
            "td,th{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}"
            ".wrap{overflow-x:auto}</style></head><body>"
            "<h1>Trục liên thông văn bản (mô phỏng)</h1>"
            "<p>Gói tin edXML theo QCVN 102:2016/BTTTT; giao diện của trục và mã trạng thái là phỏng đoán.</p>"
            f"<h2>Cơ quan mô phỏng</h2><ul>{agencies}</ul>"
            "<h2>Văn bản các cơ quan đã nhận</h2><div class='wrap'><table><thead><tr><th>Số, ký hiệu</th>"
            "<th>Nơi gửi</th><th>Nơi nhận</th><th>Trích yếu</th><th>Trạng thái</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
            "<h2>Gói tin gửi hệ thống một cửa</h2><div class='wrap'><table><thead><tr><th>Mã gói tin</th>"
            "<th>Từ</th><th>Loại</th><th>Tình trạng</th></tr></thead>"
            f"<tbody>{queue}</tbody></table></div></body></html>")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8311)
    parser.add_argument("--system-id", default=SimulatorConfig.system_id)
    parser.add_argument("--secret", default=SimulatorConfig.secret)
    parser.add_argument("--no-auto", action="store_true", help="agencies answer only through POST /_status, /_answer")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    state = HubState(SimulatorConfig(system_id=args.system_id, secret=args.secret, auto=not args.no_auto,
                                     seed=args.seed))
    server = HubServer((args.host, args.port), state, verbose=args.verbose)
    serve(server, f"document exchange hub simulator on http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
