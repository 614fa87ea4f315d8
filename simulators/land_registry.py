"""A local simulator of the land database service (Cơ sở dữ liệu đất đai), with fault injection.

Run it:  python -m simulators.land_registry --port 8307        (docs/land.md; the LGSP simulator relays /dat_dai/)

It speaks the messages of ``motcua.adapters.land_registry`` (GUESSED shapes, reference note §4) and needs
no Django:

- ``POST /``            the service endpoint: ``{"service": "TraCuuThuaDat", …}`` answers the parcel (or an empty
                        ``result``), ``{"service": "CapNhatBienDong", …}`` applies a change once per ``MaYeuCau`` and
                        answers its reference ``MaBienDong`` (a repeat answers the same reference, applied once);
- ``GET  /``            the parcels, their holders and restrictions, and the changes written back (Vietnamese page);
- ``GET  /_state``      the same as JSON; ``POST /_reset`` back to the demo parcels;
- ``GET|POST /_faults`` read or change the injected faults (JSON, see ``LandFaults``).

Demo parcels (Phường Trấn Biên, commune code 26041, map sheet 12): 345 held by Trần Thị Bình (the demo citizen
tranthibinh), 346 held by Nguyễn Văn An and mortgaged, 347 disputed, 348 seized. The holders' personal IDs are the
demo citizens' (motcua/demo/directory.py). Parcel 125 of sheet 18 (GCN DA 123456), held by Phạm Văn Hùng, is the one
the demo's sample land dossiers transfer (motcua/demo/dossiers.py).
"""

from __future__ import annotations

import argparse
import html
import json
import random
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from http import HTTPStatus
from typing import Any

from motcua.adapters import land_registry as land
from simulators._base import PAGE_CSP, BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve
from simulators.national_portal import Faults

MAX_BODY_BYTES = 256 * 1024
DEMO_COMMUNE = "26041"  # Phường Trấn Biên (motcua/demo/directory.py TRAN_BIEN_CODE)
BINH = land.Holder("Trần Thị Bình", "075195004321", "", "Phường Trấn Biên, tỉnh Đồng Nai")
AN = land.Holder("Nguyễn Văn An", "075090001234", "", "Xã Long Thành, tỉnh Đồng Nai")
CUONG = land.Holder("Lê Văn Cường", "075088007777", "", "Phường Trấn Biên, tỉnh Đồng Nai")
HUNG = land.Holder("Phạm Văn Hùng", "075085003456", "", "Phường Trấn Biên, tỉnh Đồng Nai")  # motcua/demo/dossiers.py


def demo_parcels() -> list[land.Parcel]:
    def parcel(number: str, serial: str, area: str, holders: tuple[land.Holder, ...],
               restrictions: tuple[land.Restriction, ...] = (), sheet: str = "12") -> land.Parcel:
        return land.Parcel(commune_code=DEMO_COMMUNE, sheet=sheet, number=number, certificate_serial=serial,
                           address=f"Thửa {number}, tờ bản đồ {sheet}, phường Trấn Biên, tỉnh Đồng Nai",
                           area=Decimal(area), use_purpose="ODT", use_purpose_name="Đất ở tại đô thị",
                           use_term="Lâu dài", origin="Nhà nước công nhận quyền sử dụng đất",
                           register_number=f"CS{number}0", holders=holders, restrictions=restrictions)

    return [
        parcel("345", "DN 012345", "120.5", (BINH,)),
        parcel("346", "DN 012346", "95", (AN,), (land.Restriction(
            land.MORTGAGE, "Thế chấp quyền sử dụng đất để bảo đảm khoản vay", "20250310090000",
            "Ngân hàng TMCP Ngoại thương Việt Nam - Chi nhánh Đồng Nai"),)),
        parcel("347", "DN 012347", "150", (CUONG,), (land.Restriction(
            land.DISPUTE, "Đang có đơn tranh chấp ranh giới thửa đất gửi UBND phường", "20260115080000",
            "UBND phường Trấn Biên"),)),
        parcel("348", "DN 012348", "80", (AN,), (land.Restriction(
            land.SEIZURE, "Kê biên quyền sử dụng đất để thi hành án", "20260402100000",
            "Thi hành án dân sự tỉnh Đồng Nai"),)),
        # The parcel of the demo's sample land dossiers (motcua/demo/dossiers.py LAND_FORM: sold to Trần Thị Bình).
        parcel("125", "DA 123456", "100", (HUNG,), sheet="18"),
    ]


