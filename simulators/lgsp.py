"""A local simulator of the province's LGSP gateway, relaying calls to the other simulators, with fault injection.

Run it:  python -m simulators.lgsp --port 8300 --route dvcqg=http://127.0.0.1:8301        (docs/integrations.md)

It speaks the messages of ``motcua.adapters.lgsp`` (reference note §2) and needs no Django:

- ``POST /token`` or ``POST /Authentication/Token`` issues a token in the style chosen with ``--token-style``
  (``client_credentials``, ``auth_header``, ``form_access_key``); tokens expire after ``--token-seconds``;
- ``<METHOD> /<route>/<path>`` relays the call to the route's upstream (``--route NAME=URL``, repeatable) when it
  carries a live ``Authorization: Bearer <token>`` and the right ``lgspaccesstoken``; the ``dstcode``,
  ``Content-Type`` and ``Idempotency-Key`` headers are passed through, the gateway's own headers are not;
- ``GET /``               a Vietnamese page: routes, token style, the last relayed calls, active faults;
- ``GET /_state``         the last relayed calls as JSON;
- ``GET|POST /_faults``   read or change the injected faults (JSON, see ``Faults``; ``{"expire_tokens": true}``
  forgets every token); ``POST /_reset`` forgets calls, tokens and faults.

Faults apply to relayed calls (not to token requests, so a test can first get a token): ``delay_ms``, ``timeout``
(hold, then drop the connection), ``fail_next``/``fail_ratio`` with ``fail_status`` (a 5xx from the gateway
itself), ``malformed_next`` (relay, then answer a body that is not JSON), ``down`` (drop every connection).
An upstream that does not answer gives 504, one that refuses the connection 502.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from motcua.adapters import lgsp
from simulators._base import BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve

MAX_BODY_BYTES = 10 * 1024 * 1024  # larger requests are refused (413) before they are read
UPSTREAM_TIMEOUT_SECONDS = 30.0
RECENT_CALLS = 50
PASSED_HEADERS = ("Content-Type", "dstcode", "Idempotency-Key", "Accept")
DEFAULT_ROUTES = {"dvcqg": "http://127.0.0.1:8301", "dancu": "http://127.0.0.1:8304"}


@dataclass
class Faults:
    """What goes wrong on relayed calls, changed at run time through ``POST /_faults`` or CLI flags."""

    delay_ms: int = 0
    timeout: bool = False
    fail_next: int = 0
    fail_ratio: float = 0.0
    fail_status: int = 503
    malformed_next: int = 0
    down: bool = False

    def update(self, changes: Mapping[str, Any]) -> None:
        known = {f.name for f in fields(self)}
        for name, value in changes.items():
            if name == "expire_tokens":
                continue
            if name not in known:
                raise ValueError(f"unknown fault: {name}")
            current = getattr(self, name)
            if isinstance(current, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"{name} must be true or false")
            elif isinstance(current, int):
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"{name} must be a whole number ≥ 0")
                if name == "fail_status" and not 500 <= value <= 599:
                    raise ValueError("fail_status must be a 5xx status")
            elif isinstance(current, float):
                if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                    raise ValueError(f"{name} must be between 0 and 1")
                value = float(value)
            setattr(self, name, value)


@dataclass
class GatewayConfig:
    client_id: str = "motcua-demo"
    client_secret: str = "motcua-demo-lgsp-secret"  # noqa: S105 - a local simulator's demo credential
    access_key: str = "motcua-demo-lgsp-access-key"  # the lgspaccesstoken value the gateway expects
    token_style: str = lgsp.STYLE_CLIENT_CREDENTIALS
    token_seconds: float = 3600.0
    routes: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ROUTES))
    seed: int | None = None
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self) -> None:
        if self.token_style not in lgsp.TOKEN_STYLES:
            raise ValueError(f"token style must be one of {', '.join(lgsp.TOKEN_STYLES)}")
        for name, url in self.routes.items():
            if not name or "/" in name or name.startswith("_") or name in ("token", "Authentication"):
                raise ValueError(f"bad route name {name!r}")
            if urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"route {name}: the upstream must be an http(s) URL")


@dataclass
class RelayedCall:
    at: str
    method: str
    route: str
    path: str
    dstcode: str
    status: int
    duration_ms: int
    note: str = ""


class GatewayState(FaultCounters):
    def __init__(self, config: GatewayConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.lock = threading.Lock()
        self.tokens: dict[str, float] = {}  # token -> monotonic expiry
        self.calls: deque[RelayedCall] = deque(maxlen=RECENT_CALLS)
        self.tokens_issued = 0
        self.random = random.Random(config.seed)  # noqa: S311 - fault ratios, not security

    def issue_token(self) -> tuple[str, str]:
        token, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.config.token_seconds
            self.tokens_issued += 1
        return token, refresh

    def token_valid(self, token: str) -> bool:
        with self.lock:
            expiry = self.tokens.get(token)
            if expiry is None:
                return False
            if time.monotonic() >= expiry:
                del self.tokens[token]
                return False
            return True

    def credentials_ok(self, credentials: lgsp.Credentials) -> bool:
        return secrets.compare_digest(credentials.client_id.encode(), self.config.client_id.encode()) and \
            secrets.compare_digest(credentials.client_secret.encode(), self.config.client_secret.encode())

    def access_key_ok(self, key: str) -> bool:
        return bool(key) and secrets.compare_digest(key.encode(), self.config.access_key.encode())

    def record(self, call: RelayedCall) -> None:
        with self.lock:
            self.calls.appendleft(call)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"calls": [asdict(c) for c in self.calls], "tokens_issued": self.tokens_issued,
                    "routes": dict(self.config.routes), "token_style": self.config.token_style}

    def reset(self) -> None:
        with self.lock:
            self.tokens.clear()
            self.calls.clear()
            self.tokens_issued = 0
            self.reset_faults()


class GatewayHandler(SimulatorHandler[GatewayState]):
    server: GatewayServer
    MAX_BODY_BYTES = MAX_BODY_BYTES

    def _refuse(self, status: int, error: str, description: str) -> None:
        extra = {"WWW-Authenticate": 'Bearer realm="lgsp"'} if status == HTTPStatus.UNAUTHORIZED else None
        self._send(status, json.dumps(lgsp.build_refusal(error, description), ensure_ascii=False).encode(),
                   headers=extra)

    def _refuse_body(self, *, too_large: bool) -> None:
        if too_large:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", "Nội dung yêu cầu quá lớn")
        else:
            self._refuse(HTTPStatus.BAD_REQUEST, "invalid_request", "Content-Length không hợp lệ")

    # --- routes ---
    def do_GET(self) -> None:
        if self.path == "/_faults":
            self._send_json(asdict(self.state.faults))
        elif self.path == "/_state":
            self._send_json(self.state.snapshot())
        elif self.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, render_page(self.state).encode("utf-8"), "text/html; charset=utf-8")
        else:
            self._relay(b"")

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            return
        path = self.path.split("?", 1)[0]
        if path == "/_faults":
            self._control(body)
        elif path == "/_reset":
            self.state.reset()
            self._send_json({"ok": True})
        elif path in (lgsp.TOKEN_PATHS[lgsp.STYLE_CLIENT_CREDENTIALS], lgsp.TOKEN_PATHS[lgsp.STYLE_AUTH_HEADER]):
            self._token(path, body)
        else:
            self._relay(body)

    def do_PUT(self) -> None:
        body = self._body()
        if body is not None:
            self._relay(body)

    def do_DELETE(self) -> None:
        self._relay(b"")

    def _faults_changed(self, changes: dict[str, Any]) -> None:
        if changes.get("expire_tokens"):
            with self.state.lock:
                self.state.tokens.clear()

    def _token(self, path: str, body: bytes) -> None:
        style = self.state.config.token_style
        if path != lgsp.TOKEN_PATHS[style]:
            self._refuse(HTTPStatus.NOT_FOUND, "unsupported_token_style", f"Cổng này cấp mã theo kiểu {style}")
            return
        try:
            if style == lgsp.STYLE_AUTH_HEADER:
                credentials = lgsp.parse_credential_header(self.headers.get(lgsp.AUTH_CREDENTIAL_HEADER, ""))
            else:
                credentials = lgsp.parse_token_form(body)
        except lgsp.LgspMessageError as exc:
            self._refuse(HTTPStatus.BAD_REQUEST, "invalid_request", str(exc))
            return
        if style == lgsp.STYLE_FORM_ACCESS_KEY and not self.state.access_key_ok(
                self.headers.get(lgsp.ACCESS_KEY_HEADER, "")):
            self._refuse(HTTPStatus.UNAUTHORIZED, "invalid_client", "lgspaccesstoken không đúng")
            return
        if not self.state.credentials_ok(credentials):
            self._refuse(HTTPStatus.UNAUTHORIZED, "invalid_client", "Sai mã ứng dụng hoặc khoá bí mật")
            return
        token, refresh = self.state.issue_token()
        now = datetime.now(UTC)
        expires = now + timedelta(seconds=self.state.config.token_seconds)
        self._send_json(lgsp.build_token_answer(style, token, expires, now, refresh))

    def _relay(self, body: bytes) -> None:
        started = time.monotonic()
        route, _, rest = self.path.lstrip("/").partition("/")
        dstcode = self.headers.get("dstcode", "")

        def record(status: int, note: str = "") -> None:
            self.state.record(RelayedCall(
                at=datetime.now(UTC).isoformat(timespec="seconds"), method=self.command, route=route,
                path="/" + rest.split("?", 1)[0], dstcode=dstcode, status=status,
                duration_ms=int((time.monotonic() - started) * 1000), note=note))

        upstream = self.state.config.routes.get(route)
        if upstream is None:
            self._refuse(HTTPStatus.NOT_FOUND, "unknown_route", f"Không có tuyến: {route}")
            return
        token = lgsp.bearer_of(self.headers.get("Authorization", ""))
        if not token or not self.state.token_valid(token):
            record(HTTPStatus.UNAUTHORIZED, "mã truy cập thiếu hoặc hết hạn")
            self._refuse(HTTPStatus.UNAUTHORIZED, "invalid_token", "Mã truy cập (Bearer) thiếu, sai hoặc hết hạn")
            return
        if not self.state.access_key_ok(self.headers.get(lgsp.ACCESS_KEY_HEADER, "")):
            record(HTTPStatus.UNAUTHORIZED, "lgspaccesstoken sai")
            self._refuse(HTTPStatus.UNAUTHORIZED, "invalid_access_key", "lgspaccesstoken thiếu hoặc không đúng")
            return
        faults = self.state.faults
        if self._dropped():
            return
        if self.state.should_fail():
            record(faults.fail_status, "lỗi giả lập")
            self._send(faults.fail_status, f"<html><body>{faults.fail_status} LGSP simulated failure</body></html>"
                       .encode(), "text/html; charset=utf-8")
            return
        headers = {name: value for name in PASSED_HEADERS if (value := self.headers.get(name))}
        # The upstream is one of the configured routes (http/https checked at start), never a URL from the caller.
        request = urllib.request.Request(  # noqa: S310
            upstream.rstrip("/") + "/" + rest, data=body or None, headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(request, timeout=UPSTREAM_TIMEOUT_SECONDS) as answer:  # noqa: S310
                status, content, content_type = answer.status, answer.read(), answer.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            status, content, content_type = exc.code, exc.read(), exc.headers.get("Content-Type", "")
        except (TimeoutError, urllib.error.URLError) as exc:
            if not isinstance(exc, TimeoutError) and not isinstance(getattr(exc, "reason", None), TimeoutError):
                record(HTTPStatus.BAD_GATEWAY, f"không kết nối được dịch vụ đích: {exc}")
                self._refuse(HTTPStatus.BAD_GATEWAY, "upstream_unreachable", f"Không kết nối được {route}")
                return
            record(HTTPStatus.GATEWAY_TIMEOUT, "dịch vụ đích không trả lời")
            self._refuse(HTTPStatus.GATEWAY_TIMEOUT, "upstream_timeout", f"{route} không trả lời")
            return
        except (OSError, ValueError) as exc:
            record(HTTPStatus.BAD_GATEWAY, f"không kết nối được dịch vụ đích: {exc}")
            self._refuse(HTTPStatus.BAD_GATEWAY, "upstream_unreachable", f"Không kết nối được {route}")
            return
        if self.state.take("malformed_next"):
            record(status, "trả nội dung hỏng (giả lập)")
            self._send(HTTPStatus.OK, b'{"error_code": 0, "result": [')
            return
        record(status)
        self._send(status, content, content_type or "application/octet-stream")


class GatewayServer(SimulatorServer[GatewayState]):
    handler_class = GatewayHandler


class GatewaySimulator(BackgroundSimulator[GatewayServer]):
    """Start and stop the gateway in a background thread (tests, scripts)."""
    thread_name = "lgsp-sim"

    def __init__(self, config: GatewayConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or GatewayConfig()
        self.state = GatewayState(self.config)
        self.server = GatewayServer((host, port), self.state)


def render_page(state: GatewayState) -> str:
    e = html.escape
    snapshot = state.snapshot()
    routes = "".join(f"<li><strong>/{e(name)}/</strong> → {e(url)}</li>" for name, url in snapshot["routes"].items())
    calls = "".join(
        f"<tr><td>{e(c['at'])}</td><td>{e(c['method'])} /{e(c['route'])}{e(c['path'])}</td>"
        f"<td>{e(c['dstcode'])}</td><td>{int(c['status'])}</td><td>{int(c['duration_ms'])} ms</td>"
        f"<td>{e(c['note'])}</td></tr>"
        for c in snapshot["calls"]
    )
    faults = asdict(state.faults)
    active = ", ".join(f"{k}={v}" for k, v in faults.items() if v not in (0, 0.0, False) and k != "fail_status")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mô phỏng Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP)</title>
<style>
body{{font-family:Arial,sans-serif;margin:0;padding:16px;max-width:960px;color:#0b0c0c;line-height:1.4}}
h1{{font-size:1.5rem}} .banner{{background:#fff7bf;padding:8px;border-left:5px solid #ffdd00}}
.table{{overflow-x:auto}} table{{border-collapse:collapse;width:100%}}
td,th{{border-bottom:1px solid #b1b4b6;padding:4px;text-align:left;vertical-align:top;overflow-wrap:anywhere}}
a{{color:#1d70b8;display:inline-block;min-height:44px;line-height:44px}}
</style></head><body>
<p class="banner">Máy chủ mô phỏng để thử nghiệm và trình diễn — không phải LGSP thật.</p>
<h1>Nền tảng LGSP (mô phỏng)</h1>
<p>Kiểu cấp mã truy cập: {e(snapshot["token_style"])}. Số mã đã cấp: {int(snapshot["tokens_issued"])}.
Lỗi đang giả lập: {e(active) or "không có"}.</p>
<h2>Các tuyến chuyển tiếp</h2><ul>{routes}</ul>
<h2>Các lời gọi gần nhất ({len(snapshot["calls"])})</h2>
<div class="table"><table><thead><tr><th>Thời điểm (UTC)</th><th>Lời gọi</th><th>dstcode</th><th>Mã HTTP</th>
<th>Thời gian</th><th>Ghi chú</th></tr></thead><tbody>{calls or '<tr><td colspan="6">Chưa có lời gọi nào.</td></tr>'}
</tbody></table></div>
<p><a href="/">Tải lại trang</a></p>
</body></html>"""


