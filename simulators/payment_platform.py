"""A local simulator of the national payment platform (Nền tảng thanh toán, Cổng DVCQG), with fault injection.

Run it:  python -m simulators.payment_platform --port 8302 --callback-url http://127.0.0.1:8000/thanh-toan/paygov/ipn/ \
             --return-url http://127.0.0.1:8000/thanh-toan/paygov/ket-qua/            (docs/payments.md)

It speaks the messages of ``motcua.adapters.payment_platform`` (the builders, parsers and checksums the
province's client uses) and needs no Django:

- ``POST /init``          init message (checksum, MaDoiTac checked) -> ``{"MaLoi": "00", "UrlThanhToan": …}``;
- ``GET  /thanh-toan/<t>`` a small Vietnamese payment page (Thanh toán / Thất bại / Hủy buttons, no script);
- ``POST /thanh-toan/<t>`` records the outcome, sends the signed confirmation callback to the province's
                          configured callback URL (JSON POST), then redirects the browser to the configured return URL
                          with the same fields;
- ``POST /getbill``       get-bill message -> the signed bill (``MaLoi`` "00" paid, "04" no paid transaction);
- ``GET  /``              the transactions and the callbacks' replies (for the demo); ``GET /_state`` as JSON;
- ``GET|POST /_faults``   read or change the injected faults (JSON, see ``PlatformFaults``); ``POST /_reset``.

The callback and return URLs come from the simulator's configuration, as a partner registers them at onboarding,
never from a request (the simulator is no open relay).
"""

from __future__ import annotations

import argparse
import html
import random
import secrets
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlencode

from motcua.adapters import payment_platform as platform
from simulators._base import BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve
from simulators.national_portal import Faults

CALLBACK_TIMEOUT_SECONDS = 10.0
MAX_BODY_BYTES = 256 * 1024
PAGE_PREFIX = "/thanh-toan/"
DEMO_KEY = "DEMO-ONLY-PAYMENT-PLATFORM-KEY-NOT-FOR-PRODUCTION"  # the demo's shared key, never a real one
DEMO_BANK = "NCB"


@dataclass
class PlatformFaults:
    """What goes wrong, changed at run time through ``POST /_faults`` (JSON with any of these keys) or CLI flags.
    The first six act on the API calls (init, get bill), as the portal simulator's do; the ``*_callbacks``
    counters act on the confirmation callbacks and are spent one per payment."""

    delay_ms: int = 0  # answer API calls this much later
    timeout: bool = False  # never answer API calls (hold the connection, then drop it)
    fail_next: int = 0  # answer HTTP ``fail_status`` to the next K API calls
    fail_ratio: float = 0.0  # ... or to this share of them
    fail_status: int = 503
    malformed_next: int = 0  # answer the next K API calls with a body that is not JSON
    down: bool = False  # close every API connection without a byte
    duplicate_callbacks: int = 0  # send each of the next K confirmations three times
    bad_checksum_callbacks: int = 0  # send the next K confirmations with a wrong MaXacThuc (and not the right one)
    skip_callbacks: int = 0  # send no confirmation for the next K payments (the province must ask for the bill)

    def update(self, changes: Mapping[str, Any]) -> None:
        """The same validation as the portal simulator's faults."""
        Faults.update(self, changes)  # type: ignore[arg-type]


@dataclass
class SimulatorConfig:
    partner_code: str = "MOTCUADEMO"  # MaDoiTac
    key: str = DEMO_KEY
    callback_url: str = ""  # the province's confirmation URL (…/thanh-toan/paygov/ipn/)
    return_url: str = ""  # the province's browser return URL (…/thanh-toan/paygov/ket-qua/)
    public_url: str = ""  # how browsers reach this simulator (default: its own address)
    init_path: str = "/init"
    bill_path: str = "/getbill"
    seed: int | None = None
    faults: PlatformFaults = field(default_factory=PlatformFaults)

    def __post_init__(self) -> None:
        for name in ("callback_url", "return_url", "public_url"):
            value = getattr(self, name)
            if value and not value.startswith(("http://", "https://")):
                raise ValueError(f"{name} must be an http(s) URL: {value!r}")


@dataclass
class CallbackRecord:
    copy: int
    valid_checksum: bool
    status: int | None
    reply_code: str
    error: str = ""


