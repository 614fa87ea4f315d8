"""A local simulator of the national business registration database (CSDL quốc gia về đăng ký doanh nghiệp), with
fault injection. Reached directly or through the LGSP simulator's ``dkkd`` route.

Run it:  python -m simulators.business_register --port 8305      (docs/integrations-business-register.md)

It speaks the messages of ``motcua.adapters.business_register`` (all GUESSED shapes, reference note §5)
and needs no Django:

- ``POST /``               the look-up (``service`` TraCuuThongTinDoanhNghiep, ``MaSoDoanhNghiep``) -> the envelope
                           ``{"error_code": 0, "result": [record]}``; an unknown code gives an empty result;
- ``GET  /``               a Vietnamese page: the fake enterprises, their legal representatives, the last look-ups;
- ``GET  /_state``         the enterprises and the last look-ups as JSON;
- ``GET|POST /_faults``    read or change the injected faults (JSON, see ``Faults``): ``delay_ms``, ``timeout``,
                           ``fail_next`` / ``fail_ratio`` with ``fail_status``, ``malformed_next``, ``duplicate_next``
                           (the record twice in the result), ``down``;
- ``POST /_businesses``    add or replace one enterprise (its register JSON) — tests and the demo;
- ``POST /_reset``         back to the fixtures, no look-ups, no faults.

The fixtures are consistent with the demo (``setup_demo``): Nguyễn Văn An (personal ID 075090001234, the demo
citizen ``nguyenvana``) is the legal representative of the active company 3601234569 and of the dissolved one
3604567894; Trần Thị Bình (075195004321, ``tranthibinh``) is one of the two of the joint-stock company 3602345670.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from http import HTTPStatus
from typing import Any

from motcua.adapters import business_register as register
from motcua.adapters.business_register import BusinessLine as Line
from motcua.adapters.business_register import BusinessRecord as Record
from motcua.adapters.business_register import LegalRepresentative as Person
from simulators._base import BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve
from simulators.national_portal import Faults

MAX_BODY_BYTES = 64 * 1024
RECENT_LOOKUPS = 50

AN = Person("Nguyễn Văn An", "075090001234", "Giám đốc")  # the demo citizen nguyenvana
BINH = Person("Trần Thị Bình", "075195004321", "Chủ tịch Hội đồng quản trị")  # the demo citizen tranthibinh
NAM = Person("Lê Hoàng Nam", "079085012345", "Tổng giám đốc")
CUONG = Person("Phạm Văn Cường", "075088003456", "Giám đốc")
HANH = Person("Đỗ Thị Hạnh", "074180007890", "Giám đốc")
TRADE = Line("4690", "Bán buôn tổng hợp", True)


def _record(code: str, name: str, status: str, people: tuple[Person, ...], *, kind: str, founded: date,
            address: str, commune: str, capital: int, lines: tuple[Line, ...] = (TRADE,), amendments: int = 0,
            short: str = "", foreign: str = "") -> Record:
    return Record(code=register.compact_code(code), name=name, status=register.STATUS_CODES[status], status_code=status,
                  status_text=register.STATUS_WORDING[status], foreign_name=foreign, short_name=short, kind=kind,
                  founded=founded, amendments=amendments, last_amended=founded if not amendments else date(2024, 3, 5),
                  address=address, province_code="75", commune_code=commune, capital=capital,
                  representatives=people, lines=lines)


FIXTURES: tuple[Record, ...] = (
    _record("3601234569", "CÔNG TY TNHH THƯƠNG MẠI DỊCH VỤ AN PHÁT", "1", (AN,),
            kind="Công ty trách nhiệm hữu hạn một thành viên", founded=date(2016, 5, 12), amendments=3,
            address="Số 12 đường Phạm Văn Thuận, Phường Trấn Biên, Tỉnh Đồng Nai", commune="26041",
            capital=5_000_000_000, short="AN PHAT CO., LTD", foreign="AN PHAT TRADING SERVICE COMPANY LIMITED",
            lines=(TRADE, Line("4711", "Bán lẻ lương thực, thực phẩm trong cửa hàng kinh doanh tổng hợp"))),
    _record("3601234569-001", "CHI NHÁNH CÔNG TY TNHH THƯƠNG MẠI DỊCH VỤ AN PHÁT TẠI LONG THÀNH", "1",
            (Person(AN.name, AN.national_id, "Người đứng đầu chi nhánh"),),
            kind="Chi nhánh", founded=date(2020, 9, 1), address="Ấp 3, Xã Long Thành, Tỉnh Đồng Nai",
            commune="26368", capital=0),
    _record("3602345670", "CÔNG TY CỔ PHẦN XÂY DỰNG BÌNH MINH ĐỒNG NAI", "1", (BINH, NAM),
            kind="Công ty cổ phần", founded=date(2011, 2, 21), amendments=7,
            address="Số 45 đường Võ Thị Sáu, Phường Trấn Biên, Tỉnh Đồng Nai", commune="26041",
            capital=20_000_000_000, lines=(Line("4100", "Xây dựng nhà các loại", True),)),
    _record("3603456782", "CÔNG TY TNHH SẢN XUẤT GỖ LONG THÀNH", "2", (CUONG,),
            kind="Công ty trách nhiệm hữu hạn hai thành viên trở lên", founded=date(2018, 7, 3),
            address="Khu công nghiệp Long Thành, Xã Long Thành, Tỉnh Đồng Nai", commune="26368",
            capital=3_000_000_000, lines=(Line("1610", "Cưa, xẻ, bào gỗ và bảo quản gỗ", True),)),
    _record("3604567894", "DOANH NGHIỆP TƯ NHÂN VẬN TẢI HOÀNG GIA", "4", (AN,),
            kind="Doanh nghiệp tư nhân", founded=date(2012, 10, 8),
            address="Số 8 đường Đồng Khởi, Phường Trấn Biên, Tỉnh Đồng Nai", commune="26041",
            capital=800_000_000, lines=(Line("4933", "Vận tải hàng hóa bằng đường bộ", True),)),
    _record("3605678903", "CÔNG TY TNHH NÔNG SẢN PHƯỚC AN", "5", (HANH,),
            kind="Công ty trách nhiệm hữu hạn một thành viên", founded=date(2019, 1, 15),
            address="Ấp 5, Xã Long Thành, Tỉnh Đồng Nai", commune="26368", capital=1_000_000_000,
            lines=(Line("4620", "Bán buôn nông, lâm sản nguyên liệu", True),)),
    _record("3606789010", "CÔNG TY TNHH CƠ KHÍ TRẤN BIÊN", "6", (CUONG,),
            kind="Công ty trách nhiệm hữu hạn một thành viên", founded=date(2015, 6, 30),
            address="Số 3 đường Nguyễn Ái Quốc, Phường Trấn Biên, Tỉnh Đồng Nai", commune="26041",
            capital=2_000_000_000, lines=(Line("2592", "Gia công cơ khí; xử lý và tráng phủ kim loại", True),)),
)


@dataclass
class SimulatorConfig:
    seed: int | None = None
    faults: Faults = field(default_factory=Faults)


@dataclass
class LookupSeen:
    at: str
    code: str
    request_id: str
    purpose: str
    outcome: str  # found / not_found / invalid / fault


class RegisterState(FaultCounters):
    """Enterprises (register JSON by compact code), the last look-ups and the faults, behind one lock."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.lock = threading.Lock()
        self.random = random.Random(config.seed)  # noqa: S311 - fault ratios, not security
        self.businesses: dict[str, dict[str, Any]] = {}
        self.lookups: deque[LookupSeen] = deque(maxlen=RECENT_LOOKUPS)
        self._load_fixtures()

    def _load_fixtures(self) -> None:
        self.businesses = {r.code: register.record_to_wire(r) for r in FIXTURES}

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"businesses": dict(self.businesses), "lookups": [asdict(x) for x in self.lookups]}

    def reset(self) -> None:
        with self.lock:
            self._load_fixtures()
            self.lookups.clear()
            self.reset_faults()

    def put(self, item: Any) -> str:
        record = register.record_from_wire(item)  # refuses what the province could not read either
        with self.lock:
            self.businesses[record.code] = register.record_to_wire(record)
        return record.code

    def seen(self, code: str, request_id: str, purpose: str, outcome: str) -> None:
        with self.lock:
            self.lookups.append(LookupSeen(at=datetime.now(UTC).isoformat(timespec="seconds"), code=code,
                                           request_id=request_id, purpose=purpose[:200], outcome=outcome))

    def answer(self, body: bytes, duplicate: bool) -> dict[str, Any]:
        try:
            request = register.parse_lookup_request(body)
        except register.BusinessRegisterMessageError as exc:
            self.seen("", "", "", "invalid")
            return register.build_answer(register.ERROR_CODE_INVALID, f"Dữ liệu không hợp lệ: {exc}")
        with self.lock:
            item = self.businesses.get(request.code)
        self.seen(request.code, request.request_id, request.purpose, "found" if item else "not_found")
        if item is None:
            return register.build_answer(register.ERROR_CODE_SUCCESS, "Không tìm thấy doanh nghiệp")
        return register.build_answer(register.ERROR_CODE_SUCCESS, "Thành công", [item, item] if duplicate else [item])


