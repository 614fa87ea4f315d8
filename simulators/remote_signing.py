"""A local simulator of a remote signing service (ký số từ xa), with fault injection.

Run it:  python -m simulators.remote_signing --port 8310 --credentials-dir var/demo-signing/remote   (docs/signing.md)

It speaks the (GUESSED) messages of ``motcua.adapters.remote_signing`` and needs no Django:

- ``GET  /v1/credentials/<id>``   the credential's certificate and chain;
- ``POST /v1/signatures``         a hash to sign -> a pending transaction (the same one again for a repeated
                                  ``request_id`` / ``Idempotency-Key``);
- ``GET  /v1/signatures/<tx>``    pending / confirmed (with the signature) / rejected / expired;
- ``GET  /``                      a Vietnamese page: the credentials, the requests, "Xác nhận" / "Từ chối" buttons
                                  standing in for the signer's phone app (``POST /giao-dich/<tx>``);
- ``GET  /_state``                the same as JSON; ``GET|POST /_faults`` read or change the faults; ``POST /_reset``.

Credentials are the unencrypted PKCS#12 files ``<credential id>.p12`` in ``--credentials-dir`` (read at each call,
so files ``setup_demo`` writes later are found). A request is confirmed automatically after ``--auto-confirm-ms``
(the signer taps "confirm" on their phone); with 0 it waits for a click on the page. The keys are the simulator's:
nothing it signs has any value outside tests and the demo.
"""

from __future__ import annotations

import argparse
import html
import random
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.hazmat.primitives.serialization import pkcs12

from motcua.adapters import remote_signing as api
from simulators._base import BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve
from simulators.national_portal import Faults

MAX_BODY_BYTES = 64 * 1024
CREDENTIALS_PREFIX = "/v1/credentials/"
SIGNATURES_PREFIX = api.SIGN_PATH + "/"
PAGE_PREFIX = "/giao-dich/"
HASHES: dict[str, type[hashes.SHA256 | hashes.SHA384 | hashes.SHA512]] = {
    "SHA-256": hashes.SHA256, "SHA-384": hashes.SHA384, "SHA-512": hashes.SHA512}


@dataclass
class SigningFaults:
    """What goes wrong, changed at run time through ``POST /_faults`` (JSON with any of these keys) or CLI flags.
    The first seven act on every API call, as the other simulators' do; the ``*_next`` counters of the second group
    are spent one per signature request."""

    delay_ms: int = 0  # answer API calls this much later
    timeout: bool = False  # never answer API calls (hold the connection, then drop it)
    fail_next: int = 0  # answer HTTP ``fail_status`` to the next K API calls
    fail_ratio: float = 0.0  # ... or to this share of them
    fail_status: int = 503
    malformed_next: int = 0  # answer the next K API calls with a body that is not JSON
    down: bool = False  # close every API connection without a byte
    reject_next: int = 0  # the signer refuses the next K requests
    expire_next: int = 0  # the next K requests are never confirmed: they expire
    wrong_signature_next: int = 0  # sign the next K requests with another key (a broken HSM or a mix-up)
    lose_answer_next: int = 0  # take the next K requests, then answer 503 as if the answer were lost

    def update(self, changes: Mapping[str, Any]) -> None:
        Faults.update(self, changes)  # type: ignore[arg-type]


@dataclass
class SimulatorConfig:
    credentials_dir: str = ""
    auto_confirm_ms: int = 1500  # 0: wait for "Xác nhận" on the page
    expire_seconds: float = 300.0
    token: str = ""  # require "Authorization: Bearer <token>" when set (not behind the LGSP gateway)
    seed: int | None = None
    faults: SigningFaults = field(default_factory=SigningFaults)


@dataclass
class Request:
    transaction_id: str
    request_id: str
    credential_id: str
    digest: bytes
    hash_algorithm: str
    description: str
    created: float
    status: str = api.PENDING
    signature: bytes = b""
    fault: str = ""  # "reject" | "expire" | "wrong_signature" | ""
    copies: int = 1  # how many times the same request_id was submitted