@dataclass
class LandFaults:
    """What goes wrong, changed at run time through ``POST /_faults`` (JSON with any of these keys) or CLI flags.
    Counters (``*_next``) are spent one per service call."""

    delay_ms: int = 0  # answer this much later
    timeout: bool = False  # never answer (hold the connection, then drop it)
    fail_next: int = 0  # answer HTTP ``fail_status`` to the next K calls (nothing applied)
    fail_ratio: float = 0.0  # ... or to this share of calls
    fail_status: int = 503
    malformed_next: int = 0  # process the next K calls, then answer a body that is not JSON
    lost_answer_next: int = 0  # apply the next K write-backs, then answer 503 (the caller must retry, applied once)
    down: bool = False  # close every connection without a byte

    def update(self, changes: Mapping[str, Any]) -> None:
        # The same validation as the portal simulator's faults.
        Faults.update(self, changes)  # type: ignore[arg-type]


@dataclass
class WriteBack:
    request_id: str
    reference: str
    dossier_code: str
    kind: str
    parcel: str
    summary: str
    recorded_at: str
    repeats: int = 0


@dataclass
class SimulatorConfig:
    seed: int | None = None
    faults: LandFaults = field(default_factory=LandFaults)


def _now_text() -> str:
    return land.format_time(datetime.now(UTC))


class LandState(FaultCounters):
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.lock = threading.Lock()
        self.random = random.Random(config.seed)  # noqa: S311 - fault ratios, not security
        self.parcels: list[land.Parcel] = demo_parcels()
        self.write_backs: dict[str, WriteBack] = {}
        self.lookups = 0

    def reset(self) -> None:
        with self.lock:
            self.parcels = demo_parcels()
            self.write_backs.clear()
            self.lookups = 0
            self.reset_faults()

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"parcels": [p.as_dict() for p in self.parcels], "lookups": self.lookups,
                    "write_backs": {k: asdict(v) for k, v in self.write_backs.items()}}

    def _find(self, key: land.ParcelKey) -> int | None:
        for index, parcel in enumerate(self.parcels):
            if key.by_serial and parcel.certificate_serial == key.certificate_serial:
                return index
            if not key.by_serial and (parcel.commune_code, parcel.sheet, parcel.number) == (
                    key.commune_code, key.sheet, key.number):
                return index
        return None

    # --- operations (return an answer dict) ---
    def lookup(self, body: Mapping[str, Any]) -> dict[str, Any]:
        try:
            key = land.parse_lookup_request(body)
        except land.LandRegistryMessageError as exc:
            return land.build_answer(land.CODE_MISSING_FIELD, str(exc))
        with self.lock:
            self.lookups += 1
            index = self._find(key)
            if index is None:
                return land.build_answer(0, "Không tìm thấy thửa đất")
            return land.build_answer(0, "Thành công", [land.parcel_to_message(self.parcels[index])])

    def write_back(self, body: Mapping[str, Any]) -> dict[str, Any]:
        try:
            message = land.parse_write_back(body)
        except land.LandRegistryMessageError as exc:
            return land.build_answer(land.CODE_MISSING_FIELD, str(exc))
        request_id = str(message["MaYeuCau"])
        key = land.ParcelKey(str(message.get("MaXa", "")), str(message.get("SoTo", "")),
                             str(message.get("SoThua", "")), str(message.get("SoPhatHanhGCN", "")))
        with self.lock:
            done = self.write_backs.get(request_id)
            if done is not None:
                done.repeats += 1
                return land.build_write_back_answer(done.reference, done.recorded_at, already=True)
            index = self._find(key)
            if index is None:
                return land.build_answer(2, "Không tìm thấy thửa đất")  # GUESSED code
            parcel = self.parcels[index]
            reference = f"BD-{parcel.commune_code}-{len(self.write_backs) + 1:06d}"
            if message["LoaiBienDong"] == land.CHANGE_TRANSFER:
                holders = tuple(land.Holder(str(h.get("HoTen", "")), str(h.get("SoDinhDanh", "")),
                                            str(h.get("TyLe", "")), str(h.get("DiaChi", "")))
                                for h in message["ChuSuDungMoi"])
                summary = "Chuyển quyền cho " + ", ".join(h.name for h in holders)
            else:
                attribute = {v: k for k, v in land.HOLDER_FIELDS.items()}[message["TruongThayDoi"]]
                attribute = {"ho_ten": "name", "so_giay_to_tuy_than": "id_number", "dia_chi": "address"}[attribute]
                wanted = str(message.get("SoDinhDanhChuSuDung", ""))
                holders = tuple(replace(h, **{attribute: str(message["GiaTriMoi"])})
                                if h.id_number == wanted or len(parcel.holders) == 1 else h for h in parcel.holders)
                summary = f"Thay đổi {message['TruongThayDoi']}: {message['GiaTriMoi']}"
            self.parcels[index] = replace(parcel, holders=holders, changes=(*parcel.changes, reference))
            record = WriteBack(request_id=request_id, reference=reference, dossier_code=str(message["MaHoSo"]),
                               kind=str(message["LoaiBienDong"]),
                               parcel=f"{parcel.commune_code}/{parcel.sheet}/{parcel.number}", summary=summary,
                               recorded_at=_now_text())
            self.write_backs[request_id] = record
        return land.build_write_back_answer(record.reference, record.recorded_at)


