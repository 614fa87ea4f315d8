"""A local simulator of the national portal's petitions system (PAKN), with fault injection.

Run it:  python -m simulators.national_petitions --port 8309      (docs/integrations.md)

It speaks the messages of ``motcua.adapters.national_petitions`` (all GUESSED shapes, reference note
§7) and needs no Django:

- ``POST /``               ``LayDanhSachPAKN`` (the petitions not yet acknowledged), ``XacNhanPAKN`` (acknowledge,
                           idempotent), ``DongBoKetQuaPAKN`` (the answer and the publish flag, idempotent);
- ``GET  /``               a Vietnamese page: the petitions, their state and answers;
- ``GET  /_state``         the same as JSON;
- ``GET|POST /_faults``    the injected faults (JSON): ``delay_ms``, ``timeout``, ``fail_next`` / ``fail_ratio``
                           with ``fail_status``, ``malformed_next`` (a body that is not JSON), ``duplicate_next`` (each
                           pulled petition twice in the answer), ``down``;
- ``POST /_petitions``     add a petition (its wire JSON) — tests and the demo;
- ``POST /_reset``         back to the fixtures, no faults.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime
from http import HTTPStatus
from typing import Any

from motcua.adapters import national_petitions as pakn
from simulators._base import BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve
from simulators.national_portal import Faults

MAX_BODY_BYTES = 256 * 1024

# Demo agency codes: the e-ID codes of setup_demo's agencies (an unknown one shows the "held" path).
FIXTURES: tuple[pakn.NationalPetition, ...] = (
    pakn.NationalPetition(
        national_id="PAKN-2026-000101", agency_code="000.00.15.H19", agency_name="Sở Xây dựng tỉnh Đồng Nai",
        title="Chậm trả kết quả cấp phép xây dựng",
        content="Hồ sơ cấp giấy phép xây dựng của tôi đã quá hạn 5 ngày nhưng chưa nhận được kết quả.",
        name="Lê Văn Hùng", phone="0912345678", email="", address="Phường Trấn Biên, Tỉnh Đồng Nai",
        sent_at=datetime(2026, 4, 20, 9, 30), consent_to_publish=True),  # noqa: DTZ001 - local time
    pakn.NationalPetition(
        national_id="PAKN-2026-000102", agency_code="999.99.99.X99", agency_name="Đơn vị không có trong tỉnh",
        title="Kiến nghị đơn giản hoá thủ tục", content="Đề nghị bỏ yêu cầu nộp bản sao giấy tờ đã có trong CSDL.",
        name="Phạm Thị Lan", phone="", email="lan@example.vn", address="",
        sent_at=datetime(2026, 4, 21, 14, 0), consent_to_publish=False),  # noqa: DTZ001 - local time
)


@dataclass
class Stored:
    wire: dict[str, Any]
    acknowledged: bool = False
    answers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SimulatorConfig:
    seed: int | None = None
    fixtures: bool = True
    faults: Faults = field(default_factory=Faults)


class PetitionsState(FaultCounters):
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.lock = threading.Lock()
        self.random = random.Random(config.seed)  # noqa: S311 - fault ratios, not security
        self.petitions: dict[str, Stored] = {}
        self.calls: list[str] = []
        self._load()

    def _load(self) -> None:
        self.petitions = ({p.national_id: Stored(pakn.petition_to_wire(p)) for p in FIXTURES}
                          if self.config.fixtures else {})

    def reset(self) -> None:
        with self.lock:
            self._load()
            self.calls.clear()
            self.reset_faults()

    def put(self, item: Any) -> str:
        if not isinstance(item, dict) or not pakn.national_id_of(item):
            raise ValueError("a petition needs a MAPAKN")
        with self.lock:
            self.petitions[pakn.national_id_of(item)] = Stored(dict(item))
        return pakn.national_id_of(item)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"petitions": {k: asdict(v) for k, v in self.petitions.items()}, "calls": list(self.calls)}

    def answer(self, body: bytes, duplicate: bool) -> dict[str, Any]:
        try:
            request = pakn.parse_request(body)
        except pakn.PetitionMessageError as exc:
            return pakn.build_result(pakn.ERROR_CODE_INVALID, f"Dữ liệu không hợp lệ: {exc}")
        service = request["service"]
        with self.lock:
            self.calls.append(service)
            if service == pakn.SERVICE_PULL:
                limit = request.get("SoLuong") if isinstance(request.get("SoLuong"), int) else pakn.PAGE_SIZE
                items = [s.wire for s in self.petitions.values() if not s.acknowledged][:limit]
                if duplicate:
                    items = [x for item in items for x in (item, item)]
                return pakn.build_result(pakn.ERROR_CODE_SUCCESS, "Thành công", items)
            stored = self.petitions.get(pakn.national_id_of(request))
            if stored is None:
                return pakn.build_result(-1, "Không tìm thấy phản ánh, kiến nghị")
            if service == pakn.SERVICE_ACK:
                stored.acknowledged = True
            else:
                stored.answers.append({k: request[k] for k in ("NOIDUNGTRALOI", "NGUOITRALOI", "NGAYTRALOI",
                                                               "CONGKHAI")})
            return pakn.build_result(pakn.ERROR_CODE_SUCCESS, "Thành công")


class PetitionsHandler(SimulatorHandler[PetitionsState]):
    server: PetitionsServer
    MAX_BODY_BYTES = MAX_BODY_BYTES
    disable_nagle_algorithm = True

    def encode(self, data: Any) -> bytes:
        return pakn.encode(data)

    def do_GET(self) -> None:
        if self.path == "/_faults":
            self._send_json(asdict(self.state.faults))
        elif self.path == "/_state":
            self._send_json(self.state.snapshot())
        elif self.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, render_page(self.state).encode("utf-8"), "text/html; charset=utf-8")
        else:
            self._send_json(pakn.build_result(-1, "Không tìm thấy"), HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            return
        if self.path == "/_faults":
            self._control(body)
        elif self.path == "/_reset":
            self.state.reset()
            self._send_json({"ok": True})
        elif self.path == "/_petitions":
            try:
                national_id = self.state.put(json.loads(body or b"{}"))
            except (ValueError, UnicodeDecodeError) as exc:
                self._send_json({"error": str(exc)}, HTTPStatus.BAD_REQUEST)
                return
            self._send_json({"ok": True, "MAPAKN": national_id})
        elif self.path == pakn.PATH:
            self._service(body)
        else:
            self._send_json(pakn.build_result(-1, "Không tìm thấy"), HTTPStatus.NOT_FOUND)

    def _service(self, body: bytes) -> None:
        faults = self.state.faults
        if self._dropped():
            return
        if self.state.should_fail():
            status = faults.fail_status
            self._send(status, f"<html><body>{status} simulated failure</body></html>".encode(),
                       "text/html; charset=utf-8")
            return
        if self.state.take("malformed_next"):  # nothing is processed: the answer is cut short
            self._send(HTTPStatus.OK, b'{"error_code": 0, "message": "Th\xe1nh c\xf4ng", "result": [{')
            return
        self._send_json(self.state.answer(body, self.state.take("duplicate_next")))


class PetitionsServer(SimulatorServer[PetitionsState]):
    handler_class = PetitionsHandler


class PetitionsSimulator(BackgroundSimulator[PetitionsServer]):
    """Start and stop the simulator in a background thread (tests, scripts)."""
    thread_name = "national-petitions-sim"

    def __init__(self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.state = PetitionsState(self.config)
        self.server = PetitionsServer((host, port), self.state)


def render_page(state: PetitionsState) -> str:
    snap = state.snapshot()
    rows = []
    for national_id, stored in snap["petitions"].items():
        wire = stored["wire"]
        answer = stored["answers"][-1] if stored["answers"] else None
        rows.append(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
                html.escape(national_id), html.escape(str(wire.get("MADONVI", ""))),
                html.escape(str(wire.get("TIEUDE", ""))),
                "Đã xác nhận" if stored["acknowledged"] else "Chờ tỉnh lấy về",
                html.escape(f"{answer['NOIDUNGTRALOI']} (công khai: {'có' if answer['CONGKHAI'] else 'không'})")
                if answer else "Chưa trả lời"))
    return ("<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>Hệ thống phản ánh, kiến nghị quốc gia (mô phỏng)</title></head><body>"
            "<h1>Hệ thống phản ánh, kiến nghị quốc gia (mô phỏng)</h1>"
            "<p>Cấu trúc thông điệp là phỏng đoán (không có tài liệu công khai).</p>"
            "<table><thead><tr><th>Mã PAKN</th><th>MADONVI</th><th>Tiêu đề</th><th>Trạng thái</th>"
            "<th>Trả lời</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></body></html>")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8309)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--no-fixtures", action="store_true", help="start with no petitions")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    state = PetitionsState(SimulatorConfig(seed=args.seed, fixtures=not args.no_fixtures))
    server = PetitionsServer((args.host, args.port), state, verbose=args.verbose)
    serve(server, f"national petitions simulator on http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
