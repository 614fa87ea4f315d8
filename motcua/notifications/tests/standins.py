"""Local stand-ins for the providers, on loopback: an SMTP server (aiosmtpd), an SMS brandname gateway shaped like
eSMS, and Zalo ZNS. Like the real providers, the HTTP stand-ins treat a repeated idempotency key (RequestId,
tracking_id) as the same message: they answer it again but deliver it only once.

Faults are queued per request: an HTTP status (503, 429, 400…), "reject" (a provider error code in a 200
answer), "slow" (answer after the client's timeout) or "hang" (accept the message, then hold the answer until
`release` is set — a provider that took the message while the worker died waiting for the answer).
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class StandInGateway:
    def __init__(self, kind: str) -> None:
        assert kind in ("sms", "zns")
        self.kind = kind
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.delivered: dict[str, dict[str, Any]] = {}
        self.faults: deque[Any] = deque()
        self.slow_seconds = 3.0
        self.hung = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- what tests read
    def key_of(self, body: dict[str, Any]) -> str:
        return str(body.get("RequestId") if self.kind == "sms" else body.get("tracking_id"))

    def request_counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self.key_of(body) for body in self.requests)

    # -- the provider's behaviour
    def answer(self, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            fault = self.faults.popleft() if self.faults else None
        if isinstance(fault, int):
            return fault, {"error": f"HTTP {fault}"}
        if fault == "reject":
            if self.kind == "sms":
                return 200, {"CodeResult": "104", "ErrorMessage": "Brandname chưa được đăng ký"}
            return 200, {"error": -108, "message": "Số điện thoại không hợp lệ"}
        if fault == "slow":
            time.sleep(self.slow_seconds)
        key = self.key_of(body)
        with self._lock:
            self.delivered.setdefault(key, body)
        if fault == "hang":
            self.hung.set()
            self.release.wait(60)
        if self.kind == "sms":
            return 200, {"CodeResult": "100", "SMSID": f"sms-{key}"}
        return 200, {"error": 0, "message": "Success", "data": {"msg_id": f"zns-{key}"}}

    def start(self) -> str:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = {}
                status, answer = gateway.answer(body, {k.lower(): v for k, v in self.headers.items()})
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client went away (killed worker, timeout)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}/send"

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


class Mailbox:
    """aiosmtpd handler: keeps every message it accepts; RCPT faults are queued like the HTTP ones ("451",
    "550")."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.faults: deque[str] = deque()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        fault = self.faults.popleft() if self.faults else None
        if fault == "451":
            return "451 4.3.0 Hệ thống bận, thử lại sau"
        if fault == "550":
            return "550 5.1.1 Không có hộp thư này"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(parsed)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 Message accepted for delivery"

    def message_ids(self) -> Counter[str]:
        with self._lock:
            return Counter(str(message["Message-ID"]) for message in self.messages)


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