class LandHandler(SimulatorHandler[LandState]):
    server: LandServer
    MAX_BODY_BYTES = MAX_BODY_BYTES
    HTML_HEADERS = {"Content-Security-Policy": PAGE_CSP}

    def _refuse_body(self, *, too_large: bool) -> None:
        self._send_json(land.build_answer(413, "Nội dung quá lớn"), HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def encode(self, data: Any) -> bytes:
        return land.encode(data)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/_faults":
            self._send_json(asdict(self.state.faults))
        elif path == "/_state":
            self._send_json(self.state.snapshot())
        elif path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, render_index(self.state).encode("utf-8"), "text/html; charset=utf-8")
        else:
            self._send_json(land.build_answer(404, "Không tìm thấy"), HTTPStatus.NOT_FOUND)

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
        elif path in ("/", "/api"):
            self._service(body)
        else:
            self._send_json(land.build_answer(404, "Không tìm thấy"), HTTPStatus.NOT_FOUND)


    def _service(self, body: bytes) -> None:
        faults = self.state.faults
        if self._dropped():
            return
        if self.state.should_fail():
            status = faults.fail_status
            self._send(status, f"<html><body>{status} simulated failure</body></html>".encode(),
                       "text/html; charset=utf-8")
            return
        try:
            message = json.loads(body)
            if not isinstance(message, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError):
            self._send_json(land.build_answer(land.CODE_MISSING_FIELD, "Dữ liệu không phải JSON"))
            return
        service = message.get("service")
        if service == land.SERVICE_LOOKUP:
            answer = self.state.lookup(message)
        elif service == land.SERVICE_WRITE_BACK:
            answer = self.state.write_back(message)
            if answer.get("error_code") == 0 and self.state.take("lost_answer_next"):
                self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"<html><body>503 answer lost</body></html>",
                           "text/html; charset=utf-8")
                return
        else:
            answer = land.build_answer(land.CODE_MISSING_FIELD, "service empty or unknown")
        if self.state.take("malformed_next"):
            self._send(HTTPStatus.OK, b'{"error_code": 0, "result": [')
            return
        self._send_json(answer)


class LandServer(SimulatorServer[LandState]):
    handler_class = LandHandler