def _route(text: str) -> tuple[str, str]:
    name, sep, url = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError("a route is NAME=URL, e.g. dvcqg=http://127.0.0.1:8301")
    return name.strip(), url.strip()


def build_parser() -> argparse.ArgumentParser:
    defaults = GatewayConfig()
    p = argparse.ArgumentParser(prog="python -m simulators.lgsp", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8300)
    p.add_argument("--route", type=_route, action="append", default=[],
                   help="NAME=URL, repeatable (default: dvcqg=http://127.0.0.1:8301)")
    p.add_argument("--token-style", choices=lgsp.TOKEN_STYLES, default=defaults.token_style)
    p.add_argument("--token-seconds", type=float, default=defaults.token_seconds, help="token lifetime")
    p.add_argument("--client-id", default=defaults.client_id)
    p.add_argument("--client-secret", default=defaults.client_secret)
    p.add_argument("--access-key", default=defaults.access_key, help="the lgspaccesstoken value expected")
    p.add_argument("--seed", type=int, help="seed for --fail-ratio")
    p.add_argument("--delay-ms", type=int, default=0)
    p.add_argument("--timeout", action="store_true", help="never answer relayed calls")
    p.add_argument("--fail-next", type=int, default=0, help="answer 5xx to the next K relayed calls")
    p.add_argument("--fail-ratio", type=float, default=0.0, help="answer 5xx to this share of relayed calls")
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--malformed-next", type=int, default=0)
    p.add_argument("--down", action="store_true", help="drop every relayed connection")
    p.add_argument("--verbose", action="store_true", help="log each request")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    faults = Faults()
    faults.update({"delay_ms": args.delay_ms, "timeout": args.timeout, "fail_next": args.fail_next,
                   "fail_ratio": args.fail_ratio, "fail_status": args.fail_status,
                   "malformed_next": args.malformed_next, "down": args.down})
    config = GatewayConfig(client_id=args.client_id, client_secret=args.client_secret, access_key=args.access_key,
                           token_style=args.token_style, token_seconds=args.token_seconds,
                           routes=dict(args.route) or dict(DEFAULT_ROUTES), seed=args.seed, faults=faults)
    server = GatewayServer((args.host, args.port), GatewayState(config), verbose=args.verbose)
    serve(server, f"Mô phỏng LGSP / LGSP gateway simulator: http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