class RegisterHandler(SimulatorHandler[RegisterState]):
    server: RegisterServer
    MAX_BODY_BYTES = MAX_BODY_BYTES
    disable_nagle_algorithm = True

    def encode(self, data: Any) -> bytes:
        return register.encode(data)

    def do_GET(self) -> None:
        if self.path == "/_faults":
            self._send_json(asdict(self.state.faults))
        elif self.path == "/_state":
            self._send_json(self.state.snapshot())
        elif self.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, render_page(self.state).encode("utf-8"), "text/html; charset=utf-8")
        else:
            self._send_json(register.build_answer(register.ERROR_CODE_FAILURE, "Không tìm thấy"), HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            return
        if self.path == "/_faults":
            self._control(body)
        elif self.path == "/_reset":
            self.state.reset()
            self._send_json({"ok": True})
        elif self.path == "/_businesses":
            try:
                code = self.state.put(json.loads(body or b"{}"))
            except (ValueError, UnicodeDecodeError) as exc:
                self._send_json({"error": str(exc)}, HTTPStatus.BAD_REQUEST)
                return
            self._send_json({"ok": True, "code": code})
        elif self.path == register.LOOKUP_PATH:
            self._lookup(body)
        else:
            self._send_json(register.build_answer(register.ERROR_CODE_FAILURE, "Không tìm thấy"), HTTPStatus.NOT_FOUND)


    def _lookup(self, body: bytes) -> None:
        faults = self.state.faults
        if self._dropped():
            return
        if self.state.should_fail():
            self.state.seen("", "", "", "fault")
            status = faults.fail_status
            self._send(status, f"<html><body>{status} simulated failure</body></html>".encode(),
                       "text/html; charset=utf-8")
            return
        answer = self.state.answer(body, self.state.take("duplicate_next"))
        if self.state.take("malformed_next"):
            self._send(HTTPStatus.OK, b'{"error_code": 0, "message": "Th\xe1nh c\xf4ng", "result": [{')
            return
        self._send_json(answer)


class RegisterServer(SimulatorServer[RegisterState]):
    handler_class = RegisterHandler


class RegisterSimulator(BackgroundSimulator[RegisterServer]):
    """Start and stop the simulator in a background thread (tests, scripts)."""
    thread_name = "business-register-sim"

    def __init__(self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.state = RegisterState(self.config)
        self.server = RegisterServer((host, port), self.state)


# --- The demo page -------------------------------------------------------------------------------------------------

OUTCOMES = {"found": "tìm thấy", "not_found": "không tìm thấy", "invalid": "yêu cầu sai", "fault": "lỗi giả lập"}


def render_page(state: RegisterState) -> str:
    e = html.escape
    snapshot = state.snapshot()
    rows = []
    for _code, item in sorted(snapshot["businesses"].items()):
        people = "".join(f"<li>{e(p['HoVaTen'])} — {e(p['ChucDanh'])}, số định danh {e(p['SoDinhDanh'])}</li>"
                         for p in item["NguoiDaiDienPhapLuat"])
        rows.append(
            f"<section><h2>{e(item['MaSoDoanhNghiep'])} — {e(item['TenDoanhNghiep'])}</h2><dl>"
            f"<dt>Tình trạng</dt><dd>{e(item['TenTinhTrang'])}</dd>"
            f"<dt>Loại hình</dt><dd>{e(item['LoaiHinhDoanhNghiep'])}</dd>"
            f"<dt>Trụ sở</dt><dd>{e(item['DiaChiTruSo']['DiaChiDayDu'])}</dd>"
            f"<dt>Người đại diện</dt><dd><ul>{people or '<li>Không có</li>'}</ul></dd></dl></section>")
    lookups = "".join(
        f"<li><strong>{e(x['at'])}</strong> — {e(x['code']) or '?'}: {e(OUTCOMES.get(x['outcome'], x['outcome']))}"
        f"{' (' + e(x['purpose']) + ')' if x['purpose'] else ''}</li>"
        for x in reversed(snapshot["lookups"]))
    faults = asdict(state.faults)
    active = ", ".join(f"{k}={v}" for k, v in faults.items() if v not in (0, 0.0, False) and k != "fail_status")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mô phỏng CSDL quốc gia về đăng ký doanh nghiệp</title>
<style>
body{{font-family:Arial,sans-serif;margin:0;padding:16px;max-width:960px;color:#0b0c0c;line-height:1.4}}
h1{{font-size:1.5rem}} h2{{font-size:1.1rem;overflow-wrap:anywhere}} section{{border-top:2px solid #b1b4b6}}
dl{{display:grid;grid-template-columns:minmax(7rem,auto) 1fr;gap:4px 12px}} dt{{font-weight:bold}}
dd{{margin:0;overflow-wrap:anywhere;min-width:0}} ul{{margin:0;padding-left:1.2rem}}
.banner{{background:#fff7bf;padding:8px;border-left:5px solid #ffdd00}}
a{{color:#1d70b8;display:inline-block;min-height:44px;line-height:44px}}
</style></head><body>
<p class="banner">Máy chủ mô phỏng để thử nghiệm và trình diễn — không phải CSDL quốc gia về đăng ký doanh nghiệp
thật. Dữ liệu doanh nghiệp và người đại diện là giả.</p>
<h1>Doanh nghiệp ({len(snapshot["businesses"])})</h1>
<p>Lỗi đang giả lập: {e(active) or "không có"}.</p>
<p><a href="/">Tải lại trang</a></p>
<h2>Các lần tra cứu gần nhất</h2><ol>{lookups or "<li>Chưa có lần tra cứu nào</li>"}</ol>
{"".join(rows)}
</body></html>"""


# --- Command line --------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m simulators.business_register", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8305)
    p.add_argument("--seed", type=int, help="seed for --fail-ratio")
    p.add_argument("--delay-ms", type=int, default=0)
    p.add_argument("--timeout", action="store_true", help="never answer look-ups")
    p.add_argument("--fail-next", type=int, default=0, help="answer 5xx to the next K look-ups")
    p.add_argument("--fail-ratio", type=float, default=0.0, help="answer 5xx to this share of look-ups")
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--malformed-next", type=int, default=0)
    p.add_argument("--duplicate-next", type=int, default=0, help="give the record twice in the next K answers")
    p.add_argument("--down", action="store_true", help="drop every look-up connection")
    p.add_argument("--verbose", action="store_true", help="log each request")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    faults = Faults()
    faults.update({"delay_ms": args.delay_ms, "timeout": args.timeout, "fail_next": args.fail_next,
                   "fail_ratio": args.fail_ratio, "fail_status": args.fail_status,
                   "malformed_next": args.malformed_next, "duplicate_next": args.duplicate_next, "down": args.down})
    state = RegisterState(SimulatorConfig(seed=args.seed, faults=faults))
    server = RegisterServer((args.host, args.port), state, verbose=args.verbose)
    serve(server, f"Mô phỏng CSDL đăng ký doanh nghiệp / business register simulator: http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
