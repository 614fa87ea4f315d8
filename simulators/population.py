"""A local simulator of the national population database (CSDL quốc gia về dân cư), with fault injection.

Run it:  python -m simulators.population --port 8304                                   (docs/population.md)

It speaks the (GUESSED) messages of ``motcua.adapters.population`` and needs no Django. The province
reaches it through the LGSP simulator's route ``dancu`` (``scripts/simulators.sh`` sets it up):

- ``POST /`` (any path)   a ``TraCuuThongTinCongDan`` look-up -> found / not found; a malformed ID number or
                          request gets ``error_code`` 1; a repeated ``MaYeuCau`` gets the same answer again;
- ``GET  /``              a Vietnamese page: the fake citizens and households, the last look-ups, active faults;
- ``GET  /_state``        the same as JSON;
- ``GET|POST /_faults``   read or change the injected faults (JSON, see ``PopulationFaults``); ``POST /_reset``.

The citizens are fictitious but consistent: each number fits its holder's birth province, century, sex and year,
households list each other, and the demo's citizens (nguyenvana, tranthibinh) have the numbers ``setup_demo``
gives their accounts. ``075090009999`` is a well-formed number that is not registered (answer "not found").
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import random
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from motcua.adapters import population as pop
from simulators._base import BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve
from simulators.national_portal import Faults

MAX_BODY_BYTES = 64 * 1024
RECENT_LOOKUPS = 50
NOT_REGISTERED = "075090009999"


def _home(detail: str, commune: str, commune_name: str, province: str = "75",
          province_name: str = "tỉnh Đồng Nai") -> pop.Residence:
    return pop.Residence(province_code=province, commune_code=commune, detail=detail,
                         full_text=f"{detail}, {commune_name}, {province_name}")


_TRAN_BIEN = ("26041", "phường Trấn Biên")
_LONG_THANH = ("26368", "xã Long Thành")
_DONG_XOAI = ("25210", "phường Đồng Xoài")


def _people() -> dict[str, pop.Person]:
    """The fake population: three households in Đồng Nai and one citizen born in Hà Nội."""
    an_home = _home("Số 12 đường Võ Thị Sáu, khu phố 3", *_TRAN_BIEN)
    binh_home = _home("Tổ 5, ấp Phước Hòa", *_LONG_THANH)
    binh_now = _home("Số 8 đường Phạm Văn Thuận, khu phố 1", *_TRAN_BIEN)
    hung_home = _home("Số 45 đường Phú Riềng Đỏ, khu phố Tân Trà", *_DONG_XOAI)
    households = {
        "HK-75-000101": ("075090001234", "Nguyễn Văn An", [
            ("075090001234", "Nguyễn Văn An", "Chủ hộ"), ("075196002222", "Lê Thị Hồng", "Vợ"),
            ("075226001111", "Nguyễn Minh Khôi", "Con")]),
        "HK-75-000202": ("075195004321", "Trần Thị Bình", [
            ("075195004321", "Trần Thị Bình", "Chủ hộ"), ("075060004444", "Trần Văn Tâm", "Cha")]),
        "HK-75-000303": ("075085003456", "Phạm Văn Hùng", [
            ("075085003456", "Phạm Văn Hùng", "Chủ hộ"), ("075187005555", "Võ Thị Mai", "Vợ")]),
    }
    rows = [  # number, name, born, sex, household, permanent, current
        ("075090001234", "Nguyễn Văn An", dt.date(1990, 3, 15), pop.SEX_MALE, "HK-75-000101", an_home, an_home),
        ("075196002222", "Lê Thị Hồng", dt.date(1996, 7, 2), pop.SEX_FEMALE, "HK-75-000101", an_home, an_home),
        ("075226001111", "Nguyễn Minh Khôi", dt.date(2026, 11, 18), pop.SEX_MALE, "HK-75-000101", an_home, an_home),
        ("075195004321", "Trần Thị Bình", dt.date(1995, 9, 20), pop.SEX_FEMALE, "HK-75-000202", binh_home,
         binh_now),
        ("075060004444", "Trần Văn Tâm", dt.date(1960, 1, 8), pop.SEX_MALE, "HK-75-000202", binh_home, binh_home),
        ("075085003456", "Phạm Văn Hùng", dt.date(1985, 1, 5), pop.SEX_MALE, "HK-75-000303", hung_home, hung_home),
        ("075187005555", "Võ Thị Mai", dt.date(1987, 12, 24), pop.SEX_FEMALE, "HK-75-000303", hung_home,
         hung_home),
        ("001098006789", "Hoàng Đức Minh", dt.date(1998, 5, 30), pop.SEX_MALE, "",
         _home("Số 3 ngõ 45 phố Trần Duy Hưng", "00175", "phường Yên Hòa", "01", "thành phố Hà Nội"),
         _home("Số 21 đường Đồng Khởi, khu phố 2", *_TRAN_BIEN)),
    ]
    people = {}
    for number, name, born, sex, code, permanent, current in rows:
        household = None
        if code:
            head_id, head_name, members = households[code]
            relation = next(r for n, _m, r in members if n == number)
            household = pop.Household(code=code, head_national_id=head_id, head_name=head_name,
                                      relation_to_head=relation,
                                      members=tuple(pop.HouseholdMember(n, m, r) for n, m, r in members))
        people[number] = pop.Person(national_id=number, full_name=name, date_of_birth=born, sex=sex,
                                    permanent_residence=permanent, current_residence=current, ethnicity="Kinh",
                                    nationality="Việt Nam", household=household)
    return people


PEOPLE: Mapping[str, pop.Person] = _people()


@dataclass
class PopulationFaults:
    """What goes wrong, changed at run time through ``POST /_faults`` (JSON with any of these keys) or CLI flags.
    Counters (``*_next``) are spent one per look-up."""

    delay_ms: int = 0  # answer this much later
    timeout: bool = False  # never answer (hold the connection, then drop it)
    fail_next: int = 0  # answer HTTP ``fail_status`` to the next K look-ups
    fail_ratio: float = 0.0  # ... or to this share of them
    fail_status: int = 503
    malformed_next: int = 0  # answer the next K look-ups with a body that is not JSON
    error_next: int = 0  # answer the next K look-ups with error_code 99 ("service error")
    wrong_person_next: int = 0  # answer the next K look-ups with another citizen's record (a mixed-up answer)
    down: bool = False  # close every connection without a byte

    def update(self, changes: Mapping[str, Any]) -> None:
        """The same validation as the portal simulator's faults."""
        Faults.update(self, changes)  # type: ignore[arg-type]