class LandSimulator(BackgroundSimulator[LandServer]):
    """Start and stop the simulator in a background thread (tests, scripts)."""
    thread_name = "land-registry-sim"

    def __init__(self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.state = LandState(self.config)
        self.server = LandServer((host, port), self.state)


# --- Page ----------------------------------------------------------------------------------------------------------

STYLE = """body{font-family:Arial,sans-serif;margin:0;padding:16px;max-width:760px;color:#0b0c0c;line-height:1.4}
h1{font-size:1.4rem} h2{font-size:1.15rem;margin-top:24px}
.banner{background:#fff7bf;padding:8px;border-left:5px solid #ffdd00}
.card{border:1px solid #b1b4b6;padding:8px 12px;margin:8px 0}
.tag{display:inline-block;padding:2px 6px;margin:2px 4px 2px 0;font-weight:bold}
.the_chap{background:#fff7bf} .tranh_chap,.ke_bien,.ngan_chan{background:#f6d7d2;color:#942514}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #b1b4b6;padding:4px;text-align:left;
vertical-align:top;overflow-wrap:anywhere}
a{color:#1d70b8;display:inline-block;min-height:44px;line-height:44px}"""

RESTRICTION_LABELS = {land.MORTGAGE: "Đang thế chấp", land.DISPUTE: "Đang tranh chấp", land.SEIZURE: "Bị kê biên",
                      land.INJUNCTION: "Bị áp dụng biện pháp ngăn chặn"}
CHANGE_LABELS = {land.CHANGE_TRANSFER: "Chuyển quyền", land.CHANGE_HOLDER_INFO: "Thay đổi thông tin"}


def render_index(state: LandState) -> str:
    e = html.escape
    snapshot = state.snapshot()
    cards = []
    for p in snapshot["parcels"]:
        holders = "; ".join(f"{e(h['name'])} (số định danh {e(h['id_number'])})" for h in p["holders"])
        tags = "".join(f'<span class="tag {e(r["kind"])}">{e(RESTRICTION_LABELS.get(r["kind"], r["kind"]))}</span> '
                       f'{e(r["description"])} — {e(r["party"])}<br>' for r in p["restrictions"])
        changes = ", ".join(e(c) for c in p["changes"])
        cards.append(f"""<div class="card"><strong>Thửa {e(p['number'])}, tờ bản đồ {e(p['sheet'])}, mã xã
{e(p['commune_code'])}</strong> — GCN {e(p['certificate_serial'])}<br>
{e(p['area'])} m², {e(p['use_purpose_name'])} ({e(p['use_purpose'])}), thời hạn {e(p['use_term'])}<br>
Người sử dụng đất: {holders}<br>{tags or 'Không có hạn chế.<br>'}
{'Biến động đã cập nhật: ' + changes if changes else ''}</div>""")
    rows = "".join(
        f"<tr><td>{e(w['reference'])}</td><td>{e(w['dossier_code'])}</td>"
        f"<td>{e(CHANGE_LABELS.get(w['kind'], w['kind']))}: {e(w['summary'])}</td><td>{e(w['request_id'])}</td>"
        f"<td>{w['repeats']}</td></tr>" for w in snapshot["write_backs"].values())
    faults = asdict(state.faults)
    active = ", ".join(f"{k}={v}" for k, v in faults.items() if v not in (0, 0.0, False) and k != "fail_status")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cơ sở dữ liệu đất đai (mô phỏng)</title><style>{STYLE}</style></head><body>
<p class="banner">Máy chủ mô phỏng Cơ sở dữ liệu đất đai để thử nghiệm và trình diễn — dữ liệu không có thật.</p>
<h1>Cơ sở dữ liệu đất đai (mô phỏng)</h1>
<p>Số lượt tra cứu: {snapshot['lookups']}. Lỗi đang giả lập: {e(active) or 'không có'}.</p>
<h2>Thửa đất ({len(snapshot['parcels'])})</h2>{''.join(cards)}
<h2>Biến động đã ghi nhận ({len(snapshot['write_backs'])})</h2>
<table><thead><tr><th>Mã biến động</th><th>Hồ sơ</th><th>Nội dung</th><th>Mã yêu cầu</th><th>Gửi lặp lại</th></tr>
</thead><tbody>{rows or '<tr><td colspan="5">Chưa có biến động nào.</td></tr>'}</tbody></table>
<p><a href="/">Tải lại trang</a></p></body></html>"""


# --- Command line --------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m simulators.land_registry", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8307)
    p.add_argument("--seed", type=int, help="seed for --fail-ratio")
    p.add_argument("--delay-ms", type=int, default=0)
    p.add_argument("--timeout", action="store_true", help="never answer")
    p.add_argument("--fail-next", type=int, default=0, help="answer 5xx to the next K calls")
    p.add_argument("--fail-ratio", type=float, default=0.0)
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--malformed-next", type=int, default=0)
    p.add_argument("--lost-answer-next", type=int, default=0)
    p.add_argument("--down", action="store_true")
    p.add_argument("--verbose", action="store_true", help="log each request")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    faults = LandFaults()
    faults.update({"delay_ms": args.delay_ms, "timeout": args.timeout, "fail_next": args.fail_next,
                   "fail_ratio": args.fail_ratio, "fail_status": args.fail_status,
                   "malformed_next": args.malformed_next, "lost_answer_next": args.lost_answer_next,
                   "down": args.down})
    server = LandServer((args.host, args.port), LandState(SimulatorConfig(seed=args.seed, faults=faults)),
                        verbose=args.verbose)
    serve(server, f"Mô phỏng CSDL đất đai / land database simulator: http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
