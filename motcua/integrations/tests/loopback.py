"""A loopback HTTP server the test starts, answering from a script (fault injection) and keeping what it got."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Answer:
    status: int = 200
    body: bytes = b'{"error_code": 0}'
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Loopback:
    def __init__(self) -> None:
        self.script: list[Answer] = []
        self.received: list[Received] = []
        self.lock = threading.Lock()
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with loopback.lock:
                    loopback.received.append(Received(self.command, self.path,
                                                      {k.lower(): v for k, v in self.headers.items()}, body))
                    answer = loopback.script.pop(0) if loopback.script else Answer()
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, *answers: Answer) -> None:
        with self.lock:
            self.script.extend(answers)


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    server = Loopback()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def refused_url() -> str:
    """An address where nothing listens (the port was just free)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
