"""A local simulator of the tax authority's system (Cơ quan thuế, ``/thue``) and the State Treasury (Kho bạc Nhà
nước, ``/kho_bac``), with fault injection.

Run it:  python -m simulators.tax_authority --port 8308 \
             --notice-url http://127.0.0.1:8000/lien-thong/thue/thong-bao/ \
             --receipt-url http://127.0.0.1:8000/lien-thong/thue/chung-tu/ --push-token TOKEN
(docs/land-tax-exchange.md)

It speaks the messages of ``motcua.adapters.tax_authority`` and needs no Django:

- ``POST /thue/``     ``{"service": "GuiPhieuChuyenThongTin", "data": {…}}`` — the transfer form; the notice is
                      computed (2 % personal income tax, 0.5 % registration fee of the contract value) and pushed to
                      the province after ``notice_delay_ms``; ``{"service": "LayThongBaoThue", "MaHoSo"}`` — the
                      notices of a dossier (the poll);
- ``POST /kho_bac/``  ``{"service": "TraCuuChungTu", "MaThongBaoThue"}`` — the payment confirmations of a notice;
- ``GET  /``          a Vietnamese page: forms received, notices, payments, pushes and their answers, with a button
                      "Nộp thuế (giả lập)" per unpaid notice: the treasury records the payment and pushes it;
- ``POST /_pay``      the same as the button, JSON ``{"notice": "<number>"}`` (tests, the demo script);
- ``GET /_state``, ``GET|POST /_faults``, ``POST /_reset``.

Faults (``POST /_faults`` JSON or flags): the API ones of the other simulators (``delay_ms``, ``timeout``,
``fail_next``, ``fail_ratio``, ``fail_status``, ``malformed_next``, ``down``) and the exchange's own: ``late_notices``
(the next K notices are not pushed: the province must poll), ``change_amount_next`` (the next K notices are followed
by a revision with another amount), ``duplicate_confirmations`` (each of the next K confirmations is pushed three
times), ``skip_confirmations`` (the next K are not pushed: poll).

The push URLs and token come from the simulator's configuration, never from a request (no open relay).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from motcua.adapters import tax_authority as tax
from simulators._base import PAGE_CSP, BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve
from simulators.national_portal import Faults

PUSH_TIMEOUT_SECONDS = 10.0
MAX_BODY_BYTES = 512 * 1024
DEMO_PUSH_TOKEN = "motcua-demo-tax-push-token"  # noqa: S105 - the demo's token, never a real one


@dataclass
class TaxFaults:
    delay_ms: int = 0
    timeout: bool = False
    fail_next: int = 0
    fail_ratio: float = 0.0
    fail_status: int = 503
    malformed_next: int = 0
    down: bool = False
    late_notices: int = 0
    change_amount_next: int = 0
    duplicate_confirmations: int = 0
    skip_confirmations: int = 0

    def update(self, changes: Mapping[str, Any]) -> None:
        Faults.update(self, changes)  # type: ignore[arg-type]


@dataclass
class SimulatorConfig:
    notice_url: str = ""  # the province's notice endpoint (…/lien-thong/thue/thong-bao/)
    receipt_url: str = ""  # the province's confirmation endpoint (…/lien-thong/thue/chung-tu/)
    push_token: str = DEMO_PUSH_TOKEN
    notice_delay_ms: int = 300  # how long the tax office takes to answer (a real one: days)
    rates: tax.Rates = field(default_factory=tax.Rates)
    seed: int | None = None
    faults: TaxFaults = field(default_factory=TaxFaults)

    def __post_init__(self) -> None:
        for name in ("notice_url", "receipt_url"):
            value = getattr(self, name)
            if value and not value.startswith(("http://", "https://")):
                raise ValueError(f"{name} must be an http(s) URL: {value!r}")


@dataclass
class Push:
    kind: str  # notice | confirmation
    reference: str
    status: int | None
    answer: str


@dataclass
class NoticeRecord:
    number: str
    dossier_code: str
    revision: int
    lines: list[dict[str, Any]]
    deadline: str
    payment_reference: str
    paid: bool = False


@dataclass
class ReceiptRecord:
    notice: str
    dossier_code: str
    document_number: str
    amount: int
    paid_at: str
    message: dict[str, Any]


def _today() -> dt.date:
    return dt.datetime.now(tax.TIME_ZONE).date()


class TaxState(FaultCounters):
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.lock = threading.Lock()
        self.random = random.Random(config.seed)  # noqa: S311 - fault ratios, not security
        self.transfers: dict[str, dict[str, Any]] = {}  # by dossier code
        self.notices: dict[str, NoticeRecord] = {}  # by notice number (the newest revision)
        self.receipts: list[ReceiptRecord] = []
        self.pushes: list[Push] = []
        self.counter = 0

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"transfers": dict(self.transfers),
                    "notices": {n: asdict(r) for n, r in self.notices.items()},
                    "receipts": [asdict(r) for r in self.receipts], "pushes": [asdict(p) for p in self.pushes[-50:]]}

    def reset(self) -> None:
        with self.lock:
            self.transfers.clear()
            self.notices.clear()
            self.receipts.clear()
            self.pushes.clear()
            self.reset_faults()

    # --- the tax office ---
    def receive_transfer(self, body: bytes) -> dict[str, Any]:
        try:
            transfer = tax.parse_transfer_request(body)
        except tax.TaxMessageError as exc:
            return tax.envelope(error_code=-1, message=str(exc))
        with self.lock:
            known = transfer.dossier_code in self.transfers
            self.transfers[transfer.dossier_code] = {"form": transfer.form_number, "payer": transfer.payer_name,
                                                     "value": transfer.contract_value, "area": transfer.area_m2}
            if known:  # the same form again (a retry): accepted, nothing new
                return tax.envelope({"SoTiepNhan": transfer.form_number}, message="Đã tiếp nhận trước đó")
            self.counter += 1
            number = f"TB-{_today():%Y}-{self.counter:05d}"
            lines = self.config.rates.lines_for(transfer)
            digest = hashlib.sha256(number.encode()).hexdigest()[:10].upper()
            record = NoticeRecord(number=number, dossier_code=transfer.dossier_code, revision=0,
                                  lines=[asdict(line) for line in lines],
                                  deadline=(_today() + dt.timedelta(days=30)).isoformat(),
                                  payment_reference=f"TT{digest}")
            self.notices[number] = record
        threading.Thread(target=self._issue, args=(number,), daemon=True).start()
        return tax.envelope({"SoTiepNhan": transfer.form_number}, message="Đã tiếp nhận phiếu chuyển thông tin")

    def notice_of(self, record: NoticeRecord) -> tax.Notice:
        return tax.Notice(number=record.number, dossier_codes=(record.dossier_code,),
                          lines=tuple(tax.Obligation(**line) for line in record.lines),
                          deadline=dt.date.fromisoformat(record.deadline), issued_on=_today(),
                          revision=record.revision, payment_reference=record.payment_reference,
                          treasury_account="7111.0.1055555 - KBNN Đồng Nai", tax_office="Thuế tỉnh Đồng Nai")

    def _issue(self, number: str) -> None:
        time.sleep(self.config.notice_delay_ms / 1000)
        if self.take("late_notices"):
            return  # kept for the poll only
        with self.lock:
            record = self.notices[number]
        self.push("notice", number, tax.build_notice_push(self.notice_of(record)))
        if self.take("change_amount_next"):
            with self.lock:
                record.revision += 1
                first = record.lines[0]
                record.lines[0] = {**first, "amount": int(first["amount"]) + 1_500_000}
            self.push("notice", f"{number}#{record.revision}", tax.build_notice_push(self.notice_of(record)))

    def notices_for(self, body: bytes) -> dict[str, Any]:
        try:
            message = tax.json_object(body)
        except tax.TaxMessageError as exc:
            return tax.envelope(error_code=-1, message=str(exc))
        code = str(message.get("MaHoSo") or "")
        if not code:
            return tax.envelope(error_code=-1, message="MaHoSo empty")
        with self.lock:
            records = [r for r in self.notices.values() if r.dossier_code == code]
        return tax.envelope([tax.build_notice_push(self.notice_of(r)) for r in records])

    # --- the treasury ---
    def pay(self, number: str) -> dict[str, Any] | None:
        with self.lock:
            record = self.notices.get(number)
            if record is None or record.paid:
                return None
            record.paid = True
            self.counter += 1
            total = sum(int(line["amount"]) for line in record.lines)
            receipt = tax.Receipt(
                dossier_code=record.dossier_code,
                payer_name=str(self.transfers.get(record.dossier_code, {}).get("payer", "")) or "Người nộp thuế",
                tax_code="8000000000", file_url=f"https://kho-bac.example/chung-tu/{number}.pdf",
                notice_number=number, paid_at=dt.datetime.now(tax.TIME_ZONE), amount=total,
                content=f"Nop thue theo thong bao {number}", document_number=f"CT{self.counter:08d}")
            message = receipt.as_message()
            self.receipts.append(ReceiptRecord(number, record.dossier_code, receipt.document_number, total,
                                               tax.format_time(receipt.paid_at), message))
        if not self.take("skip_confirmations"):
            copies = 3 if self.take("duplicate_confirmations") else 1
            for _ in range(copies):
                self.push("confirmation", number, message, url=self.config.receipt_url)
        return message

    def receipts_for(self, body: bytes) -> dict[str, Any]:
        try:
            message = tax.json_object(body)
        except tax.TaxMessageError as exc:
            return tax.envelope(error_code=-1, message=str(exc))
        number = str(message.get("MaThongBaoThue") or "")
        if not number:
            return tax.envelope(error_code=-1, message="MaThongBaoThue empty")
        with self.lock:
            found = [r.message for r in self.receipts if r.notice == number]
        return tax.envelope(found)

    def push(self, kind: str, reference: str, message: Mapping[str, Any], url: str = "") -> None:
        url = url or self.config.notice_url
        if not url:
            return
        request = urllib.request.Request(  # noqa: S310 - an http(s) URL from the configuration
            url, data=tax.encode(message), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8",
                     "Authorization": f"Bearer {self.config.push_token}"})
        try:
            with urllib.request.urlopen(request, timeout=PUSH_TIMEOUT_SECONDS) as answer:  # noqa: S310
                status, raw = answer.status, answer.read(MAX_BODY_BYTES)
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read(MAX_BODY_BYTES)
        except (OSError, ValueError) as exc:
            with self.lock:
                self.pushes.append(Push(kind, reference, None, f"{type(exc).__name__}: {exc}"))
            return
        try:
            answer_text = tax.parse_answer(raw).message
        except tax.TaxMessageError as exc:
            answer_text = f"?: {exc}"
        with self.lock:
            self.pushes.append(Push(kind, reference, status, answer_text[:300]))


class TaxHandler(SimulatorHandler[TaxState]):
    server: TaxServer
    MAX_BODY_BYTES = MAX_BODY_BYTES
    HTML_HEADERS = {"Content-Security-Policy": PAGE_CSP}

    def _refuse_body(self, *, too_large: bool) -> None:
        self._json(tax.envelope(error_code=-1, message="Nội dung quá lớn"), HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def encode(self, data: Any) -> bytes:
        return tax.encode(data)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/_faults":
            self._json(asdict(self.state.faults))
        elif path == "/_state":
            self._json(self.state.snapshot())
        elif path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, render_index(self.state).encode(), "text/html; charset=utf-8")
        else:
            self._json(tax.envelope(error_code=-1, message="Không tìm thấy"), HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        body = self._body()
        if body is None:
            return
        if path == "/_faults":
            self._control(body)
        elif path == "/_reset":
            self.state.reset()
            self._json({"ok": True})
        elif path == "/_pay":
            self._pay(body)
        elif path in ("/thue", "/kho_bac"):
            self._api(path, body)
        else:
            self._json(tax.envelope(error_code=-1, message="Không tìm thấy"), HTTPStatus.NOT_FOUND)


    def _pay(self, body: bytes) -> None:
        form = self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
        if form:
            number = (parse_qs(body.decode("utf-8", "replace")).get("notice") or [""])[0]
        else:
            try:
                number = str(json.loads(body or b"{}").get("notice") or "")
            except (ValueError, AttributeError):
                number = ""
        message = self.state.pay(number)
        if form:
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header("Location", "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif message is None:
            self._json({"error": "Không có thông báo chưa nộp với số này"}, HTTPStatus.NOT_FOUND)
        else:
            self._json(message)

    def _api(self, path: str, body: bytes) -> None:
        faults = self.state.faults
        if self._dropped():
            return
        if self.state.should_fail():
            status = faults.fail_status
            self._send(status, f"<html><body>{status} simulated failure</body></html>".encode(),
                       "text/html; charset=utf-8")
            return
        try:
            service = str(tax.json_object(body).get("service") or "")
        except tax.TaxMessageError:
            service = ""
        if path == "/thue" and service == tax.SERVICE_SEND_TRANSFER:
            answer = self.state.receive_transfer(body)
        elif path == "/thue" and service == tax.SERVICE_GET_NOTICES:
            answer = self.state.notices_for(body)
        elif path == "/kho_bac" and service == tax.SERVICE_GET_RECEIPTS:
            answer = self.state.receipts_for(body)
        else:
            answer = tax.envelope(error_code=-1, message=f"Dịch vụ không hỗ trợ: {service or '(trống)'}")
        if self.state.take("malformed_next"):
            self._send(HTTPStatus.OK, b'{"error_code": 0, "result": ')
            return
        self._json(answer)


class TaxServer(SimulatorServer[TaxState]):
    handler_class = TaxHandler


class TaxSimulator(BackgroundSimulator[TaxServer]):
    """Start and stop the simulator in a background thread (tests, scripts)."""
    thread_name = "tax-sim"

    def __init__(self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.state = TaxState(self.config)
        self.server = TaxServer((host, port), self.state)


# --- Page ----------------------------------------------------------------------------------------------------------

STYLE = """body{font-family:Arial,sans-serif;margin:0;padding:16px;max-width:760px;color:#0b0c0c;line-height:1.4}
h1{font-size:1.4rem} h2{font-size:1.15rem;margin-top:24px}
.banner{background:#fff7bf;padding:8px;border-left:5px solid #ffdd00}
.table-wrap{overflow-x:auto} table{border-collapse:collapse;width:100%;min-width:0}
td,th{border-bottom:1px solid #b1b4b6;padding:4px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
button{font-size:1rem;min-height:44px;padding:8px 16px;border:0;border-radius:4px;background:#00703c;color:#fff}
a{color:#1d70b8;display:inline-block;min-height:44px;line-height:44px}"""


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def render_index(state: TaxState) -> str:
    e = html.escape
    snapshot = state.snapshot()
    transfers = "".join(
        f"<tr><td>{e(code)}</td><td>{e(str(t['form']))}</td><td>{e(str(t['payer']))}</td>"
        f"<td>{e(_money(int(t['value'] or 0)))}</td></tr>" for code, t in snapshot["transfers"].items())
    notices = []
    for number, n in snapshot["notices"].items():
        total = sum(int(line["amount"]) for line in n["lines"])
        lines = "<br>".join(f"{e(line['name'])}: {e(_money(int(line['amount'])))}" for line in n["lines"])
        pay = ("Đã nộp" if n["paid"] else f'<form method="post" action="/_pay"><input type="hidden" name="notice" '
               f'value="{e(number)}"><button type="submit">Nộp thuế (giả lập)</button></form>')
        notices.append(f"<tr><td>{e(number)} (lần {n['revision']})</td><td>{e(n['dossier_code'])}</td>"
                       f"<td>{lines}<br><strong>{e(_money(total))}</strong></td><td>{pay}</td></tr>")
    pushes = "".join(f"<tr><td>{e(p['kind'])}</td><td>{e(p['reference'])}</td><td>{e(str(p['status'] or '—'))}"
                     f"</td><td>{e(p['answer'])}</td></tr>" for p in reversed(snapshot["pushes"]))
    faults = asdict(state.faults)
    active = ", ".join(f"{k}={v}" for k, v in faults.items() if v not in (0, 0.0, False) and k != "fail_status")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cơ quan thuế và Kho bạc (mô phỏng)</title><style>{STYLE}</style></head><body>
<p class="banner">Máy chủ mô phỏng hệ thống của cơ quan thuế và Kho bạc Nhà nước để thử nghiệm và trình diễn —
không có khoản thuế thật nào được tính hay nộp.</p>
<h1>Cơ quan thuế và Kho bạc (mô phỏng)</h1>
<p>Lỗi đang giả lập: {e(active) or "không có"}.</p>
<h2>Phiếu chuyển thông tin đã nhận ({len(snapshot["transfers"])})</h2>
<div class="table-wrap"><table><thead><tr><th>Hồ sơ</th><th>Số phiếu</th><th>Người nộp thuế</th>
<th>Giá trị hợp đồng</th></tr></thead>
<tbody>{transfers or '<tr><td colspan="4">Chưa có phiếu nào.</td></tr>'}</tbody></table></div>
<h2>Thông báo nộp tiền</h2>
<div class="table-wrap"><table><thead><tr><th>Số thông báo</th><th>Hồ sơ</th><th>Các khoản</th><th>Kho bạc</th>
</tr></thead>
<tbody>{"".join(notices) or '<tr><td colspan="4">Chưa có thông báo nào.</td></tr>'}</tbody></table></div>
<h2>Các lần gửi sang hệ thống một cửa</h2>
<div class="table-wrap"><table><thead><tr><th>Loại</th><th>Tham chiếu</th><th>HTTP</th><th>Trả lời</th></tr></thead>
<tbody>{pushes or '<tr><td colspan="4">Chưa gửi lần nào.</td></tr>'}</tbody></table></div>
<p><a href="/">Tải lại trang</a></p>
</body></html>"""


# --- Command line --------------------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m simulators.tax_authority", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8308)
    p.add_argument("--notice-url", default="", help="the province's notice endpoint (…/lien-thong/thue/thong-bao/)")
    p.add_argument("--receipt-url", default="",
                   help="the province's confirmation endpoint (…/lien-thong/thue/chung-tu/)")
    p.add_argument("--push-token", default=DEMO_PUSH_TOKEN, help="the bearer token sent with every push")
    p.add_argument("--notice-delay-ms", type=int, default=300, help="how long before the notice is pushed")
    p.add_argument("--seed", type=int, help="seed for --fail-ratio")
    p.add_argument("--delay-ms", type=int, default=0)
    p.add_argument("--timeout", action="store_true")
    p.add_argument("--fail-next", type=int, default=0)
    p.add_argument("--fail-ratio", type=float, default=0.0)
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--malformed-next", type=int, default=0)
    p.add_argument("--down", action="store_true")
    p.add_argument("--late-notices", type=int, default=0)
    p.add_argument("--change-amount-next", type=int, default=0)
    p.add_argument("--duplicate-confirmations", type=int, default=0)
    p.add_argument("--skip-confirmations", type=int, default=0)
    p.add_argument("--verbose", action="store_true")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    faults = TaxFaults()
    faults.update({"delay_ms": args.delay_ms, "timeout": args.timeout, "fail_next": args.fail_next,
                   "fail_ratio": args.fail_ratio, "fail_status": args.fail_status,
                   "malformed_next": args.malformed_next, "down": args.down, "late_notices": args.late_notices,
                   "change_amount_next": args.change_amount_next,
                   "duplicate_confirmations": args.duplicate_confirmations,
                   "skip_confirmations": args.skip_confirmations})
    config = SimulatorConfig(notice_url=args.notice_url, receipt_url=args.receipt_url, push_token=args.push_token,
                             notice_delay_ms=args.notice_delay_ms, seed=args.seed, faults=faults)
    server = TaxServer((args.host, args.port), TaxState(config), verbose=args.verbose)
    serve(server, f"Mô phỏng Cơ quan thuế và Kho bạc / tax authority and treasury simulator: http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
