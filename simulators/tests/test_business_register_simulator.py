"""The business-register simulator: consistent fake enterprises (the demo citizens are legal representatives),
look-ups found / not found / refused, enterprises added at run time, the faults, the Vietnamese page and the state;
and its relay through the LGSP simulator's `dkkd` route."""

import json
import socket
import time

import httpx
import pytest
from stdnum.vn import mst

from motcua.demo.directory import CITIZENS
from simulators.business_register import FIXTURES, RegisterSimulator, SimulatorConfig
from simulators.lgsp import GatewayConfig, GatewaySimulator


def lookup(sim, code, **extra):
    body = {"service": "TraCuuThongTinDoanhNghiep", "MaSoDoanhNghiep": code, "MaYeuCau": "req-1", **extra}
    return httpx.post(f"{sim.url}/", json=body, timeout=5)


@pytest.fixture
def sim():
    with RegisterSimulator(SimulatorConfig(seed=3)) as simulator:
        yield simulator


def test_the_fixtures_are_valid_and_match_the_demo_citizens():
    ids = {national_id: name for _username, name, national_id, _phone in CITIZENS}
    named = set()
    for record in FIXTURES:
        assert mst.is_valid(record.code), record.code
        for person in record.representatives:
            assert len(person.national_id) == 12 and person.national_id.isdigit()
            if person.national_id in ids:
                assert ids[person.national_id] == person.name  # the same person as setup_demo's
                named.add(person.national_id)
    assert named == set(ids)  # every demo citizen represents some enterprise
    assert {r.status for r in FIXTURES} >= {"active", "suspended", "dissolved", "revoked"}


def test_found_not_found_and_a_wrong_request(sim):
    found = lookup(sim, "3601234569").json()
    assert found["error_code"] == 0 and len(found["result"]) == 1
    item = found["result"][0]
    assert item["TenDoanhNghiep"] == "CÔNG TY TNHH THƯƠNG MẠI DỊCH VỤ AN PHÁT"
    assert item["NguoiDaiDienPhapLuat"][0]["SoDinhDanh"] == "075090001234"
    assert lookup(sim, "3601234569-001").json()["result"][0]["MaSoDoanhNghiep"] == "3601234569-001"
    assert lookup(sim, "0100109106").json() == {"error_code": 0, "message": "Không tìm thấy doanh nghiệp",
                                                "result": []}
    wrong = lookup(sim, "12345").json()
    assert wrong["error_code"] == -4 and wrong["result"] == []
    state = httpx.get(f"{sim.url}/_state").json()
    assert [x["outcome"] for x in state["lookups"]] == ["found", "found", "not_found", "invalid"]


def test_an_enterprise_added_at_run_time_and_reset(sim):
    item = {**lookup(sim, "3601234569").json()["result"][0], "MaSoDoanhNghiep": "0100109106",
            "TenDoanhNghiep": "CÔNG TY MỚI"}
    assert httpx.post(f"{sim.url}/_businesses", json=item).json() == {"ok": True, "code": "0100109106"}
    assert lookup(sim, "0100109106").json()["result"][0]["TenDoanhNghiep"] == "CÔNG TY MỚI"
    assert httpx.post(f"{sim.url}/_businesses", json={"MaSoDoanhNghiep": "x"}).status_code == 400
    httpx.post(f"{sim.url}/_reset")
    assert lookup(sim, "0100109106").json()["result"] == []
    assert httpx.get(f"{sim.url}/_state").json()["lookups"][-1]["outcome"] == "not_found"


def test_faults(sim):
    def faults(**changes):
        answer = httpx.post(f"{sim.url}/_faults", json=changes)
        assert answer.status_code == 200, answer.text
        return answer.json()

    assert httpx.post(f"{sim.url}/_faults", json={"nope": 1}).status_code == 400
    assert httpx.post(f"{sim.url}/_faults", json={"fail_status": 404}).status_code == 400
    faults(fail_next=1, fail_status=502)
    assert lookup(sim, "3601234569").status_code == 502
    assert lookup(sim, "3601234569").status_code == 200
    faults(duplicate_next=1)
    assert len(lookup(sim, "3601234569").json()["result"]) == 2
    assert len(lookup(sim, "3601234569").json()["result"]) == 1
    faults(malformed_next=1)
    with pytest.raises(ValueError):  # not JSON (nor UTF-8)
        json.loads(lookup(sim, "3601234569").content)
    faults(down=True)
    with pytest.raises(httpx.TransportError):
        lookup(sim, "3601234569")
    faults(down=False, delay_ms=300)
    started = time.monotonic()
    assert lookup(sim, "3601234569").status_code == 200 and time.monotonic() - started >= 0.3
    faults(delay_ms=0, timeout=True)
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{sim.url}/", json={}, timeout=0.5)
    faults(timeout=False)
    assert httpx.get(f"{sim.url}/_faults").json()["timeout"] is False


def test_the_page_is_vietnamese_and_lists_the_enterprises_and_look_ups(sim):
    lookup(sim, "3604567894", MucDich="Tiếp nhận hồ sơ")
    page = httpx.get(f"{sim.url}/").text
    assert '<html lang="vi">' in page and "không phải CSDL quốc gia về đăng ký doanh nghiệp" in page
    assert "DOANH NGHIỆP TƯ NHÂN VẬN TẢI HOÀNG GIA" in page and "Đã giải thể" in page
    assert "3604567894: tìm thấy (Tiếp nhận hồ sơ)" in page
    assert 'name="viewport"' in page


def test_through_the_lgsp_route(sim):
    with GatewaySimulator(GatewayConfig(routes={"dkkd": sim.url}, client_id="c", client_secret="s",
                                        access_key="k")) as gateway:
        token = httpx.post(f"{gateway.url}/token", data={"grant_type": "client_credentials", "client_id": "c",
                                                          "client_secret": "s"}).json()["access_token"]
        body = {"service": "TraCuuThongTinDoanhNghiep", "MaSoDoanhNghiep": "3602345670", "MaYeuCau": "r"}
        answer = httpx.post(f"{gateway.url}/dkkd/", json=body,
                            headers={"Authorization": f"Bearer {token}", "lgspaccesstoken": "k"})
        assert answer.status_code == 200
        assert [p["HoVaTen"] for p in answer.json()["result"][0]["NguoiDaiDienPhapLuat"]] == [
            "Trần Thị Bình", "Lê Hoàng Nam"]
        assert httpx.post(f"{gateway.url}/dkkd/", json=body).status_code == 401


def test_the_command_line_starts_it(tmp_path):
    import subprocess
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "simulators.business_register", "--port", str(port),
                                "--fail-next", "1"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and f"http://127.0.0.1:{port}/" in process.stdout.readline()
        for _ in range(50):
            try:
                faults = httpx.get(f"http://127.0.0.1:{port}/_faults").json()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert faults["fail_next"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