class SigningState(FaultCounters):
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.lock = threading.Lock()
        self.requests: dict[str, Request] = {}
        self.by_request_id: dict[tuple[str, str], str] = {}
        self.random = random.Random(config.seed)  # noqa: S311 - fault ratios, not security
        self._stray_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            self._tick()
            return {"credentials": sorted(self.credential_ids()),
                    "requests": [{"transaction_id": r.transaction_id, "request_id": r.request_id,
                                  "credential_id": r.credential_id, "status": r.status, "copies": r.copies,
                                  "description": r.description, "fault": r.fault}
                                 for r in self.requests.values()]}

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.by_request_id.clear()
            self.reset_faults()

    # --- credentials ---
    def credential_ids(self) -> list[str]:
        folder = Path(self.config.credentials_dir) if self.config.credentials_dir else None
        if folder is None or not folder.is_dir():
            return []
        return [p.stem for p in folder.glob("*.p12")]

    def load(self, credential_id: str) -> tuple[Any, Any, list[Any]] | None:
        api.check_id(credential_id, "credential_id")
        if not self.config.credentials_dir:
            return None
        path = Path(self.config.credentials_dir) / f"{credential_id}.p12"
        try:
            key, cert, others = pkcs12.load_key_and_certificates(path.read_bytes(), None)
        except (OSError, ValueError):
            return None
        if key is None or cert is None:
            return None
        return key, cert, list(others)

    def credential(self, credential_id: str) -> dict[str, Any] | None:
        loaded = self.load(credential_id)
        if loaded is None:
            return None
        _key, cert, others = loaded
        der = serialization.Encoding.DER
        return api.build_credential(api.Credential(credential_id=credential_id, status="active",
                                                   certificate=cert.public_bytes(der),
                                                   chain=tuple(c.public_bytes(der) for c in others)))

    # --- signature requests ---
    def submit(self, request: api.SignRequest) -> api.Transaction | None:
        if self.load(request.credential_id) is None:
            return None
        with self.lock:
            key = (request.credential_id, request.request_id)
            existing = self.by_request_id.get(key)
            if existing is not None:  # the same request again (a retry): the same transaction
                found = self.requests[existing]
                found.copies += 1
                return self._answer(found)
            fault = ""
            for counter, name in (("reject_next", "reject"), ("expire_next", "expire"),
                                  ("wrong_signature_next", "wrong_signature")):
                left = int(getattr(self.faults, counter))
                if left > 0:
                    setattr(self.faults, counter, left - 1)
                    fault = name
                    break
            created = Request(transaction_id=f"TX{secrets.token_hex(8)}", request_id=request.request_id,
                              credential_id=request.credential_id, digest=request.digest,
                              hash_algorithm=request.hash_algorithm, description=request.description,
                              created=time.monotonic(), fault=fault)
            self.requests[created.transaction_id] = created
            self.by_request_id[key] = created.transaction_id
            return self._answer(created)

    def status(self, transaction_id: str) -> api.Transaction | None:
        with self.lock:
            self._tick()
            found = self.requests.get(transaction_id)
            return self._answer(found) if found else None

    def decide(self, transaction_id: str, confirm: bool) -> bool:
        """The signer's answer on their phone (the page's buttons)."""
        with self.lock:
            found = self.requests.get(transaction_id)
            if found is None or found.status != api.PENDING:
                return False
            self._settle(found, confirm)
            return True

    def _answer(self, request: Request) -> api.Transaction:
        left = max(int(self.config.expire_seconds - (time.monotonic() - request.created)), 0)
        return api.Transaction(transaction_id=request.transaction_id, status=request.status,
                               signature=request.signature, expires_in=left if request.status == api.PENDING else 0,
                               message={api.REJECTED: "Người ký đã từ chối", api.EXPIRED: "Quá hạn xác nhận"}
                               .get(request.status, ""))

    def _tick(self) -> None:
        """Confirm (auto-confirm), refuse or expire what is due. Called with the lock held."""
        now = time.monotonic()
        for request in self.requests.values():
            if request.status != api.PENDING:
                continue
            age = now - request.created
            if age >= self.config.expire_seconds:
                request.status = api.EXPIRED
            elif self.config.auto_confirm_ms and age * 1000 >= self.config.auto_confirm_ms:
                # When the signer would have answered: a request under the "expire" fault is never answered.
                if request.fault == "expire":
                    request.status = api.EXPIRED
                else:
                    self._settle(request, request.fault != "reject")

    def _settle(self, request: Request, confirm: bool) -> None:
        if not confirm:
            request.status = api.REJECTED
            return
        loaded = self.load(request.credential_id)
        if loaded is None:
            request.status = api.REJECTED
            return
        key = self._stray_key if request.fault == "wrong_signature" else loaded[0]
        algorithm = utils.Prehashed(HASHES[request.hash_algorithm]())
        if isinstance(key, rsa.RSAPrivateKey):
            request.signature = key.sign(request.digest, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePrivateKey):
            request.signature = key.sign(request.digest, ec.ECDSA(algorithm))
        else:
            request.status = api.REJECTED
            return
        request.status = api.CONFIRMED


