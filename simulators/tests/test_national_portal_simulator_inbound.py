"""The simulator's portal side: it pushes dossiers (in the portal's shape, files served by itself), asks statuses and
sends evaluations to the province's inbound endpoints; from its control endpoint or its demo page's buttons."""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from motcua.adapters import national_portal as portal
from simulators.national_portal import PortalSimulator, SimulatorConfig


class Province:
    """A stand-in for the province's inbound API: records each call and answers success."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str], dict]] = []
        province = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                province.calls.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                data = json.dumps({"error_code": 0, "message": "x|Thành công", "result": []}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1/national-portal"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def province():
    p = Province()
    yield p
    p.server.shutdown()
    p.server.server_close()


@pytest.fixture
def simulator(province):
    sim = PortalSimulator(SimulatorConfig(province_url=province.url, province_token="tok-1",
                                          province_agency="000.01.70.H19", province_dstcode="VN:GOV:H19")).start()
    yield sim
    sim.stop()


def control(sim, body, form=False):
    data = urllib.parse.urlencode(body).encode() if form else json.dumps(body).encode()
    kind = "application/x-www-form-urlencoded" if form else "application/json"
    request = urllib.request.Request(f"{sim.url}/_inbound", data=data, headers={"Content-Type": kind},  # noqa: S310
                                     method="POST")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_a_push_twice_sends_the_same_portal_shaped_dossier(simulator, province):
    status, _headers, raw = control(simulator, {"action": "push", "times": 2})
    assert status == 200
    exchanges = json.loads(raw)["exchanges"]
    assert [x["answer"]["error_code"] for x in exchanges] == [0, 0]
    (path1, headers, body1), (path2, _, body2) = province.calls
    assert path1 == path2 == "/api/v1/national-portal/nhanhsdvcqg"
    assert body1 == body2
    assert headers["authorization"] == "Bearer tok-1" and headers["dstcode"] == "VN:GOV:H19"
    assert body1["madonvi"] == "000.01.70.H19"
    item = portal.parse_inbound_dossier(body1, now=datetime.now(UTC))
    assert item.code == exchanges[0]["code"] and item.procedure_code == "1.001193"
    assert [f.document_code for f in item.files] == ["to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than"]
    # the files are served by the simulator, as the portal's file host
    with urllib.request.urlopen(item.files[0].url, timeout=5) as answer:  # noqa: S310 - loopback
        assert answer.read().startswith(b"%PDF-")


def test_status_and_evaluation_of_the_last_pushed_dossier(simulator, province):
    control(simulator, {"action": "push"})
    code = province.calls[0][2]["data"][0]["MaHoSo"]
    assert control(simulator, {"action": "status"})[0] == 200
    assert control(simulator, {"action": "evaluate", "level": "2"})[0] == 200
    (status_path, _, status_body), (rating_path, _, rating_body) = province.calls[1:]
    assert (status_path.rsplit("/", 1)[1], status_body) == ("tracuuhoso", portal.build_status_query(code))
    assert rating_path.endswith("/danhgia")
    [evaluation] = portal.parse_inbound_evaluations(rating_body, now=datetime.now(UTC))
    assert evaluation.dossier_code == code and evaluation.answers["overall"] == 4


def test_the_demo_page_buttons_post_forms_and_come_back(simulator, province):
    page = urllib.request.urlopen(f"{simulator.url}/", timeout=5).read().decode()  # noqa: S310 - loopback
    assert 'action="/_inbound"' in page and "Gửi một hồ sơ mới về tỉnh" in page and "<script" not in page
    status, headers, _ = control(simulator, {"action": "push"}, form=True)
    assert (status, headers["Location"]) == (303, "/")
    page = urllib.request.urlopen(f"{simulator.url}/", timeout=5).read().decode()  # noqa: S310 - loopback
    assert "Gửi hồ sơ" in page and "error_code 0" in page


@pytest.mark.parametrize("body", [{"action": "nope"}, {"action": "push", "times": 9}, {"action": "status"}])
def test_bad_control_requests_are_refused(simulator, body):
    assert control(simulator, body)[0] == 400


def test_without_a_province_url_nothing_is_sent():
    with PortalSimulator(SimulatorConfig()) as sim:
        assert control(sim, {"action": "push"})[0] == 400
