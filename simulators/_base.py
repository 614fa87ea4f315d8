"""What every local simulator of a national system shares: the HTTP plumbing of its request handler, the fault
counters of its state, its threading server, the background runner the tests use and the ``main()`` serve loop.
Each simulator keeps its own protocol, pages and fault set in its own module."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, fields
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Generic, Self, TypeVar

JSON_TYPE = "application/json; charset=utf-8"
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'"


class FaultCounters:
    """The injected-fault counters of a simulator's state: ``faults`` (a dataclass with ``fail_next`` and
    ``fail_ratio``), ``lock`` and a seeded ``random`` are set by the state's ``__init__``."""

    faults: Any
    lock: threading.Lock | threading.RLock
    random: random.Random

    def take(self, counter: str) -> bool:
        """Use up one of the next-K faults ``counter``; True when there was one left."""
        with self.lock:
            left = int(getattr(self.faults, counter))
            if left > 0:
                setattr(self.faults, counter, left - 1)
                return True
            return False

    def should_fail(self) -> bool:
        """Whether this call fails: one of ``fail_next`` is left, or the seeded draw falls under ``fail_ratio``."""
        if self.take("fail_next"):
            return True
        with self.lock:
            return bool(self.faults.fail_ratio > 0 and self.random.random() < self.faults.fail_ratio)

    def reset_faults(self) -> None:
        """Every injected fault back to its default (the state's own lock is held by the caller)."""
        for f in fields(self.faults):
            setattr(self.faults, f.name, f.default)


StateT = TypeVar("StateT")


class SimulatorServer(ThreadingHTTPServer, Generic[StateT]):
    """A threading server holding the simulator's state; ``stopping`` is set when it shuts down (held calls end)."""

    daemon_threads = True
    handler_class: ClassVar[type[BaseHTTPRequestHandler]]

    def __init__(self, address: tuple[str, int], state: StateT, *, verbose: bool = False) -> None:
        super().__init__(address, self.handler_class)
        self.state = state
        self.verbose = verbose
        self.stopping = threading.Event()


class SimulatorHandler(BaseHTTPRequestHandler, Generic[StateT]):
    """HTTP/1.1 keep-alive plumbing. A subclass sets ``MAX_BODY_BYTES``, the headers its answers carry
    (``EXTRA_HEADERS`` on all, ``HTML_HEADERS`` on HTML ones), ``encode`` for its JSON and ``_refuse_body``."""

    server: SimulatorServer[StateT]
    protocol_version = "HTTP/1.1"
    MAX_BODY_BYTES: ClassVar[int] = 64 * 1024
    TIMEOUT_HOLD_SECONDS: ClassVar[float] = 600.0  # the ``timeout`` fault holds a call this long (or until shutdown)
    EXTRA_HEADERS: ClassVar[Mapping[str, str]] = {}
    HTML_HEADERS: ClassVar[Mapping[str, str]] = {}

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    @property
    def state(self) -> StateT:
        return self.server.state

    def _send(self, status: int, body: bytes, content_type: str = JSON_TYPE,
              headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in self.EXTRA_HEADERS.items():
            self.send_header(name, value)
        if content_type.startswith("text/html"):
            for name, value in self.HTML_HEADERS.items():
                self.send_header(name, value)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def encode(self, data: Any) -> bytes:
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    def _json(self, data: Any, status: int = HTTPStatus.OK, headers: Mapping[str, str] | None = None) -> None:
        self._send(status, self.encode(data), headers=headers)

    def _send_json(self, data: Any, status: int = HTTPStatus.OK) -> None:
        self._json(data, status)

    def _body(self) -> bytes | None:
        """The request body, or None when its length is missing-but-malformed or above ``MAX_BODY_BYTES``: then
        the answer is sent (``_refuse_body``) and the connection closed, the rest of the body is never read."""
        raw = self.headers.get("Content-Length") or "0"
        if not raw.isdigit() or int(raw) > self.MAX_BODY_BYTES:
            self.close_connection = True
            self._refuse_body(too_large=raw.isdigit())
            return None
        length = int(raw)
        return self.rfile.read(length) if length else b""

    def _refuse_body(self, *, too_large: bool) -> None:
        self._json({"error": "body too large"}, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    # --- fault injection (the state has ``faults`` and ``lock``) ---

    def _dropped(self) -> bool:
        """The transport faults ``down``, ``delay_ms`` and ``timeout``: True when the call gets no answer at all
        (the connection is closed at once, or held until ``TIMEOUT_HOLD_SECONDS`` or shutdown)."""
        faults = self._fault_state().faults
        if faults.down:
            self.close_connection = True
            self.connection.close()
            return True
        if faults.delay_ms:
            time.sleep(faults.delay_ms / 1000)
        if faults.timeout:
            self.server.stopping.wait(self.TIMEOUT_HOLD_SECONDS)
            self.close_connection = True
            return True
        return False

    def _control(self, body: bytes) -> None:
        """``POST /_faults``: change the faults named in a JSON object, answer all of them (400 when refused)."""
        state = self._fault_state()
        try:
            changes = json.loads(body or b"{}")
            if not isinstance(changes, dict):
                raise ValueError("send a JSON object")
            with state.lock:
                state.faults.update(changes)
        except ValueError as exc:
            self._json({"error": str(exc)}, HTTPStatus.BAD_REQUEST)
            return
        self._faults_changed(changes)
        self._json(asdict(state.faults))

    def _faults_changed(self, changes: dict[str, Any]) -> None:
        """Act on the one-off actions of a ``POST /_faults`` (``expire_sessions``...); none by default."""

    def _fault_state(self) -> Any:
        return self.state


ServerT = TypeVar("ServerT", bound=SimulatorServer[Any])


class BackgroundSimulator(Generic[ServerT]):
    """Run a simulator's server in a background thread (tests, scripts): ``with XSimulator() as sim: sim.url``."""

    thread_name: ClassVar[str] = "simulator"
    server: ServerT
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        if self._thread is None:
            self._thread = threading.Thread(target=self.server.serve_forever, name=self.thread_name, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self.server.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(server: SimulatorServer[Any], banner: str) -> None:
    """``main()``'s loop: print the banner, serve until Ctrl-C, then release held calls and the socket."""
    print(banner, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server.server_close()