class SigningHandler(SimulatorHandler[SigningState]):
    server: SigningServer
    MAX_BODY_BYTES = MAX_BODY_BYTES

    def _refuse_body(self, *, too_large: bool) -> None:
        self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", "Nội dung quá lớn")

    def encode(self, data: Any) -> bytes:
        return api.encode(data)

    def _error(self, status: int, code: str, message: str) -> None:
        self._json({"error": code, "message": message}, status)

    def _page(self, page: str, status: int = HTTPStatus.OK) -> None:
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8",
                   {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})

    def _faulted(self) -> bool:
        """Apply the API faults; True when the call was answered (or dropped) by one."""
        faults = self.state.faults
        if self._dropped():
            return True
        if self.state.should_fail():
            status = faults.fail_status
            self._send(status, f"<html><body>{status} simulated failure</body></html>".encode(),
                       "text/html; charset=utf-8")
            return True
        return False

    def _authorised(self) -> bool:
        token = self.state.config.token
        if not token:
            return True
        scheme, _, value = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and secrets.compare_digest(value.strip(), token):
            return True
        self._error(HTTPStatus.UNAUTHORIZED, "unauthorized", "Thiếu hoặc sai mã truy cập")
        return False

    def _answer(self, data: Mapping[str, Any]) -> None:
        if self.state.take("malformed_next"):
            self._send(HTTPStatus.OK, b'{"transaction_id": "TX')
            return
        self._json(data)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/_faults":
            self._json(asdict(self.state.faults))
        elif path == "/_state":
            self._json(self.state.snapshot())
        elif path in ("/", "/index.html"):
            self._page(render_index(self.state))
        elif path.startswith((CREDENTIALS_PREFIX, SIGNATURES_PREFIX)):
            if not self._authorised() or self._faulted():
                return
            ident = unquote(path.rsplit("/", 1)[1])
            try:
                found = (self.state.credential(ident) if path.startswith(CREDENTIALS_PREFIX)
                         else (api.build_transaction(t) if (t := self.state.status(ident)) else None))
            except api.RemoteSigningMessageError as exc:
                self._error(HTTPStatus.BAD_REQUEST, "bad_request", str(exc))
                return
            if found is None:
                self._error(HTTPStatus.NOT_FOUND, "not_found", "Không tìm thấy")
                return
            self._answer(found)
        else:
            self._error(HTTPStatus.NOT_FOUND, "not_found", "Không tìm thấy")

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0]
        body = self._body()
        if body is None:
            return
        if path == "/_faults":
            self._control(body)
        elif path == "/_reset":
            self.state.reset()
            self._json({"ok": True})
        elif path == api.SIGN_PATH:
            self._sign(body)
        elif path.startswith(PAGE_PREFIX):
            outcome = (parse_qs(body.decode("utf-8", "replace")).get("outcome") or [""])[0]
            if outcome not in ("confirm", "reject"):
                self._page(render_index(self.state), HTTPStatus.BAD_REQUEST)
                return
            self.state.decide(path[len(PAGE_PREFIX):], outcome == "confirm")
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header("Location", "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._error(HTTPStatus.NOT_FOUND, "not_found", "Không tìm thấy")


    def _sign(self, body: bytes) -> None:
        if not self._authorised() or self._faulted():
            return
        try:
            request = api.parse_sign_request(body)
        except api.RemoteSigningMessageError as exc:
            self._error(HTTPStatus.BAD_REQUEST, "bad_request", str(exc))
            return
        key = self.headers.get("Idempotency-Key", "")
        if key and key != request.request_id:
            self._error(HTTPStatus.BAD_REQUEST, "bad_request", "Idempotency-Key khác request_id")
            return
        transaction = self.state.submit(request)
        if transaction is None:
            self._error(HTTPStatus.NOT_FOUND, "unknown_credential", "Không có tài khoản ký số này")
            return
        if self.state.take("lose_answer_next"):
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"<html><body>503 answer lost</body></html>",
                       "text/html; charset=utf-8")
            return
        self._answer(api.build_transaction(transaction))


