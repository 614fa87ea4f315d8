"""A local simulator of the national public-service portal (Cổng DVCQG) integration API, with fault injection.

Run it:  python -m simulators.national_portal --port 8301      (docs/integrations-national-portal.md)

It speaks the messages of ``motcua.adapters.national_portal`` (the same builders and parsers the
province's client uses) and needs no Django:

- ``POST /auth``         session log-in ``{"username", "password"}`` -> ``{"error_code": 0, "session": ...}``;
- ``POST /integration``  ``DongBoHoSoMC``, ``CapNhatTienDoHoSoMC``, ``TraCuuHoSo``;
- ``POST /share``        ``LayThuTuc``, ``LayDanhSachTTHC``, ``LayDanhMucCoQuan``, ``LayDanhMucLinhVuc`` (the demo
                         catalog with a few differences; any service is accepted on either path);
- ``GET /``              a Vietnamese page listing received dossiers and their progress (for the demo);
- ``GET /_state``        the stored dossiers as JSON;
- ``GET|POST /_faults``  read or change the injected faults (JSON, see ``Faults``); ``POST /_reset`` forgets all.

The portal side of the inbound direction (the portal calling the province; docs/integrations-national-portal.md):

- ``POST /_inbound``     ``{"action": "push" | "status" | "evaluate", "mahoso": ..., "times": N}`` (JSON, or the
  demo page's form): push a dossier submitted "on the portal" to the province's push endpoint (``times`` 2 pushes
  the same one twice), ask the status of one, or send a citizen's evaluation; the answers are kept for the page;
- ``GET /_files/<name>`` the files of the pushed dossiers, which the province downloads by URL.

Every portal call needs the ``dstcode`` header; operations need a live ``session`` and the configured ``madonvi``.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

from motcua.adapters import national_portal as portal
from simulators._base import BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve

PORTAL_PATHS = ("/auth", "/integration", "/share")
FETCH_TIMEOUT_SECONDS = 10.0  # how long a "timeout" call is held before the connection is dropped unanswered

# --- The national procedures database (LayThuTuc, LayDanhSachTTHC, LayDanhMucLinhVuc, LayDanhMucCoQuan) ---------
# Built from the demo catalog (the province's own procedures) with a few deliberate differences, so that the
# catalog sync has something to show; plus one national procedure the province does not have. Simulated data: the
# differences, field codes and dates below are invented for the demo, not published facts.
DEMO_CATALOG = Path(__file__).resolve().parent.parent / "motcua" / "catalog" / "fixtures" / \
    "demo_procedures_dong_nai.json"
NATIONAL_FIELD_CODES: dict[str, str] = {  # simulated MALINHVUC per local field code
    "dat_dai": "G13-TN01", "ho_tich": "G09-TP03", "hoat_dong_xay_dung": "G12-XD02", "chung_thuc": "G09-TP05",
    "thanh_lap_hoat_dong_doanh_nghiep": "G07-KH01",
}
PUBLICATION = {"SOQUYETDINH": "2228/QĐ-UBND", "NGAYQUYETDINH": "20250602000000", "NGAYHIEULUC": "20250701000000",
               "NGAYCONGKHAI": "20250605000000"}
NEW_NATIONAL_PROCEDURE: dict[str, Any] = {
    "MATTHC": "1.013840",
    "TENTTHC": "Đăng ký biến động đất đai do chuyển mục đích sử dụng đất không phải xin phép",
    "LINHVUCTHUCHIEN": [{"MALINHVUC": "G13-TN01", "TENLINHVUC": "Đất đai"}],
    "CAPTHUCHIEN": "Cấp Tỉnh",
    "CACHTHUCTHUCHIEN": [{"KENH": "1", "THOIGIAN": [{
        "THOIGIANGIAIQUYET": "5", "DONVITINH": "Ngày làm việc", "MOTA": "Không quá 05 ngày làm việc.",
        "PHILEPHI": [{"MAPHILEPHI": "PLP01", "SOTIEN": "100000", "DONVI": "Đồng", "MOTA": "Phí thẩm định hồ sơ"}]}]}],
    "THANHPHANHOSO": [{"TRUONGHOP": "", "GIAYTO": [
        {"MAGIAYTO": "GT01", "TENGIAYTO": "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 18)",
         "TENMAUDON": "Mẫu số 18", "URL": "", "SOLUONG": "1", "BANCHINH": "1", "BANSAO": "0"},
        {"MAGIAYTO": "GT02", "TENGIAYTO": "Bản gốc Giấy chứng nhận đã cấp", "TENMAUDON": "", "URL": "",
         "SOLUONG": "1", "BANCHINH": "1", "BANSAO": "0"}]}],
    "TRINHTUTHUCHIEN": [{"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": "Nộp hồ sơ"}, {"TENTRINHTU": "Giải quyết"},
                                                       {"TENTRINHTU": "Trả kết quả"}]}],
    "COQUANTHUCHIEN": [{"MADONVI": "000.01.16.H19", "TENDONVI": "Văn phòng đăng ký đất đai"}],
    "YEUCAU": "Không",
    "KETQUATHUCHIEN": [{"MAKETQUA": "KQ01", "TENKETQUA": "Giấy chứng nhận đã xác nhận thay đổi"}],
    "CANCUPHAPLY": [{"SOVANBAN": "31/2024/QH15", "TENVANBAN": "Luật Đất đai"}],
    "DOITUONGTHUCHIEN": [{"TENDOITUONG": "Công dân Việt Nam"}, {"TENDOITUONG": "Tổ chức"}],
    "MOTADOITUONGTHUCHIEN": "",
    "MACOQUANCONGBO": "000.00.00.H19",
    "TRANGTHAI": "1",
    **PUBLICATION,
}


def _national_fee(fee: Mapping[str, Any], amount_key: str = "amount") -> dict[str, Any]:
    amount = fee.get(amount_key, fee.get("amount", 0))
    per_item_text = fee.get("kind") == "per_item" and not amount and fee.get("unit")
    return {"MAPHILEPHI": "", "SOTIEN": str(fee["unit"]) if per_item_text else str(amount), "DONVI": "Đồng",
            "MOTA": fee["name"]}


def national_record(local: Mapping[str, Any]) -> dict[str, Any]:
    """The national shape (reference §1, LayThuTuc) of one catalog record (docs/catalog-format.md)."""
    fees = list(local.get("fees", []))
    channels: list[dict[str, Any]] = [{"KENH": "1", "THOIGIAN": [{
        "THOIGIANGIAIQUYET": str(local["statutory_days"]),
        "DONVITINH": "Ngày" if local.get("statutory_unit") == "calendar_days" else "Ngày làm việc",
        "MOTA": local.get("time_rule", ""), "PHILEPHI": [_national_fee(f) for f in fees]}]}]
    if local.get("service_level") != "truc_tiep":
        channels.append({"KENH": "2", "THOIGIAN": [{
            "THOIGIANGIAIQUYET": str(local["statutory_days"]), "DONVITINH": channels[0]["THOIGIAN"][0]["DONVITINH"],
            "MOTA": "", "PHILEPHI": [_national_fee(f, "online_amount") for f in fees]}]})
    documents = list(local.get("required_documents", []))

    def giayto(doc: Mapping[str, Any], n: int) -> dict[str, Any]:
        return {"MAGIAYTO": f"GT{n:02d}", "TENGIAYTO": doc["name"], "TENMAUDON": "", "URL": "",
                "SOLUONG": str(doc.get("quantity", 1)), "BANCHINH": "1", "BANSAO": "0"}

    agencies = list(local.get("competent_agencies", []))
    return {
        "MATTHC": local["national_code"],
        "TENTTHC": local["name"],
        "LINHVUCTHUCHIEN": [{"MALINHVUC": NATIONAL_FIELD_CODES.get(local["field_code"], local["field_code"]),
                             "TENLINHVUC": local["field_name"]}],
        "CAPTHUCHIEN": {"province": "Cấp Tỉnh", "commune": "Cấp Xã", "central": "Cấp Bộ"}[local["level"]],
        "CACHTHUCTHUCHIEN": channels,
        "THANHPHANHOSO": [
            {"TRUONGHOP": "", "GIAYTO": [giayto(d, i + 1) for i, d in enumerate(documents) if d.get("mandatory")]},
            {"TRUONGHOP": "Trường hợp có liên quan", "GIAYTO": [
                giayto(d, i + 1) for i, d in enumerate(documents) if not d.get("mandatory")]},
        ],
        "TRINHTUTHUCHIEN": [{"TRUONGHOP": "", "TRINHTU": [
            {"TENTRINHTU": step["name"]} for step in local["process_definition"]["steps"]]}],
        "COQUANTHUCHIEN": [{"MADONVI": agencies[0] if agencies else "", "TENDONVI": local["competent_authority"]}],
        "YEUCAU": "",
        "KETQUATHUCHIEN": [{"MAKETQUA": "KQ01", "TENKETQUA": local["result_type"]}],
        "CANCUPHAPLY": [{"SOVANBAN": "", "TENVANBAN": text} for text in local.get("legal_basis", [])],
        "DOITUONGTHUCHIEN": [{"TENDOITUONG": "Công dân Việt Nam"}],
        "MOTADOITUONGTHUCHIEN": "",
        "MACOQUANCONGBO": "000.00.00.H19",
        "TRANGTHAI": "1",
        **PUBLICATION,
        "NGAYHIEULUC": local["effective_from"].replace("-", "") + "000000",
    }


def _differ(records: dict[str, dict[str, Any]]) -> None:
    """The simulated national changes the province has not taken up yet."""
    land = records.get("1.013831")
    if land is not None:  # a longer time limit, one more document, one more legal text, a later decision
        counter = land["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]
        counter["THOIGIANGIAIQUYET"] = "10"
        counter["MOTA"] = ("Không quá 10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ (không kể thời gian thực hiện "
                           "nghĩa vụ tài chính).")
        land["THANHPHANHOSO"][0]["GIAYTO"].append(
            {"MAGIAYTO": "GT09", "TENGIAYTO": "Sơ đồ tài sản gắn liền với đất (nếu có thay đổi tài sản)",
             "TENMAUDON": "", "URL": "", "SOLUONG": "1", "BANCHINH": "1", "BANSAO": "0"})
        land["CANCUPHAPLY"].append({"SOVANBAN": "", "TENVANBAN": "Quyết định công bố TTHC sửa đổi (mô phỏng)"})
        land.update(SOQUYETDINH="3001/QĐ-UBND", NGAYQUYETDINH="20261102000000", NGAYHIEULUC="20261201000000",
                    NGAYCONGKHAI="20261105000000")
    rename = records.get("1.013833")
    if rename is not None:  # a changed fee
        rename["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = "200000"


def load_national_catalog(path: Path = DEMO_CATALOG) -> dict[str, dict[str, Any]]:
    """MATTHC -> LayThuTuc item: the demo catalog's procedures under a plain national code, with the differences."""
    records: dict[str, dict[str, Any]] = {}
    if path.exists():
        raw = json.loads(path.read_text(encoding="utf-8"))
        for local in raw["procedures"] if isinstance(raw, dict) else raw:
            if len(local["national_code"]) == 8:  # 1.013831, not the province's localised 2.000815.000.00.00.H19.02
                records[local["national_code"]] = national_record(local)
    _differ(records)
    records[NEW_NATIONAL_PROCEDURE["MATTHC"]] = NEW_NATIONAL_PROCEDURE
    return records