@dataclass
class LookupLog:
    at: str
    request_id: str
    national_id: str  # shown masked on the page
    outcome: str
    purpose: str
    repeated: bool = False


@dataclass
class SimulatorConfig:
    seed: int | None = None
    faults: PopulationFaults = field(default_factory=PopulationFaults)


class PopulationState(FaultCounters):
    """Look-ups and faults, behind one lock; the population itself is fixed."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.lock = threading.Lock()
        self.lookups: deque[LookupLog] = deque(maxlen=RECENT_LOOKUPS)
        self.answers: dict[str, bytes] = {}  # MaYeuCau -> the answer given (a repeated request gets it again)
        self.count = 0
        self.random = random.Random(config.seed)  # noqa: S311 - fault ratios, not security

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"people": len(PEOPLE), "lookups_total": self.count,
                    "lookups": [asdict(entry) for entry in self.lookups], "faults": asdict(self.faults)}

    def reset(self) -> None:
        with self.lock:
            self.lookups.clear()
            self.answers.clear()
            self.count = 0
            self.reset_faults()

    def lookup(self, body: bytes) -> bytes:
        """The answer to one look-up request (already past the transport faults)."""
        try:
            request = pop.parse_lookup_request(body)
        except pop.PopulationMessageError as exc:
            return pop.encode(pop.build_lookup_answer("", None, code=pop.CODE_BAD_REQUEST,
                                                      message=f"Yêu cầu không hợp lệ: {exc}"))
        with self.lock:
            self.count += 1
            earlier = self.answers.get(request.request_id)
        if earlier is not None:
            self._log(request, "lặp lại", repeated=True)
            return earlier
        if self.take("error_next"):
            self._log(request, "lỗi dịch vụ")
            return pop.encode(pop.build_lookup_answer(request.request_id, None, code=pop.CODE_SERVICE_ERROR,
                                                      message="Hệ thống đang bận, vui lòng thử lại sau"))
        try:
            pop.check_national_id(request.national_id)
        except pop.NationalIdError as exc:
            self._log(request, "số không hợp lệ")
            return pop.encode(pop.build_lookup_answer(request.request_id, None, code=pop.CODE_BAD_REQUEST,
                                                      message=exc.message_vi))
        person = PEOPLE.get(request.national_id)
        if person is not None and self.take("wrong_person_next"):
            person = next(p for n, p in PEOPLE.items() if n != request.national_id)
        answer = pop.encode(pop.build_lookup_answer(request.request_id, person, household=request.household,
                                                    message="Thành công"))
        with self.lock:
            self.answers[request.request_id] = answer
        self._log(request, "tìm thấy" if person else "không tìm thấy")
        return answer

    def _log(self, request: pop.LookupRequest, outcome: str, *, repeated: bool = False) -> None:
        with self.lock:
            self.lookups.appendleft(LookupLog(at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                                              request_id=request.request_id, national_id=request.national_id,
                                              outcome=outcome, purpose=request.purpose, repeated=repeated))


class PopulationHandler(SimulatorHandler[PopulationState]):
    server: PopulationServer
    MAX_BODY_BYTES = MAX_BODY_BYTES

    def _refuse_body(self, *, too_large: bool) -> None:
        self._send_json({"error_code": pop.CODE_BAD_REQUEST, "message": "Nội dung quá lớn"},
                        HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def encode(self, data: Any) -> bytes:
        return pop.encode(data)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/_faults":
            self._send_json(asdict(self.state.faults))
        elif path == "/_state":
            self._send_json(self.state.snapshot())
        elif path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, render_page(self.state).encode("utf-8"), "text/html; charset=utf-8",
                       {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})
        else:
            self._send_json({"error_code": pop.CODE_BAD_REQUEST, "message": "Không tìm thấy"},
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
        else:
            self._lookup(body)


    def _lookup(self, body: bytes) -> None:
        faults = self.state.faults
        if self._dropped():
            return
        if self.state.should_fail():
            status = faults.fail_status
            self._send(status, f"<html><body>{status} simulated failure</body></html>".encode(),
                       "text/html; charset=utf-8")
            return
        answer = self.state.lookup(body)
        if self.state.take("malformed_next"):
            self._send(HTTPStatus.OK, answer[: max(1, len(answer) // 2)])
            return
        self._send(HTTPStatus.OK, answer)


class PopulationServer(SimulatorServer[PopulationState]):
    handler_class = PopulationHandler


class PopulationSimulator(BackgroundSimulator[PopulationServer]):
    """Start and stop the simulator in a background thread (tests, scripts)."""
    thread_name = "population-sim"

    def __init__(self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.state = PopulationState(self.config)
        self.server = PopulationServer((host, port), self.state)


def _masked(number: str) -> str:
    return number[:3] + "******" + number[-3:] if len(number) == 12 else "***"


def render_page(state: PopulationState) -> str:
    e = html.escape
    snapshot = state.snapshot()
    sex = {pop.SEX_MALE: "Nam", pop.SEX_FEMALE: "Nữ"}
    people = "".join(
        f"<tr><td>{e(p.national_id)}</td><td>{e(p.full_name)}</td>"
        f"<td>{p.date_of_birth.strftime('%d/%m/%Y') if p.date_of_birth else ''}</td><td>{sex.get(p.sex, '')}</td>"
        f"<td>{e(p.household.code + ' — ' + p.household.relation_to_head if p.household else '')}</td>"
        f"<td>{e(p.permanent_residence.full_text)}</td></tr>"
        for p in PEOPLE.values())
    lookups = "".join(
        f"<tr><td>{e(x['at'])}</td><td>{e(_masked(x['national_id']))}</td><td>{e(x['outcome'])}</td>"
        f"<td>{e(x['purpose'])}</td></tr>" for x in snapshot["lookups"])
    active = ", ".join(f"{k}={v}" for k, v in snapshot["faults"].items()
                       if v not in (0, 0.0, False) and k != "fail_status")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mô phỏng Cơ sở dữ liệu quốc gia về dân cư</title>
<style>
body{{font-family:Arial,sans-serif;margin:0;padding:16px;max-width:960px;color:#0b0c0c;line-height:1.4}}
h1{{font-size:1.5rem}} .banner{{background:#fff7bf;padding:8px;border-left:5px solid #ffdd00}}
.table{{overflow-x:auto}} table{{border-collapse:collapse;width:100%}}
td,th{{border-bottom:1px solid #b1b4b6;padding:4px;text-align:left;vertical-align:top;overflow-wrap:anywhere}}
a{{color:#1d70b8;display:inline-block;min-height:44px;line-height:44px}}
</style></head><body>
<p class="banner">Máy chủ mô phỏng để thử nghiệm và trình diễn — dữ liệu công dân là giả, không phải CSDL thật.</p>
<h1>Cơ sở dữ liệu quốc gia về dân cư (mô phỏng)</h1>
<p>Số lượt tra cứu: {int(snapshot["lookups_total"])}. Lỗi đang giả lập: {e(active) or "không có"}.
Số định danh {NOT_REGISTERED} hợp lệ nhưng không có trong CSDL.</p>
<h2>Công dân ({len(PEOPLE)})</h2>
<div class="table"><table><thead><tr><th>Số định danh</th><th>Họ và tên</th><th>Ngày sinh</th><th>Giới tính</th>
<th>Hộ gia đình</th><th>Nơi thường trú</th></tr></thead><tbody>{people}</tbody></table></div>
<h2>Các lượt tra cứu gần nhất ({len(snapshot["lookups"])})</h2>
<div class="table"><table><thead><tr><th>Thời điểm (UTC)</th><th>Số định danh</th><th>Kết quả</th><th>Mục đích</th>
</tr></thead><tbody>{lookups or '<tr><td colspan="4">Chưa có lượt tra cứu nào.</td></tr>'}</tbody></table></div>
<p><a href="/">Tải lại trang</a></p>
</body></html>"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m simulators.population", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8304)
    p.add_argument("--seed", type=int, help="seed for --fail-ratio")
    p.add_argument("--delay-ms", type=int, default=0)
    p.add_argument("--timeout", action="store_true", help="never answer")
    p.add_argument("--fail-next", type=int, default=0, help="answer 5xx to the next K look-ups")
    p.add_argument("--fail-ratio", type=float, default=0.0)
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--malformed-next", type=int, default=0)
    p.add_argument("--error-next", type=int, default=0, help="answer error_code 99 to the next K look-ups")
    p.add_argument("--wrong-person-next", type=int, default=0)
    p.add_argument("--down", action="store_true")
    p.add_argument("--verbose", action="store_true", help="log each request")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    faults = PopulationFaults()
    faults.update({"delay_ms": args.delay_ms, "timeout": args.timeout, "fail_next": args.fail_next,
                   "fail_ratio": args.fail_ratio, "fail_status": args.fail_status,
                   "malformed_next": args.malformed_next, "error_next": args.error_next,
                   "wrong_person_next": args.wrong_person_next, "down": args.down})
    server = PopulationServer((args.host, args.port), PopulationState(SimulatorConfig(seed=args.seed, faults=faults)),
                              verbose=args.verbose)
    serve(server, f"Mô phỏng CSDL quốc gia về dân cư / population database simulator: http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