class SigningServer(SimulatorServer[SigningState]):
    handler_class = SigningHandler


class RemoteSigningSimulator(BackgroundSimulator[SigningServer]):
    """Start and stop the simulator in a background thread (tests, scripts)."""
    thread_name = "remote-signing-sim"

    def __init__(self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.state = SigningState(self.config)
        self.server = SigningServer((host, port), self.state)


# --- the page --------------------------------------------------------------------------------------------------

STYLE = """body{font-family:Arial,sans-serif;margin:0;padding:16px;max-width:720px;color:#0b0c0c;line-height:1.4}
h1{font-size:1.4rem} h2{font-size:1.15rem} .banner{background:#fff7bf;padding:8px;border-left:5px solid #ffdd00}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #b1b4b6;padding:4px;text-align:left;
overflow-wrap:anywhere} .wrap{overflow-x:auto}
form{display:flex;flex-wrap:wrap;gap:8px} button{font-size:1rem;min-height:44px;padding:8px 12px;border:0;
border-radius:4px;cursor:pointer} .ok{background:#00703c;color:#fff} .no{background:#d4351c;color:#fff}
a{color:#1d70b8;display:inline-block;min-height:44px;line-height:44px}"""
LABELS = {api.PENDING: "Chờ người ký xác nhận", api.CONFIRMED: "Đã ký", api.REJECTED: "Người ký từ chối",
          api.EXPIRED: "Quá hạn xác nhận"}


def render_index(state: SigningState) -> str:
    e = html.escape
    snapshot = state.snapshot()
    credentials = "".join(f"<li>{e(c)}</li>" for c in snapshot["credentials"]) or "<li>Chưa có tài khoản ký số.</li>"
    def repeats(copies: int) -> str:
        return f" (gửi {copies} lần)" if copies > 1 else ""

    rows = "".join(
        f"<tr><td>{e(r['transaction_id'])}</td><td>{e(r['credential_id'])}</td><td>{e(r['description'])}</td>"
        f"<td>{e(LABELS.get(r['status'], r['status']))}{repeats(r['copies'])}"
        "</td><td>" + (
            f'<form method="post" action="{PAGE_PREFIX}{e(r["transaction_id"])}">'
            '<button class="ok" name="outcome" value="confirm">Xác nhận</button>'
            '<button class="no" name="outcome" value="reject">Từ chối</button></form>'
            if r["status"] == api.PENDING else "—") + "</td></tr>"
        for r in reversed(snapshot["requests"]))
    faults = asdict(state.faults)
    active = ", ".join(f"{k}={v}" for k, v in faults.items() if v not in (0, 0.0, False) and k != "fail_status")
    auto = (f"tự động xác nhận sau {state.config.auto_confirm_ms} ms" if state.config.auto_confirm_ms
            else "chờ bấm Xác nhận trên trang này")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dịch vụ ký số từ xa (mô phỏng)</title><style>{STYLE}</style></head><body>
<p class="banner">Máy chủ mô phỏng dịch vụ ký số từ xa để thử nghiệm và trình diễn — chữ ký tạo ra không có giá trị
pháp lý.</p>
<h1>Dịch vụ ký số từ xa (mô phỏng)</h1>
<p>Người ký xác nhận trên điện thoại: {e(auto)}. Lỗi đang giả lập: {e(active) or "không có"}.</p>
<h2>Tài khoản ký số</h2><ul>{credentials}</ul>
<h2>Yêu cầu ký ({len(snapshot["requests"])})</h2>
<div class="wrap"><table><thead><tr><th>Giao dịch</th><th>Tài khoản</th><th>Nội dung</th><th>Trạng thái</th>
<th>Người ký</th></tr></thead>
<tbody>{rows or '<tr><td colspan="5">Chưa có yêu cầu ký.</td></tr>'}</tbody></table></div>
<p><a href="/">Tải lại trang</a></p></body></html>"""


# --- command line ----------------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    defaults = SimulatorConfig()
    p = argparse.ArgumentParser(prog="python -m simulators.remote_signing", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8310)
    p.add_argument("--credentials-dir", default="", help="directory of <credential id>.p12 files (unencrypted)")
    p.add_argument("--auto-confirm-ms", type=int, default=defaults.auto_confirm_ms,
                   help="the signer confirms after this long (0: wait for a click on the page)")
    p.add_argument("--expire-seconds", type=float, default=defaults.expire_seconds)
    p.add_argument("--token", default="", help="require this Bearer token (not behind the LGSP gateway)")
    p.add_argument("--seed", type=int, help="seed for --fail-ratio")
    p.add_argument("--delay-ms", type=int, default=0)
    p.add_argument("--timeout", action="store_true", help="never answer API calls")
    p.add_argument("--fail-next", type=int, default=0, help="answer 5xx to the next K API calls")
    p.add_argument("--fail-ratio", type=float, default=0.0)
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--malformed-next", type=int, default=0)
    p.add_argument("--down", action="store_true")
    p.add_argument("--reject-next", type=int, default=0)
    p.add_argument("--expire-next", type=int, default=0)
    p.add_argument("--wrong-signature-next", type=int, default=0)
    p.add_argument("--lose-answer-next", type=int, default=0)
    p.add_argument("--verbose", action="store_true", help="log each request")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    faults = SigningFaults()
    faults.update({"delay_ms": args.delay_ms, "timeout": args.timeout, "fail_next": args.fail_next,
                   "fail_ratio": args.fail_ratio, "fail_status": args.fail_status,
                   "malformed_next": args.malformed_next, "down": args.down, "reject_next": args.reject_next,
                   "expire_next": args.expire_next, "wrong_signature_next": args.wrong_signature_next,
                   "lose_answer_next": args.lose_answer_next})
    config = SimulatorConfig(credentials_dir=args.credentials_dir, auto_confirm_ms=args.auto_confirm_ms,
                             expire_seconds=args.expire_seconds, token=args.token, seed=args.seed, faults=faults)
    server = SigningServer((args.host, args.port), SigningState(config), verbose=args.verbose)
    serve(server, f"Mô phỏng dịch vụ ký số từ xa / remote signing simulator: http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