NATIONAL_CATALOG: dict[str, dict[str, Any]] = load_national_catalog()
FIELD_FIXTURE: list[dict[str, Any]] = [
    {"MALINHVUC": code, "TENLINHVUC": name, "MANGANH": code.split("-")[0]}
    for code, name in sorted({(item["LINHVUCTHUCHIEN"][0]["MALINHVUC"], item["LINHVUCTHUCHIEN"][0]["TENLINHVUC"])
                              for item in NATIONAL_CATALOG.values()})
]
AGENCY_FIXTURE: list[dict[str, Any]] = [
    {"MADONVI": "000.00.00.H19", "TENDONVI": "UBND tỉnh Đồng Nai", "CAPDONVI": 1},
    {"MADONVI": "000.00.19.H19", "TENDONVI": "Sở Tư pháp tỉnh Đồng Nai", "CAPDONVI": 2},
    {"MADONVI": "000.01.16.H19", "TENDONVI": "Văn phòng đăng ký đất đai tỉnh Đồng Nai", "CAPDONVI": 3},
]


@dataclass
class Faults:
    """What goes wrong, changed at run time through ``POST /_faults`` (JSON with any of these keys) or CLI flags.

    Counters (``*_next``) are spent one per portal call; ``expire_sessions`` is an action, not a state."""

    delay_ms: int = 0  # answer this much later
    timeout: bool = False  # never answer (hold the connection, then drop it)
    fail_next: int = 0  # answer HTTP ``fail_status`` to the next K calls
    fail_ratio: float = 0.0  # ... or to this share of calls
    fail_status: int = 503
    malformed_next: int = 0  # process the next K calls, then answer a body that is not JSON
    duplicate_next: int = 0  # store the next K pushes but answer "already received"
    down: bool = False  # close every connection without a byte

    def update(self, changes: Mapping[str, Any]) -> None:
        known = {f.name: f.type for f in fields(self)}
        for name, value in changes.items():
            if name == "expire_sessions":
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
class SimulatorConfig:
    username: str = "motcua-demo"
    password: str = "motcua-demo-password"  # noqa: S105 - a local simulator's demo credential
    agency_code: str = "000.00.00.H19"  # madonvi
    dstcode: str = "VN:GOV:000.00.00.G22:DVCQG"
    session_seconds: float = portal.SESSION_LIFETIME.total_seconds()
    state_file: Path | None = None
    fetch_files: bool = False  # download each TaiLieuNop URL, as the real portal does (off: tests stay on loopback)
    seed: int | None = None
    # The province's inbound endpoints (the portal side): base URL such as http://127.0.0.1:8000/api/v1/national-portal,
    # its bearer token, the receiving agency's code (madonvi) and the procedure of the dossiers pushed.
    province_url: str = ""
    province_token: str = ""
    province_agency: str = "000.01.70.H19"
    province_dstcode: str = ""
    push_procedure: tuple[str, str] = ("1.001193", "Đăng ký khai sinh")
    push_documents: tuple[tuple[str, str], ...] = (
        ("to_khai_khai_sinh", "Tờ khai đăng ký khai sinh"), ("giay_chung_sinh", "Giấy chứng sinh"),
        ("giay_to_tuy_than", "Giấy tờ tùy thân của người yêu cầu"))
    faults: Faults = field(default_factory=Faults)


