"""A local stand-in for Zalo's Graph API as the Mini App sign-in uses it (graph.zalo.me), with fault injection.
The shapes come from ``motcua.adapters.zalo`` (GUESSED, see there).

Run it:  python -m simulators.zalo --port 8312 [--secret zalo-demo-secret]   then set
MOTCUA_ZALO_GRAPH_URL=http://127.0.0.1:8312 and MOTCUA_ZALO_APP_SECRET to the same secret (docs/miniapp.md).

- ``GET /v2.0/me?fields=id,name``  header ``access_token``: the fake Zalo user of that token (see USERS);
- ``GET /v2.0/me/info``           headers ``access_token``, ``code`` (a phone token: ``phone-code`` or
  ``phone-<anything>``, each usable once), ``secret_key``: the user's phone number;
- ``GET /``  a Vietnamese page: the fake users, the last calls, active faults; ``GET /_state`` the same as JSON;
- ``GET|POST /_faults``  read or change the injected faults (JSON, see ``Faults``); ``POST /_reset``.
"""

from __future__ import annotations

import argparse
import html
import json
import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from motcua.adapters import zalo as wire
from simulators._base import PAGE_CSP, BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve
from simulators.national_portal import Faults

DEFAULT_SECRET = "zalo-demo-secret"  # noqa: S105 - a local simulator's demo credential
# User access token → (Zalo user id, display name, phone as Zalo writes it). The Mini App's test double hands
# these tokens over; "zalo-user-token" is the one the browser tests use.
USERS: dict[str, tuple[str, str, str]] = {
    "zalo-user-token": ("7521000000000000001", "Lê Minh Châu", "84901234567"),
    "zalo-demo-an": ("7521000000000000002", "Nguyễn Văn An", "84912345678"),
    "zalo-demo-binh": ("7521000000000000003", "Trần Thị Bình", "84987654321"),
}
RECENT_CALLS = 100
MAX_BODY_BYTES = 4096


@dataclass
class ZaloFaults(Faults):
    """Faults of the Graph API: besides the common ones, ``error_next`` answers the next K calls with a refusal
    (HTTP 200, a non-zero ``error``)."""

    error_next: int = 0


@dataclass
class Call:
    at: str
    path: str
    outcome: str


@dataclass
class ZaloState(FaultCounters):
    secret: str = DEFAULT_SECRET
    faults: ZaloFaults = field(default_factory=ZaloFaults)
    lock: threading.Lock = field(default_factory=threading.Lock)
    calls: deque[Call] = field(default_factory=lambda: deque(maxlen=RECENT_CALLS))
    used_codes: set[str] = field(default_factory=set)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"users": [{"access_token": token, "id": i, "name": n, "phone": p}
                              for token, (i, n, p) in USERS.items()],
                    "calls": [asdict(c) for c in self.calls], "faults": asdict(self.faults)}

    def record(self, path: str, outcome: str) -> None:
        with self.lock:
            self.calls.appendleft(Call(datetime.now(UTC).isoformat(timespec="seconds"), path, outcome))

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.used_codes.clear()
            self.faults = ZaloFaults()

    def answer(self, path: str, headers: dict[str, str]) -> dict[str, Any]:
        """The Graph API's answer to one call (already past the transport faults)."""
        user = USERS.get(headers.get(wire.ACCESS_TOKEN_HEADER, ""))
        if user is None:
            return wire.error_answer(wire.ERROR_INVALID_ACCESS_TOKEN, "Invalid access token")
        if path == wire.ME_PATH:
            return wire.me_answer(user[0], user[1])
        if headers.get(wire.SECRET_KEY_HEADER) != self.secret:
            return wire.error_answer(wire.ERROR_INVALID_SECRET, "Invalid secret key")
        code = headers.get(wire.PHONE_CODE_HEADER, "")
        with self.lock:
            valid = (code == "phone-code" or code.startswith("phone-")) and code not in self.used_codes
            if valid and code != "phone-code":  # "phone-code" (the tests') can be used again
                self.used_codes.add(code)
        if not valid:
            return wire.error_answer(wire.ERROR_INVALID_PHONE_CODE, "Invalid or used code")
        return wire.phone_answer(user[2])