@dataclass
class Transaction:
    reference: str  # MaThamChieu
    amount: int
    info: str
    init_time: str
    token: str
    bill: dict[str, Any]
    state: str = "open"  # open | paid | failed | cancelled
    code: str = ""  # MaLoi of the outcome
    transaction_no: str = ""  # MaGiaoDich
    paid_time: str = ""
    callbacks: list[CallbackRecord] = field(default_factory=list)


def _now_text() -> str:
    return platform.format_time(datetime.now(UTC))


class PlatformState(FaultCounters):
    """Transactions and faults, behind one lock."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.lock = threading.Lock()
        self.transactions: dict[str, Transaction] = {}
        self.random = random.Random(config.seed)  # noqa: S311 - fault ratios, not security

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"transactions": {ref: asdict(t) for ref, t in self.transactions.items()}}

    def reset(self) -> None:
        with self.lock:
            self.transactions.clear()
            self.reset_faults()

    def by_token(self, token: str) -> Transaction | None:
        with self.lock:
            for transaction in self.transactions.values():
                if secrets.compare_digest(transaction.token, token):
                    return transaction
        return None

    # --- API operations (return an answer dict) ---
    def init(self, body: bytes, page_base: str) -> dict[str, Any]:
        try:
            received = platform.parse_init_request(body, self.config.key)
        except platform.BadChecksum:
            return platform.build_init_answer(platform.CODE_BAD_CHECKSUM, "Sai mã xác thực (MaXacThuc)")
        except platform.PaymentPlatformMessageError as exc:
            return platform.build_init_answer(platform.CODE_OTHER_ERROR, f"Dữ liệu không hợp lệ: {exc}")
        if received.partner_code != self.config.partner_code:
            return platform.build_init_answer(platform.CODE_OTHER_ERROR, "Mã đối tác (MaDoiTac) không đúng")
        with self.lock:
            existing = self.transactions.get(received.reference)
            if existing is not None:
                if existing.amount != received.amount or existing.state != "open":
                    return platform.build_init_answer(platform.CODE_OTHER_ERROR,
                                                      "Mã tham chiếu (MaThamChieu) đã được sử dụng")
                transaction = existing
            else:
                transaction = Transaction(reference=received.reference, amount=received.amount,
                                          info=received.transaction_info, init_time=received.transaction_time,
                                          token=secrets.token_urlsafe(18), bill=dict(received.bill))
                self.transactions[received.reference] = transaction
        return platform.build_init_answer(platform.CODE_SUCCESS, "Thành công",
                                          f"{page_base}{PAGE_PREFIX}{transaction.token}")

    def bill(self, body: bytes) -> dict[str, Any]:
        try:
            request = platform.parse_bill_request(body, self.config.key)
        except platform.BadChecksum:
            return platform.build_init_answer(platform.CODE_BAD_CHECKSUM, "Sai mã xác thực (MaXacThuc)")
        except platform.PaymentPlatformMessageError as exc:
            return platform.build_init_answer(platform.CODE_OTHER_ERROR, f"Dữ liệu không hợp lệ: {exc}")
        if request.partner_code != self.config.partner_code:
            return platform.build_init_answer(platform.CODE_OTHER_ERROR, "Mã đối tác (MaDoiTac) không đúng")
        with self.lock:
            transaction = self.transactions.get(request.reference)
            paid = transaction is not None and transaction.state == "paid"
            confirmation = (self.confirmation(transaction) if paid and transaction else platform.Confirmation(
                message_type=platform.MESSAGE_TYPE_GET_BILL, code=platform.CODE_NOT_FOUND,
                partner_code=self.config.partner_code, reference=request.reference, amount=0, currency="",
                transaction_no="", bank_code="", transaction_time="", transaction_info=""))
        description = "Thành công" if paid else "Không có giao dịch đã thanh toán"
        return platform.build_bill_answer(confirmation, self.config.key, description)

    def confirmation(self, transaction: Transaction) -> platform.Confirmation:
        return platform.Confirmation(
            message_type=platform.MESSAGE_TYPE_CONFIRM, code=transaction.code, partner_code=self.config.partner_code,
            reference=transaction.reference, amount=transaction.amount, currency=platform.CURRENCY_VND,
            transaction_no=transaction.transaction_no, bank_code=DEMO_BANK if transaction.state == "paid" else "",
            transaction_time=transaction.paid_time, transaction_info=transaction.info)

    # --- the payer's choice ---
    def settle(self, transaction: Transaction, outcome: str) -> dict[str, Any] | None:
        """Record the payer's choice (once) and send the confirmation callback(s). Returns the signed confirmation
        for the browser return, or None if the transaction was already settled."""
        with self.lock:
            if transaction.state != "open":
                return None
            transaction.state = {"pay": "paid", "fail": "failed", "cancel": "cancelled"}[outcome]
            transaction.code = {"pay": platform.CODE_SUCCESS, "fail": platform.CODE_FAILED,
                                "cancel": platform.CODE_CANCELLED}[outcome]
            transaction.transaction_no = f"GD{secrets.randbelow(10**10):010d}" if outcome == "pay" else ""
            transaction.paid_time = _now_text()
            message = platform.build_confirmation(self.confirmation(transaction), self.config.key)
        self.deliver(transaction, message)
        return message

    def deliver(self, transaction: Transaction, message: dict[str, Any]) -> None:
        if not self.config.callback_url or self.take("skip_callbacks"):
            return
        copies: list[dict[str, Any]] = [message]
        if self.take("bad_checksum_callbacks"):
            copies = [{**message, "MaXacThuc": platform.checksum(["tampered"], self.config.key)}]
        elif self.take("duplicate_callbacks"):
            copies = [message, message, message]
        for number, copy in enumerate(copies, start=1):
            record = self._post_callback(copy, number, valid=copy["MaXacThuc"] == message["MaXacThuc"])
            with self.lock:
                transaction.callbacks.append(record)

    def _post_callback(self, message: Mapping[str, Any], number: int, *, valid: bool) -> CallbackRecord:
        request = urllib.request.Request(  # noqa: S310 - an http(s) URL from the configuration (__post_init__)
            self.config.callback_url, data=platform.encode(message), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=CALLBACK_TIMEOUT_SECONDS) as answer:  # noqa: S310
                status, raw = answer.status, answer.read(MAX_BODY_BYTES)
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read(MAX_BODY_BYTES)
        except (OSError, ValueError) as exc:
            return CallbackRecord(number, valid, None, "", f"{type(exc).__name__}: {exc}")
        try:
            code, description = platform.parse_confirm_reply(raw)
        except platform.PaymentPlatformMessageError as exc:
            return CallbackRecord(number, valid, status, "", f"reply: {exc}")
        return CallbackRecord(number, valid, status, code, description)


class PlatformHandler(SimulatorHandler[PlatformState]):
    server: PlatformServer
    MAX_BODY_BYTES = MAX_BODY_BYTES

    # --- plumbing ---
    def _refuse_body(self, *, too_large: bool) -> None:
        self._send_json(platform.build_init_answer(platform.CODE_OTHER_ERROR, "Nội dung quá lớn"),
                        HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def encode(self, data: Any) -> bytes:
        return platform.encode(data)

    def _send_page(self, page: str, status: int = HTTPStatus.OK) -> None:
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8",
                   {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})

    @property
    def page_base(self) -> str:
        if self.state.config.public_url:
            return self.state.config.public_url.rstrip("/")
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- routes ---
    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/_faults":
            self._send_json(asdict(self.state.faults))
        elif path == "/_state":
            self._send_json(self.state.snapshot())
        elif path in ("/", "/index.html"):
            self._send_page(render_index(self.state))
        elif path.startswith(PAGE_PREFIX):
            transaction = self.state.by_token(path[len(PAGE_PREFIX):])
            if transaction is None:
                self._send_page(render_message("Không tìm thấy giao dịch."), HTTPStatus.NOT_FOUND)
            else:
                self._send_page(render_payment_page(self.state, transaction))
        else:
            self._send_json(platform.build_init_answer(platform.CODE_OTHER_ERROR, "Không tìm thấy"),
                            HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0]
        body = self._body()
        if body is None:
            return
        if path == "/_faults":
            self._control(body)
        elif path == "/_reset":
            self.state.reset()
            self._send_json({"ok": True})
        elif path in (self.state.config.init_path, self.state.config.bill_path):
            self._api_call(path, body)
        elif path.startswith(PAGE_PREFIX):
            self._pay(path[len(PAGE_PREFIX):], body)
        else:
            self._send_json(platform.build_init_answer(platform.CODE_OTHER_ERROR, "Không tìm thấy"),
                            HTTPStatus.NOT_FOUND)


    def _api_call(self, path: str, body: bytes) -> None:
        faults = self.state.faults
        if self._dropped():
            return
        if self.state.should_fail():
            status = faults.fail_status
            self._send(status, f"<html><body>{status} simulated failure</body></html>".encode(),
                       "text/html; charset=utf-8")
            return
        is_init = path == self.state.config.init_path
        answer = self.state.init(body, self.page_base) if is_init else self.state.bill(body)
        if self.state.take("malformed_next"):
            self._send(HTTPStatus.OK, b'{"MaLoi": "00", "UrlThanhToan": ')
            return
        self._send_json(answer)

    def _pay(self, token: str, body: bytes) -> None:
        transaction = self.state.by_token(token)
        if transaction is None:
            self._send_page(render_message("Không tìm thấy giao dịch."), HTTPStatus.NOT_FOUND)
            return
        outcome = (parse_qs(body.decode("utf-8", "replace")).get("outcome") or [""])[0]
        if outcome not in ("pay", "fail", "cancel"):
            self._send_page(render_payment_page(self.state, transaction), HTTPStatus.BAD_REQUEST)
            return
        message = self.state.settle(transaction, outcome)
        if message is None:
            self._send_page(render_message("Giao dịch này đã được xử lý trước đó."), HTTPStatus.CONFLICT)
            return
        return_url = self.state.config.return_url
        if not return_url:
            self._send_page(render_message("Đã ghi nhận kết quả giao dịch. Bạn có thể đóng trang này."))
            return
        location = f"{return_url}{'&' if '?' in return_url else '?'}{urlencode(message)}"
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class PlatformServer(SimulatorServer[PlatformState]):
    handler_class = PlatformHandler


class PlatformSimulator(BackgroundSimulator[PlatformServer]):
    """Start and stop the simulator in a background thread (tests, scripts)."""
    thread_name = "payment-platform-sim"

    def __init__(self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.state = PlatformState(self.config)
        self.server = PlatformServer((host, port), self.state)


# --- Pages ---------------------------------------------------------------------------------------------------------

STYLE = """body{font-family:Arial,sans-serif;margin:0;padding:16px;max-width:640px;color:#0b0c0c;line-height:1.4}
h1{font-size:1.4rem} dl{display:grid;grid-template-columns:minmax(7rem,auto) 1fr;gap:4px 12px}
dt{font-weight:bold} dd{margin:0;overflow-wrap:anywhere;min-width:0}
.banner{background:#fff7bf;padding:8px;border-left:5px solid #ffdd00}
.buttons{display:flex;flex-wrap:wrap;gap:12px;margin-top:16px}
button{font-size:1rem;min-height:44px;padding:8px 16px;border:0;border-radius:4px;cursor:pointer}
.pay{background:#00703c;color:#fff} .fail{background:#d4351c;color:#fff} .cancel{background:#f3f2f1;color:#0b0c0c}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #b1b4b6;padding:4px;text-align:left}
a{color:#1d70b8;display:inline-block;min-height:44px;line-height:44px}"""


def _amount_text(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _page(title: str, content: str) -> str:
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>
<p class="banner">Máy chủ mô phỏng Nền tảng thanh toán để thử nghiệm và trình diễn — không có tiền thật được chuyển.</p>
{content}
</body></html>"""


def render_message(text: str) -> str:
    return _page("Nền tảng thanh toán (mô phỏng)", f"<h1>Nền tảng thanh toán</h1><p>{html.escape(text)}</p>")


def render_payment_page(state: PlatformState, transaction: Transaction) -> str:
    e = html.escape
    bill = transaction.bill
    if transaction.state != "open":
        return render_message("Giao dịch này đã được xử lý trước đó.")
    return _page("Thanh toán trực tuyến (mô phỏng)", f"""<h1>Thanh toán phí, lệ phí</h1>
<dl><dt>Đối tác</dt><dd>{e(state.config.partner_code)}</dd>
<dt>Đơn vị thu</dt><dd>{e(str(bill.get("TenDonVi", "")))}</dd>
<dt>Hồ sơ</dt><dd>{e(str(bill.get("MaHoSo", "")))}</dd>
<dt>Thủ tục</dt><dd>{e(str(bill.get("TenTTHC", "")))}</dd>
<dt>Mã tham chiếu</dt><dd>{e(transaction.reference)}</dd>
<dt>Nội dung</dt><dd>{e(transaction.info)}</dd>
<dt>Số tiền</dt><dd><strong>{e(_amount_text(transaction.amount))}</strong></dd></dl>
<form method="post" class="buttons">
<button class="pay" type="submit" name="outcome" value="pay">Thanh toán</button>
<button class="fail" type="submit" name="outcome" value="fail">Giả lập thanh toán thất bại</button>
<button class="cancel" type="submit" name="outcome" value="cancel">Hủy giao dịch</button>
</form>""")


def render_index(state: PlatformState) -> str:
    e = html.escape
    snapshot = state.snapshot()["transactions"]
    labels = {"open": "Chờ thanh toán", "paid": "Đã thanh toán", "failed": "Thất bại", "cancelled": "Đã hủy"}
    rows = "".join(
        f"<tr><td>{e(ref)}</td><td>{e(_amount_text(int(t['amount'])))}</td><td>{e(labels.get(t['state'], ''))}</td>"
        f"<td>{e(', '.join(c['reply_code'] or c['error'] or '?' for c in t['callbacks'])) or '—'}</td></tr>"
        for ref, t in snapshot.items())
    faults = asdict(state.faults)
    active = ", ".join(f"{k}={v}" for k, v in faults.items() if v not in (0, 0.0, False) and k != "fail_status")
    return _page("Nền tảng thanh toán (mô phỏng)", f"""<h1>Giao dịch ({len(snapshot)})</h1>
<p>Đối tác: {e(state.config.partner_code)}. Lỗi đang giả lập: {e(active) or "không có"}.</p>
<table><thead><tr><th>Mã tham chiếu</th><th>Số tiền</th><th>Trạng thái</th><th>Trả lời callback</th></tr></thead>
<tbody>{rows or '<tr><td colspan="4">Chưa có giao dịch.</td></tr>'}</tbody></table>
<p><a href="/">Tải lại trang</a></p>""")


# --- Command line --------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    defaults = SimulatorConfig()
    p = argparse.ArgumentParser(prog="python -m simulators.payment_platform", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8302)
    p.add_argument("--partner-code", default=defaults.partner_code, help="the MaDoiTac the platform expects")
    p.add_argument("--key", default=defaults.key, help="the shared hash key")
    p.add_argument("--callback-url", default="", help="the province's confirmation URL (…/thanh-toan/paygov/ipn/)")
    p.add_argument("--return-url", default="", help="the province's browser return URL (…/thanh-toan/paygov/ket-qua/)")
    p.add_argument("--public-url", default="", help="how browsers reach this simulator (default: its address)")
    p.add_argument("--seed", type=int, help="seed for --fail-ratio")
    p.add_argument("--delay-ms", type=int, default=0)
    p.add_argument("--timeout", action="store_true", help="never answer API calls")
    p.add_argument("--fail-next", type=int, default=0, help="answer 5xx to the next K API calls")
    p.add_argument("--fail-ratio", type=float, default=0.0)
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--malformed-next", type=int, default=0)
    p.add_argument("--down", action="store_true")
    p.add_argument("--duplicate-callbacks", type=int, default=0)
    p.add_argument("--bad-checksum-callbacks", type=int, default=0)
    p.add_argument("--skip-callbacks", type=int, default=0)
    p.add_argument("--verbose", action="store_true", help="log each request")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    faults = PlatformFaults()
    faults.update({"delay_ms": args.delay_ms, "timeout": args.timeout, "fail_next": args.fail_next,
                   "fail_ratio": args.fail_ratio, "fail_status": args.fail_status,
                   "malformed_next": args.malformed_next, "down": args.down,
                   "duplicate_callbacks": args.duplicate_callbacks,
                   "bad_checksum_callbacks": args.bad_checksum_callbacks, "skip_callbacks": args.skip_callbacks})
    config = SimulatorConfig(partner_code=args.partner_code, key=args.key, callback_url=args.callback_url,
                             return_url=args.return_url, public_url=args.public_url, seed=args.seed, faults=faults)
    server = PlatformServer((args.host, args.port), PlatformState(config), verbose=args.verbose)
    serve(server, f"Mô phỏng Nền tảng thanh toán / payment platform simulator: http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