@dataclass
class StoredProgress:
    step: dict[str, Any]
    received_at: str
    out_of_order: bool


@dataclass
class StoredDossier:
    dossier: dict[str, Any]
    first_received_at: str
    last_received_at: str
    versions: int = 1
    progress: list[StoredProgress] = field(default_factory=list)
    fetched: dict[str, str] = field(default_factory=dict)  # DuongDanTaiTepTin -> what fetching it gave


def _now_text() -> str:
    return portal.format_portal_datetime(datetime.now(UTC))


@dataclass
class InboundExchange:
    """One call the simulated portal made to the province, and what came back."""

    action: str
    code: str
    at: str
    status: int
    answer: dict[str, Any]


SAMPLE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
              b"trailer<</Root 1 0 R>>\n%%EOF\n")


class PortalState(FaultCounters):
    """Sessions, dossiers and faults, behind one lock."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.lock = threading.Lock()
        self.sessions: dict[str, float] = {}  # token -> monotonic expiry
        self.dossiers: dict[str, StoredDossier] = {}
        self.random = random.Random(config.seed)  # noqa: S311 - fault ratios, not security
        self.exchanges: list[InboundExchange] = []  # the portal side: calls made to the province, newest last
        self.pushed: list[str] = []  # MaHoSo of the dossiers pushed to the province
        if config.state_file is not None and config.state_file.exists():
            self._load(config.state_file)

    # --- persistence ---
    def _load(self, path: Path) -> None:
        raw = json.loads(path.read_text(encoding="utf-8"))
        for code, item in raw.get("dossiers", {}).items():
            progress = [StoredProgress(**p) for p in item.pop("progress", [])]
            self.dossiers[code] = StoredDossier(**item, progress=progress)

    def save(self) -> None:
        if self.config.state_file is None:
            return
        data = {"dossiers": {code: asdict(d) for code, d in self.dossiers.items()}}
        tmp = self.config.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.config.state_file)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"dossiers": {code: asdict(d) for code, d in self.dossiers.items()},
                    "inbound": [asdict(x) for x in self.exchanges], "pushed": list(self.pushed)}

    def reset(self) -> None:
        with self.lock:
            self.sessions.clear()
            self.dossiers.clear()
            self.exchanges.clear()
            self.pushed.clear()
            self.reset_faults()
            self.save()

    # --- sessions ---
    def log_in(self, username: str, password: str) -> str | None:
        if not (
            secrets.compare_digest(username.encode(), self.config.username.encode())
            and secrets.compare_digest(password.encode(), self.config.password.encode())
        ):
            return None
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.sessions[token] = time.monotonic() + self.config.session_seconds
        return token

    def session_valid(self, token: str) -> bool:
        with self.lock:
            expiry = self.sessions.get(token)
            if expiry is None:
                return False
            if time.monotonic() >= expiry:
                del self.sessions[token]
                return False
            return True

    def expire_sessions(self) -> None:
        with self.lock:
            self.sessions.clear()

    # --- faults ---
    # --- operations (return an answer dict) ---
    def sync_dossiers(self, fields_: Mapping[str, Any], duplicate: bool) -> dict[str, Any]:
        items = portal.parse_data_list(fields_)
        dossiers = [(portal.parse_dossier_object(item), dict(item)) for item in items]
        portal.parse_bool(fields_.get("isUpdating", "False"))
        now = _now_text()
        already = False
        with self.lock:
            for parsed, raw in dossiers:
                stored = self.dossiers.get(parsed.code)
                if stored is None:
                    self.dossiers[parsed.code] = StoredDossier(raw, now, now)
                else:
                    already = True
                    stored.dossier, stored.last_received_at = raw, now
                    stored.versions += 1
            self.save()
        if self.config.fetch_files:
            for parsed, _ in dossiers:
                urls = [f.url for f in parsed.files if f.url and not f.is_deleted]
                threading.Thread(target=self._fetch_files, args=(parsed.code, urls), daemon=True).start()
        codes = ", ".join(p.code for p, _ in dossiers)
        if duplicate:
            return portal.build_answer(portal.ERROR_CODE_DUPLICATE, f"Hồ sơ đã được tiếp nhận trước đó: {codes}")
        verb = "Cập nhật" if already else "Đồng bộ"
        return portal.build_answer(portal.ERROR_CODE_SUCCESS, f"{verb} thành công: {codes}")

    def _fetch_files(self, code: str, urls: list[str]) -> None:
        """Download the submitted files by URL, as the portal does, and record the outcome for the page."""
        for url in urls:
            if not url.startswith(("http://", "https://")):
                outcome = "lỗi: không phải địa chỉ http(s)"
            else:
                try:
                    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_SECONDS) as answer:  # noqa: S310
                        outcome = f"{answer.status}: {len(answer.read())} byte"
                except urllib.error.HTTPError as exc:
                    outcome = f"lỗi: HTTP {exc.code}"
                except (OSError, ValueError) as exc:
                    outcome = f"lỗi: {exc}"
            with self.lock:
                stored = self.dossiers.get(code)
                if stored is not None:
                    stored.fetched[url] = outcome
                    self.save()

    def update_progress(self, fields_: Mapping[str, Any], duplicate: bool) -> dict[str, Any]:
        items = portal.parse_data_list(fields_)
        steps = [(portal.parse_progress_object(item), dict(item)) for item in items]
        now = _now_text()
        flagged: list[str] = []
        with self.lock:
            unknown = sorted({s.dossier_code for s, _ in steps if s.dossier_code not in self.dossiers})
            if unknown:
                return portal.build_answer(
                    portal.ERROR_CODE_UNKNOWN_DOSSIER, f"Không tìm thấy hồ sơ: {', '.join(unknown)}"
                )
            for step, raw in steps:
                stored = self.dossiers[step.dossier_code]
                if any(p.step == raw for p in stored.progress):
                    continue  # the same step resent: idempotent
                last = max((p.step["ThoiDiemXuLy"] for p in stored.progress), default="")
                out_of_order = raw["ThoiDiemXuLy"] < last
                if out_of_order:
                    flagged.append(f"{step.dossier_code}@{raw['ThoiDiemXuLy']}")
                stored.progress.append(StoredProgress(raw, now, out_of_order))
            self.save()
        if duplicate:
            return portal.build_answer(portal.ERROR_CODE_DUPLICATE, "Tiến độ đã được tiếp nhận trước đó")
        message = "Cập nhật tiến độ thành công"
        if flagged:
            message += "; bước xử lý không theo thứ tự thời gian: " + ", ".join(flagged)
        return portal.build_answer(portal.ERROR_CODE_SUCCESS, message)

    def lookup(self, fields_: Mapping[str, Any]) -> dict[str, Any]:
        code = fields_.get("mahoso")
        if not isinstance(code, str) or not code:
            raise portal.PortalMessageError("mahoso is missing")
        with self.lock:
            stored = self.dossiers.get(code)
            # The stored dossier object, and (a GUESSED shape, see the adapter's "Reconciliation") its steps.
            result = [{**stored.dossier, portal.LOOKUP_PROGRESS_FIELD: [dict(p.step) for p in stored.progress]}
                      ] if stored else []
        return portal.build_answer(portal.ERROR_CODE_SUCCESS, "Thành công", result)


    # --- the portal side: calls to the province's inbound endpoints ---
    def _call_province(self, path: str, body: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        config = self.config
        if not config.province_url.startswith(("http://", "https://")):
            raise ValueError("the province's URL is not configured (--province-url)")
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "Authorization": f"Bearer {config.province_token}"}
        if config.province_dstcode:
            headers["dstcode"] = config.province_dstcode
        request = urllib.request.Request(config.province_url.rstrip("/") + path,  # noqa: S310 - http(s), checked
                                         data=portal.encode(body), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - a configured http(s) URL
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except OSError as exc:
            return 0, {"error_code": -1, "message": f"|không gọi được hệ thống của tỉnh: {exc}"}
        try:
            data = json.loads(raw)
        except ValueError:
            data = {"error_code": -1, "message": f"|câu trả lời không phải JSON (HTTP {status})"}
        return status, data if isinstance(data, dict) else {"error_code": -1, "message": "|câu trả lời sai dạng"}

    def _record(self, action: str, code: str, status: int, answer: dict[str, Any]) -> dict[str, Any]:
        exchange = InboundExchange(action, code, _now_text(), status, answer)
        with self.lock:
            self.exchanges.append(exchange)
            del self.exchanges[:-50]
        return asdict(exchange)

    def new_dossier(self, base_url: str) -> dict[str, Any]:
        """A dossier "submitted on the portal": the DongBoHoSoMC object, its files served by this simulator."""
        config = self.config
        with self.lock:
            number = len(self.pushed) + 1
        now = datetime.now(UTC)
        code = f"{config.agency_code}-{now.astimezone(portal.PORTAL_TIME_ZONE):%y%m%d}-{number:04d}"
        if code in self.pushed:
            code = f"{code}-{secrets.token_hex(2)}"
        files = tuple(
            portal.SubmittedFile(f"{code}-{i}", f"{slot}.pdf", slot,
                                 f"{base_url}/_files/{urllib.parse.quote(code)}-{i}.pdf")
            for i, (slot, _name) in enumerate(config.push_documents, start=1))
        dossier = portal.PortalDossier(
            code=code, procedure_code=config.push_procedure[0], procedure_name=config.push_procedure[1],
            field_code="G09-TP03", field_name="Hộ tịch", applicant_name="Lê Thị Cúc", applicant_kind="1",
            applicant_id="075195001111", received_at=now, due_at=None, status_code="1",
            handling_agency=config.province_agency, phone="0909123456", email="cuc@example.vn",
            summary="Đăng ký khai sinh cho con", files=files)
        return portal.dossier_object(dossier)

    def push(self, base_url: str, times: int = 1) -> list[dict[str, Any]]:
        item = self.new_dossier(base_url)
        with self.lock:
            self.pushed.append(item["MaHoSo"])
        body = portal.build_inbound_dossier_request(self.config.province_agency, item)
        return [self._record("push", item["MaHoSo"], *self._call_province(f"/{portal.INBOUND_PATH_DOSSIER}", body))
                for _ in range(max(1, times))]

    def query_status(self, code: str) -> dict[str, Any]:
        answer = self._call_province(f"/{portal.INBOUND_PATH_STATUS}", portal.build_status_query(code))
        return self._record("status", code, *answer)

    def evaluate(self, code: str, level: str = "1") -> dict[str, Any]:
        item = {"MaHoSo": code, "NgayDanhGia": _now_text(), "MucDoHaiLong": level,
                "DanhSachTieuChi": [{"MaTieuChi": "ThaiDoCanBo", "MucDoHaiLong": level}],
                "NoiDungYKien": "Đánh giá từ Cổng Dịch vụ công quốc gia (mô phỏng)"}
        return self._record("evaluate", code,
                            *self._call_province(f"/{portal.INBOUND_PATH_EVALUATION}",
                                                portal.build_evaluation_request([item])))

    def inbound(self, changes: Mapping[str, Any], base_url: str) -> list[dict[str, Any]]:
        if not self.config.province_url.startswith(("http://", "https://")):
            raise ValueError("the province's URL is not configured (--province-url)")
        action = changes.get("action")
        code = str(changes.get("mahoso") or "") or (self.pushed[-1] if self.pushed else "")
        if action == "push":
            times = changes.get("times", 1)
            if isinstance(times, str) and times.isdigit():
                times = int(times)
            if isinstance(times, bool) or not isinstance(times, int) or not 1 <= times <= 5:
                raise ValueError("times must be 1 to 5")
            return self.push(base_url, times)
        if action in ("status", "evaluate"):
            if not code:
                raise ValueError("no dossier: push one first or give mahoso")
            if action == "status":
                return [self.query_status(code)]
            level = str(changes.get("level") or "1")
            if level not in portal.EVALUATION_LEVELS:
                raise ValueError("level must be 1, 2 or 3")
            return [self.evaluate(code, level)]
        raise ValueError("action must be push, status or evaluate")


class PortalHandler(SimulatorHandler[PortalState]):
    server: PortalServer
    # Headers and body go out in two writes: with Nagle's algorithm the body waits for the client's delayed ACK
    # (about 40 ms on Linux) on every kept-alive call, which would be the simulator's latency, not the portal's.
    disable_nagle_algorithm = True

    # --- plumbing ---
    def encode(self, data: Any) -> bytes:
        return portal.encode(data)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # --- routes ---
    def do_GET(self) -> None:
        if self.path.startswith("/_files/") and self.path.endswith(".pdf"):
            self._send(HTTPStatus.OK, SAMPLE_PDF, "application/pdf")
        elif self.path == "/_faults":
            self._send_json(asdict(self.state.faults))
        elif self.path == "/_state":
            self._send_json(self.state.snapshot())
        elif self.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, render_page(self.state).encode("utf-8"), "text/html; charset=utf-8")
        else:
            self._send_json(portal.build_answer(portal.ERROR_CODE_FAILURE, "Không tìm thấy"), HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        body = self._body()
        if self.path == "/_faults":
            self._control(body)
        elif self.path == "/_reset":
            self.state.reset()
            self._send_json({"ok": True})
        elif self.path == "/_inbound":
            self._inbound(body)
        elif self.path in PORTAL_PATHS:
            self._portal_call(body)
        else:
            self._send_json(portal.build_answer(portal.ERROR_CODE_FAILURE, "Không tìm thấy"), HTTPStatus.NOT_FOUND)

    def _base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def _inbound(self, body: bytes) -> None:
        """The portal calls the province: JSON answers JSON; the demo page's form is sent back to the page."""
        is_form = self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
        try:
            if is_form:
                changes: Any = dict(urllib.parse.parse_qsl(body.decode("utf-8")))
            else:
                changes = json.loads(body or b"{}")
            if not isinstance(changes, dict):
                raise ValueError("send a JSON object")
            exchanges = self.state.inbound(changes, self._base_url())
        except (ValueError, UnicodeDecodeError) as exc:
            if is_form:
                self._send(HTTPStatus.BAD_REQUEST, f"Lỗi: {exc}".encode(), "text/plain; charset=utf-8")
            else:
                self._send_json({"error": str(exc)}, HTTPStatus.BAD_REQUEST)
            return
        if is_form:
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header("Location", "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send_json({"exchanges": exchanges})

    def _faults_changed(self, changes: dict[str, Any]) -> None:
        if changes.get("expire_sessions"):
            self.state.expire_sessions()

    def _portal_call(self, body: bytes) -> None:
        faults = self.state.faults
        if self._dropped():
            return
        if self.state.should_fail():
            status = faults.fail_status
            page = f"<html><body>{status} simulated failure</body></html>".encode()
            self._send(status, page, "text/html; charset=utf-8")
            return
        answer = self._answer(body)
        if self.state.take("malformed_next"):
            self._send(HTTPStatus.OK, b'{"error_code": 0, "message": "Th\xe1nh c\xf4ng", "result": [')
            return
        self._send_json(answer)

    def _answer(self, body: bytes) -> dict[str, Any]:
        if not self.headers.get("dstcode"):
            return portal.build_answer(portal.ERROR_CODE_FAILURE, "Thiếu tiêu đề dstcode")
        if self.headers.get("dstcode") != self.state.config.dstcode:
            return portal.build_answer(portal.ERROR_CODE_FAILURE, "dstcode không đúng")
        try:
            if self.path == "/auth":
                username, password = portal.parse_login_request(body)
                token = self.state.log_in(username, password)
                if token is None:
                    return portal.build_answer(portal.ERROR_CODE_FAILURE, "Sai tên đăng nhập hoặc mật khẩu")
                return portal.build_login_answer(token, "Đăng nhập thành công")
            request = portal.parse_request(body)
            if not self.state.session_valid(request.session):
                return portal.build_answer(portal.ERROR_CODE_SESSION_EXPIRED, "Phiên làm việc đã hết hạn")
            if request.agency_code != self.state.config.agency_code:
                return portal.build_answer(portal.ERROR_CODE_FAILURE, "madonvi không đúng")
            return self._dispatch(request)
        except portal.PortalMessageError as exc:
            return portal.build_answer(portal.ERROR_CODE_INVALID_FIELD, f"Dữ liệu không hợp lệ: {exc}")

    def _dispatch(self, request: portal.PortalRequest) -> dict[str, Any]:
        service = request.service
        if service == portal.SERVICE_SYNC_DOSSIER:
            return self.state.sync_dossiers(request.fields, self.state.take("duplicate_next"))
        if service == portal.SERVICE_UPDATE_PROGRESS:
            return self.state.update_progress(request.fields, self.state.take("duplicate_next"))
        if service == portal.SERVICE_LOOKUP_DOSSIER:
            return self.state.lookup(request.fields)
        if service == portal.SERVICE_GET_PROCEDURE:
            found = NATIONAL_CATALOG.get(str(request.fields.get("maTTHC", "")))
            return portal.build_answer(portal.ERROR_CODE_SUCCESS, "Thành công", [found] if found else [])
        if service == portal.SERVICE_LIST_PROCEDURES:  # GUESSED filter: the caller's madonvi (checked above)
            items = [{"MATTHC": code, "TENTTHC": item["TENTTHC"]} for code, item in sorted(NATIONAL_CATALOG.items())]
            return portal.build_answer(portal.ERROR_CODE_SUCCESS, "Thành công", items)
        if service == portal.SERVICE_LIST_AGENCIES:
            return portal.build_answer(portal.ERROR_CODE_SUCCESS, "Thành công", AGENCY_FIXTURE)
        if service == portal.SERVICE_LIST_FIELDS:
            return portal.build_answer(portal.ERROR_CODE_SUCCESS, "Thành công", FIELD_FIXTURE)
        return portal.build_answer(portal.ERROR_CODE_FAILURE, f"Dịch vụ không được hỗ trợ: {service}")


class PortalServer(SimulatorServer[PortalState]):
    handler_class = PortalHandler


class PortalSimulator(BackgroundSimulator[PortalServer]):
    """Start and stop the simulator in a background thread (tests, scripts)."""
    thread_name = "national-portal-sim"

    def __init__(self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.state = PortalState(self.config)
        self.server = PortalServer((host, port), self.state)


# --- The demo page -------------------------------------------------------------------------------------------------


def _display_time(text: str) -> str:
    try:
        moment = portal.parse_portal_datetime(text)
    except portal.PortalMessageError:
        return text
    return moment.strftime("%d/%m/%Y %H:%M:%S") if moment else ""


INBOUND_ACTIONS = {"push": "Gửi hồ sơ", "status": "Tra cứu tình trạng", "evaluate": "Gửi đánh giá"}


def _status_line(answer: Mapping[str, Any]) -> str:
    result = answer.get("result")
    if not isinstance(result, list) or not result or not isinstance(result[0], dict):
        return ""
    item = result[0]
    if "TrangThaiHoSo" not in item:
        return ""
    code = str(item.get("TrangThaiHoSo", ""))
    steps = item.get("QuaTrinhXuLy")
    count = f", {len(steps)} bước xử lý" if isinstance(steps, list) else ""
    return html.escape(f" (số biên nhận {item.get('SoBienNhan', '')}, trạng thái {code} — "
                       f"{portal.STATUS_CODES.get(code, '?')}{count})")


def render_page(state: PortalState) -> str:
    e = html.escape
    snapshot = state.snapshot()["dossiers"]
    rows: list[str] = []
    for code, item in sorted(snapshot.items(), key=lambda kv: kv[1]["last_received_at"], reverse=True):
        d = item["dossier"]
        status = str(d.get("TrangThaiHoSo", ""))
        steps = "".join(
            "<li{cls}><strong>{when}</strong> — {status}: {what} ({who}){flag}</li>".format(
                cls=' class="flag"' if p["out_of_order"] else "",
                when=e(_display_time(p["step"].get("ThoiDiemXuLy", ""))),
                status=e(portal.STATUS_CODES.get(str(p["step"].get("TrangThai")), "?")),
                what=e(str(p["step"].get("NoiDungXuLy", ""))),
                who=e(str(p["step"].get("NguoiXuLy", ""))),
                flag=" — <em>không theo thứ tự thời gian</em>" if p["out_of_order"] else "",
            )
            for p in item["progress"]
        )
        fetched = "".join(
            f"<dt>Tải tệp</dt><dd>{e(url)} — {e(outcome)}</dd>" for url, outcome in item.get("fetched", {}).items()
        )
        rows.append(
            f"<section><h2>{e(code)}</h2><dl>"
            f"<dt>Thủ tục</dt><dd>{e(str(d.get('MaTTHC', '')))} — {e(str(d.get('TenTTHC', '')))}</dd>"
            f"<dt>Chủ hồ sơ</dt><dd>{e(str(d.get('ChuHoSo', '')))}</dd>"
            f"<dt>Đơn vị xử lý</dt><dd>{e(str(d.get('DonViXuLy', '')))}</dd>"
            f"<dt>Trạng thái</dt><dd>{e(status)} — {e(portal.STATUS_CODES.get(status, '?'))}</dd>"
            f"<dt>Ngày tiếp nhận</dt><dd>{e(_display_time(str(d.get('NgayTiepNhan', ''))))}</dd>"
            f"<dt>Ngày hẹn trả</dt><dd>{e(_display_time(str(d.get('NgayHenTra', ''))))}</dd>"
            f"<dt>Số lần đồng bộ</dt><dd>{int(item['versions'])}</dd>"
            f"{fetched}</dl>"
            f"<h3>Tiến độ xử lý</h3><ol>{steps or '<li>Chưa có</li>'}</ol></section>"
        )
    exchanges = "".join(
        f"<li><strong>{e(_display_time(x['at']))}</strong> — {e(INBOUND_ACTIONS.get(x['action'], x['action']))} "
        f"{e(x['code'])}: HTTP {int(x['status'])}, error_code {e(str(x['answer'].get('error_code')))} — "
        f"{e(str(x['answer'].get('message', '')))}{_status_line(x['answer'])}</li>"
        for x in reversed(state.snapshot()["inbound"]))
    configured = bool(state.config.province_url)
    buttons = "".join(
        f'<form method="post" action="/_inbound"><input type="hidden" name="action" value="{a}">{extra}'
        f'<button type="submit"{"" if configured else " disabled"}>{e(label)}</button></form>'
        for a, extra, label in (
            ("push", "", "Gửi một hồ sơ mới về tỉnh"),
            ("push", '<input type="hidden" name="times" value="2">', "Gửi hồ sơ mới hai lần (trùng lặp)"),
            ("status", "", "Tra cứu tình trạng hồ sơ vừa gửi"),
            ("evaluate", "", "Gửi đánh giá hài lòng của người dân"),
        ))
    inbound = (f"<h2>Cổng gọi hệ thống của tỉnh</h2><p>Địa chỉ nhận: "
               f"{e(state.config.province_url) or 'chưa cấu hình (--province-url)'}.</p>"
               f'<div class="actions">{buttons}</div><ol>{exchanges or "<li>Chưa gọi lần nào</li>"}</ol>')
    faults = asdict(state.faults)
    active = ", ".join(f"{k}={v}" for k, v in faults.items() if v not in (0, 0.0, False) and k != "fail_status")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mô phỏng Cổng Dịch vụ công quốc gia</title>
<style>
body{{font-family:Arial,sans-serif;margin:0;padding:16px;max-width:960px;color:#0b0c0c;line-height:1.4}}
h1{{font-size:1.5rem}} section{{border-top:2px solid #b1b4b6;padding:8px 0}}
dl{{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:4px 12px}} dt{{font-weight:bold}}
dd{{margin:0;overflow-wrap:anywhere;min-width:0}}
.flag{{color:#d4351c}} .banner{{background:#fff7bf;padding:8px;border-left:5px solid #ffdd00}}
a{{color:#1d70b8;display:inline-block;min-height:44px;line-height:44px}}
.actions{{display:flex;flex-wrap:wrap;gap:8px}} .actions form{{margin:0}}
button{{min-height:44px;padding:8px 12px;font-size:1rem;background:#00703c;color:#fff;border:0;cursor:pointer}}
button:disabled{{background:#b1b4b6}}
</style></head><body>
<p class="banner">Máy chủ mô phỏng để thử nghiệm và trình diễn — không phải Cổng Dịch vụ công quốc gia thật.</p>
<h1>Hồ sơ đã nhận ({len(snapshot)})</h1>
<p>Đơn vị: {e(state.config.agency_code)}. Lỗi đang giả lập: {e(active) or "không có"}.</p>
<p><a href="/">Tải lại trang</a></p>
{inbound}
{"".join(rows) or "<p>Chưa nhận hồ sơ nào.</p>"}
</body></html>"""


# --- Command line --------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    defaults = SimulatorConfig()
    p = argparse.ArgumentParser(prog="python -m simulators.national_portal", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8301)
    p.add_argument("--username", default=defaults.username)
    p.add_argument("--password", default=defaults.password)
    p.add_argument("--madonvi", default=defaults.agency_code, help="the agency code the portal expects")
    p.add_argument("--dstcode", default=defaults.dstcode, help="the dstcode header the portal expects")
    p.add_argument("--session-seconds", type=float, default=defaults.session_seconds, help="session lifetime")
    p.add_argument("--state", type=Path, help="keep dossiers in this JSON file (default: memory only)")
    p.add_argument("--seed", type=int, help="seed for --fail-ratio")
    p.add_argument("--delay-ms", type=int, default=0)
    p.add_argument("--timeout", action="store_true", help="never answer portal calls")
    p.add_argument("--fail-next", type=int, default=0, help="answer 5xx to the next K calls")
    p.add_argument("--fail-ratio", type=float, default=0.0, help="answer 5xx to this share of calls")
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--malformed-next", type=int, default=0)
    p.add_argument("--duplicate-next", type=int, default=0)
    p.add_argument("--down", action="store_true", help="drop every portal connection")
    p.add_argument("--fetch-files", action="store_true", help="download each TaiLieuNop URL (DuongDanTaiTepTin)")
    p.add_argument("--verbose", action="store_true", help="log each request")
    p.add_argument("--province-url", default="",
                   help="the province's inbound base URL, e.g. http://127.0.0.1:8000/api/v1/national-portal")
    p.add_argument("--province-madonvi", default=defaults.province_agency,
                   help="the receiving agency's code sent with pushed dossiers")
    p.add_argument("--province-dstcode", default="", help="the dstcode header sent to the province")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    faults = Faults()
    faults.update(
        {
            "delay_ms": args.delay_ms,
            "timeout": args.timeout,
            "fail_next": args.fail_next,
            "fail_ratio": args.fail_ratio,
            "fail_status": args.fail_status,
            "malformed_next": args.malformed_next,
            "duplicate_next": args.duplicate_next,
            "down": args.down,
        }
    )
    config = SimulatorConfig(
        username=args.username,
        password=args.password,
        agency_code=args.madonvi,
        dstcode=args.dstcode,
        session_seconds=args.session_seconds,
        state_file=args.state,
        fetch_files=args.fetch_files,
        seed=args.seed,
        faults=faults,
        province_url=args.province_url,
        # the token from the environment, not the command line (which other local users can read)
        province_token=os.environ.get("MOTCUA_SIM_PROVINCE_TOKEN", ""),
        province_agency=args.province_madonvi,
        province_dstcode=args.province_dstcode,
    )
    state = PortalState(config)
    server = PortalServer((args.host, args.port), state, verbose=args.verbose)
    serve(server, f"Mô phỏng Cổng DVCQG / national portal simulator: http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