class ZaloHandler(SimulatorHandler[ZaloState]):
    server: ZaloServer
    MAX_BODY_BYTES = MAX_BODY_BYTES

    TIMEOUT_HOLD_SECONDS = 30
    EXTRA_HEADERS = {"Cache-Control": "no-store"}
    HTML_HEADERS = {"Content-Security-Policy": PAGE_CSP}

    def _refuse_body(self, *, too_large: bool) -> None:
        self._json({"error": "body too large or without a length"}, HTTPStatus.BAD_REQUEST)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/_state":
            self._json(self.state.snapshot())
        elif path == "/_faults":
            self._json(asdict(self.state.faults))
        elif path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, render_page(self.state).encode(), "text/html; charset=utf-8")
        elif path in (wire.ME_PATH, wire.PHONE_PATH):
            self._graph(path)
        else:
            self._json({"error": 404, "message": "not found"}, HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self._body()
        if body is None:
            return
        if path == "/_reset":
            self.state.reset()
            self._json({"ok": True})
        elif path == "/_faults":
            self._control(body)
        else:
            self._json({"error": 404, "message": "not found"}, HTTPStatus.NOT_FOUND)

    def _graph(self, path: str) -> None:
        faults = self.state.faults
        if self._dropped():
            return
        if self.state.take("fail_next"):
            self.state.record(path, f"HTTP {faults.fail_status}")
            self._send(faults.fail_status, b"<html><body>simulated failure</body></html>", "text/html")
            return
        if self.state.take("error_next"):
            self.state.record(path, "error")
            self._json(wire.error_answer(-500, "Simulated error"))
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        answer = self.state.answer(path, headers)
        self.state.record(path, "error" if answer.get("error") else "ok")
        body = json.dumps(answer, ensure_ascii=False).encode()
        if self.state.take("malformed_next"):
            body = body[: max(1, len(body) // 2)]
        self._send(HTTPStatus.OK, body)


class ZaloServer(SimulatorServer[ZaloState]):
    handler_class = ZaloHandler


class ZaloSimulator(BackgroundSimulator[ZaloServer]):
    """Start and stop the Graph API stand-in in a background thread (tests)."""
    thread_name = "zalo-sim"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, secret: str = DEFAULT_SECRET) -> None:
        self.state = ZaloState(secret=secret)
        self.server = ZaloServer((host, port), self.state)


def render_page(state: ZaloState) -> str:
    e = html.escape
    snapshot = state.snapshot()
    users = "".join(f"<tr><td><code>{e(u['access_token'])}</code></td><td>{e(u['id'])}</td><td>{e(u['name'])}</td>"
                    f"<td>{e(u['phone'])}</td></tr>" for u in snapshot["users"])
    calls = "".join(f"<tr><td>{e(c['at'])}</td><td>{e(c['path'])}</td><td>{e(c['outcome'])}</td></tr>"
                    for c in snapshot["calls"])
    active = ", ".join(f"{k}={v}" for k, v in snapshot["faults"].items()
                       if v and not (k == "fail_status" and v == 503)) or "không có"
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mô phỏng Zalo Graph API</title>
<style>
body{{font-family:Arial,sans-serif;margin:0;padding:16px;max-width:960px;color:#0b0c0c;line-height:1.4}}
.banner{{background:#fff7bf;padding:8px;border-left:5px solid #ffdd00}} .table{{overflow-x:auto}}
table{{border-collapse:collapse;width:100%}} td,th{{border-bottom:1px solid #b1b4b6;padding:4px;text-align:left;
overflow-wrap:anywhere}}
</style></head><body>
<p class="banner">Máy chủ mô phỏng để thử nghiệm và trình diễn — không phải Zalo thật.</p>
<h1>Mô phỏng Zalo Graph API (đăng nhập Mini App)</h1>
<p>Lỗi đang giả lập: {e(active)}. Mã điện thoại hợp lệ: <code>phone-code</code> hoặc <code>phone-…</code>
(mỗi mã một lần).</p>
<h2>Người dùng Zalo giả lập</h2>
<div class="table"><table><thead><tr><th>access_token</th><th>Mã người dùng</th><th>Tên</th><th>Số điện thoại</th>
</tr></thead><tbody>{users}</tbody></table></div>
<h2>Các lượt gọi gần đây ({len(snapshot["calls"])})</h2>
<div class="table"><table><thead><tr><th>Thời điểm (UTC)</th><th>Đường dẫn</th><th>Kết quả</th></tr></thead>
<tbody>{calls or '<tr><td colspan="3">Chưa có lượt gọi nào.</td></tr>'}</tbody></table></div>
</body></html>"""


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m simulators.zalo", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8312)
    p.add_argument("--secret", default=DEFAULT_SECRET, help="the Mini App's secret key (MOTCUA_ZALO_APP_SECRET)")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    server = ZaloServer((args.host, args.port), ZaloState(secret=args.secret), verbose=args.verbose)
    serve(server, f"Mô phỏng Zalo Graph API / Zalo Graph API simulator: http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
