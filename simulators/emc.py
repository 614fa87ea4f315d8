"""A local stand-in for the ministry's EMC monitoring service: a static snippet that posts a beacon, and an endpoint
that records the hits (reference note §8: nothing about EMC is public, every shape here is GUESSED).

Run it:  python -m simulators.emc --port 8303     then set MOTCUA_EMC_SCRIPT_URL=http://127.0.0.1:8303/emc.js and
MOTCUA_EMC_SITE_ID=<any code> (docs/integrations.md).

- ``GET /emc.js``   the snippet: reads ``data-site-id`` from its own script tag and posts one beacon per page view
  (``navigator.sendBeacon``, a text/plain JSON body, so no CORS preflight) to ``/hit``;
- ``POST /hit``     records ``{site_id, url, title, referrer}`` (at most 4 KB; anything else is refused with 400);
- ``GET /``         a Vietnamese page listing the hits; ``GET /_state`` the hits as JSON; ``POST /_reset``.
"""

from __future__ import annotations

import argparse
import html
import json
import threading
from collections import deque
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from simulators._base import BackgroundSimulator, SimulatorHandler, SimulatorServer, serve

MAX_HIT_BYTES = 4096
RECENT_HITS = 200
FIELDS = ("site_id", "url", "title", "referrer")

SNIPPET = """(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) { return; }
  var site = me.getAttribute("data-site-id") || "";
  var endpoint = new URL("hit", me.src).href;
  var hit = JSON.stringify({site_id: site, url: location.href, title: document.title, referrer: document.referrer});
  if (navigator.sendBeacon) {
    navigator.sendBeacon(endpoint, new Blob([hit], {type: "text/plain"}));
  } else {
    fetch(endpoint, {method: "POST", body: hit, mode: "no-cors", keepalive: true});
  }
})();
"""


@dataclass
class Hit:
    at: str
    site_id: str
    url: str
    title: str
    referrer: str


class EmcState:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: deque[Hit] = deque(maxlen=RECENT_HITS)

    def record(self, data: dict[str, Any]) -> Hit:
        hit = Hit(at=datetime.now(UTC).isoformat(timespec="seconds"),
                  **{name: str(data.get(name, ""))[:1000] for name in FIELDS})
        with self.lock:
            self.hits.appendleft(hit)
        return hit

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"hits": [asdict(h) for h in self.hits]}

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()


class EmcHandler(SimulatorHandler[EmcState]):
    server: EmcServer
    MAX_BODY_BYTES = MAX_HIT_BYTES
    EXTRA_HEADERS = {"Access-Control-Allow-Origin": "*",  # beacons come from the portal's origin
                     "Cache-Control": "no-store"}

    def _refuse_body(self, *, too_large: bool) -> None:
        self._json({"error": "body too large or without a length"}, HTTPStatus.BAD_REQUEST)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/emc.js":
            self._send(HTTPStatus.OK, SNIPPET.encode(), "text/javascript; charset=utf-8")
        elif path == "/_state":
            self._json(self.server.state.snapshot())
        elif path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, render_page(self.server.state).encode(), "text/html; charset=utf-8")
        else:
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            return
        path = self.path.split("?", 1)[0]
        if path == "/_reset":
            self.server.state.reset()
            self._json({"ok": True})
            return
        if path != "/hit":
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)
            return
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("site_id"), str) or not data["site_id"]:
                raise ValueError("a JSON object with site_id")
        except ValueError as exc:
            self._json({"error": f"bad hit: {exc}"}, HTTPStatus.BAD_REQUEST)
            return
        self.server.state.record(data)
        self._json({"ok": True})


class EmcServer(SimulatorServer[EmcState]):
    handler_class = EmcHandler


class EmcSimulator(BackgroundSimulator[EmcServer]):
    """Start and stop the EMC stand-in in a background thread (tests)."""
    thread_name = "emc-sim"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = EmcState()
        self.server = EmcServer((host, port), self.state)


def render_page(state: EmcState) -> str:
    e = html.escape
    hits = state.snapshot()["hits"]
    rows = "".join(f"<tr><td>{e(h['at'])}</td><td>{e(h['site_id'])}</td><td>{e(h['url'])}</td>"
                   f"<td>{e(h['title'])}</td></tr>" for h in hits)
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mô phỏng hệ thống EMC</title>
<style>
body{{font-family:Arial,sans-serif;margin:0;padding:16px;max-width:960px;color:#0b0c0c;line-height:1.4}}
.banner{{background:#fff7bf;padding:8px;border-left:5px solid #ffdd00}} .table{{overflow-x:auto}}
table{{border-collapse:collapse;width:100%}} td,th{{border-bottom:1px solid #b1b4b6;padding:4px;text-align:left;
overflow-wrap:anywhere}}
</style></head><body>
<p class="banner">Máy chủ mô phỏng để thử nghiệm và trình diễn — không phải hệ thống EMC thật.</p>
<h1>Lượt xem trang đã ghi nhận ({len(hits)})</h1>
<div class="table"><table><thead><tr><th>Thời điểm (UTC)</th><th>Mã trang</th><th>Địa chỉ</th><th>Tiêu đề</th></tr>
</thead><tbody>{rows or '<tr><td colspan="4">Chưa có lượt xem nào.</td></tr>'}</tbody></table></div>
</body></html>"""


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m simulators.emc", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8303)
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    server = EmcServer((args.host, args.port), EmcState(), verbose=args.verbose)
    serve(server, f"Mô phỏng EMC / EMC monitoring simulator: http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
