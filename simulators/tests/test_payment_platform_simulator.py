"""The payment-platform simulator: init checked by checksum, the payment page, the confirmation callback (and its
duplicate / wrong-checksum / missing faults), get bill, and the API faults. Checksums are recomputed here with
hashlib over explicitly listed fields, independently of the adapter."""

import hashlib
import json
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from motcua.adapters import payment_platform as platform
from motcua.integrations.tests.loopback import Answer, Loopback, loopback  # noqa: F401 (fixture)
from simulators.payment_platform import PlatformSimulator, SimulatorConfig

KEY = "SIM-TEST-KEY"
PARTNER = "TESTPARTNER"
INIT_FIELDS = ["LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "LoaiHinhThanhToan", "MaKenhThanhToan",
               "MaThietBi", "NgonNgu", "MaTienTe", "MaNganHang", "ThongTinGiaoDich", "ThoiGianGD", "Ip"]
CONFIRM_FIELDS = ["LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich", "MaNganHang",
                  "ThoiGianGD", "ThongTinGiaoDich"]
BILL_FIELDS = ["LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD"]


def sha(message, names, key=KEY):
    return hashlib.sha256("|".join([str(message[name]) for name in names] + [key]).encode()).hexdigest()


def init_body(reference="261203ABCDEF012345", amount="427500", key=KEY, partner=PARTNER):
    body = {"LoaiBanTin": "KhoiTaoGiaoDich", "PhienBan": "1.0.0", "MaDoiTac": partner, "MaThamChieu": reference,
            "SoTien": amount, "LoaiHinhThanhToan": "PAY", "MaKenhThanhToan": "WEB", "MaThietBi": "DESKTOP",
            "NgonNgu": "vi", "MaTienTe": "VND", "MaNganHang": "", "ThongTinGiaoDich": "Thanh toan 000-LP",
            "ThoiGianGD": "20261203101500", "Ip": "203.113.0.7",
            "ThongTinBienLai": {"MaHoSo": "000.00.19.H19-261203-0001", "TenDonVi": "Sở Tư pháp",
                                "TenTTHC": "Đăng ký khai sinh"}}
    body["MaXacThuc"] = sha(body, INIT_FIELDS, key)
    return body


@pytest.fixture
def receiver(loopback):  # noqa: F811
    """The province's confirmation URL: a loopback server answering "00"."""
    return loopback


@pytest.fixture
def simulator(receiver):
    config = SimulatorConfig(partner_code=PARTNER, key=KEY, callback_url=f"{receiver.url}/ipn",
                             return_url="https://motcua.example/thanh-toan/paygov/ket-qua/?x=1", seed=1)
    with PlatformSimulator(config) as sim:
        yield sim


def post(sim, path, body):
    return httpx.post(f"{sim.url}{path}", json=body, timeout=5)


def opened(sim, **overrides):
    answer = post(sim, "/init", init_body(**overrides)).json()
    assert answer["MaLoi"] == "00", answer
    return answer["UrlThanhToan"]


def pay(url, outcome="pay"):
    return httpx.post(url, data={"outcome": outcome}, timeout=15, follow_redirects=False)


def reply(receiver, code="00"):
    receiver.answer(Answer(body=json.dumps({"MaLoi": code, "MoTaLoi": "ok"}).encode()))


def test_init_gives_a_vietnamese_payment_page_without_script(simulator):
    url = opened(simulator)
    assert url.startswith(f"{simulator.url}/thanh-toan/")
    page = httpx.get(url, timeout=5)
    text = page.text
    assert page.status_code == 200 and '<html lang="vi">' in text
    assert "427.500 đồng" in text and "261203ABCDEF012345" in text and "Sở Tư pháp" in text
    assert 'value="pay"' in text and 'value="cancel"' in text and 'value="fail"' in text
    assert "<script" not in text and "width=device-width" in text
    assert "script-src" not in page.headers["content-security-policy"]
    # The same reference and amount again: the same page (idempotent); another amount: refused.
    assert opened(simulator) == url
    assert post(simulator, "/init", init_body(amount="1000")).json()["MaLoi"] == "99"


@pytest.mark.parametrize("forge", ["key", "tampered", "missing", "partner", "long_reference", "not_json"])
def test_init_refusals(simulator, forge):
    body = init_body()
    if forge == "key":
        body = init_body(key="other")
    elif forge == "tampered":
        body["SoTien"] = "1000"
    elif forge == "missing":
        del body["MaXacThuc"]
    elif forge == "partner":
        body = init_body(partner="OTHER")
    elif forge == "long_reference":
        body = init_body(reference="X" * 21)
    if forge == "not_json":
        answer = httpx.post(f"{simulator.url}/init", content=b"{not json", timeout=5).json()
    else:
        answer = post(simulator, "/init", body).json()
    expected = platform.CODE_BAD_CHECKSUM if forge in ("key", "tampered", "missing") else "99"
    assert answer["MaLoi"] == expected and "UrlThanhToan" not in answer
    assert simulator.state.snapshot()["transactions"] == {}


def test_paying_sends_one_signed_confirmation_then_returns_the_browser(simulator, receiver):
    reply(receiver)
    response = pay(opened(simulator))
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert (location.scheme, location.netloc) == ("https", "motcua.example")
    assert location.path == "/thanh-toan/paygov/ket-qua/"
    returned = dict(parse_qsl(location.query))
    assert returned["x"] == "1"
    [callback] = receiver.received
    assert callback.method == "POST" and callback.path == "/ipn"
    assert callback.headers["content-type"].startswith("application/json")
    body = json.loads(callback.body)
    assert body["MaXacThuc"] == sha(body, CONFIRM_FIELDS)
    assert (body["MaLoi"], body["MaDoiTac"], body["MaThamChieu"], body["SoTien"], body["MaTienTe"]) == (
        "00", PARTNER, "261203ABCDEF012345", "427500", "VND")
    assert body["MaGiaoDich"] and len(body["ThoiGianGD"]) == 14
    assert {k: returned[k] for k in body} == body  # the browser return carries the same signed fields
    transaction = simulator.state.snapshot()["transactions"]["261203ABCDEF012345"]
    assert transaction["state"] == "paid" and transaction["callbacks"][0]["reply_code"] == "00"
    # Paying the same transaction again: refused, no second callback.
    assert pay(f"{simulator.url}/thanh-toan/{transaction['token']}").status_code == 409
    assert len(receiver.received) == 1


@pytest.mark.parametrize("outcome, code", [("fail", platform.CODE_FAILED), ("cancel", platform.CODE_CANCELLED)])
def test_failure_and_cancel_are_confirmed_with_their_code(simulator, receiver, outcome, code):
    reply(receiver)
    assert pay(opened(simulator), outcome).status_code == 303
    body = json.loads(receiver.received[0].body)
    assert body["MaLoi"] == code and body["MaGiaoDich"] == "" and body["MaXacThuc"] == sha(body, CONFIRM_FIELDS)


def test_callback_faults(simulator, receiver):
    simulator.state.faults.update({"duplicate_callbacks": 1, "bad_checksum_callbacks": 0})
    pay(opened(simulator, reference="REF1"))
    bodies = [json.loads(r.body) for r in receiver.received]
    assert len(bodies) == 3 and bodies[0] == bodies[1] == bodies[2]

    httpx.post(f"{simulator.url}/_faults", json={"bad_checksum_callbacks": 1}, timeout=5)
    pay(opened(simulator, reference="REF2"))
    forged = json.loads(receiver.received[3].body)
    assert len(receiver.received) == 4 and forged["MaThamChieu"] == "REF2"
    assert forged["MaXacThuc"] != sha(forged, CONFIRM_FIELDS)

    httpx.post(f"{simulator.url}/_faults", json={"skip_callbacks": 1}, timeout=5)
    assert pay(opened(simulator, reference="REF3")).status_code == 303
    assert len(receiver.received) == 4
    assert pay(opened(simulator, reference="REF4")).status_code == 303  # counters are spent
    assert len(receiver.received) == 5


def bill(sim, reference, key=KEY):
    body = {"LoaiBanTin": "LayBienLai", "PhienBan": "1.0.0", "MaDoiTac": PARTNER, "MaThamChieu": reference,
            "ThoiGianGD": "20261203101500"}
    body["MaXacThuc"] = sha(body, BILL_FIELDS, key)
    return post(sim, "/getbill", body).json()


def test_get_bill(simulator, receiver):
    assert bill(simulator, "REF1")["MaLoi"] == platform.CODE_NOT_FOUND
    simulator.state.faults.update({"skip_callbacks": 1})
    url = opened(simulator, reference="REF1")
    assert bill(simulator, "REF1")["MaLoi"] == platform.CODE_NOT_FOUND  # opened, not paid
    pay(url)
    answer = bill(simulator, "REF1")
    assert (answer["MaLoi"], answer["SoTien"], answer["MaThamChieu"]) == ("00", "427500", "REF1")
    assert answer["MaXacThuc"] == sha(answer, CONFIRM_FIELDS)
    assert bill(simulator, "REF1", key="wrong")["MaLoi"] == platform.CODE_BAD_CHECKSUM


def test_api_faults(simulator):
    httpx.post(f"{simulator.url}/_faults", json={"fail_next": 1, "fail_status": 502}, timeout=5)
    assert post(simulator, "/init", init_body()).status_code == 502
    simulator.state.faults.update({"malformed_next": 1})
    response = post(simulator, "/init", init_body())
    with pytest.raises(platform.PaymentPlatformMessageError):
        platform.parse_init_answer(response.content)
    simulator.state.faults.update({"timeout": True})
    with pytest.raises(httpx.TimeoutException):
        httpx.post(f"{simulator.url}/init", json=init_body(), timeout=0.3)
    simulator.state.faults.update({"timeout": False, "down": True})
    with pytest.raises(httpx.TransportError):
        post(simulator, "/init", init_body())
    simulator.state.faults.update({"down": False})
    assert post(simulator, "/init", init_body()).json()["MaLoi"] == "00"
    bad = httpx.post(f"{simulator.url}/_faults", json={"fail_status": 200}, timeout=5)
    assert bad.status_code == 400
    assert httpx.post(f"{simulator.url}/_faults", json={"nonsense": 1}, timeout=5).status_code == 400


def test_index_page_lists_transactions_in_vietnamese(simulator, receiver):
    reply(receiver)
    pay(opened(simulator))
    page = httpx.get(f"{simulator.url}/", timeout=5).text
    assert "Đã thanh toán" in page and "261203ABCDEF012345" in page and "<script" not in page


def test_callback_urls_must_be_http():
    with pytest.raises(ValueError):
        SimulatorConfig(callback_url="file:///etc/passwd")


def test_the_documented_command_starts_the_simulator():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "simulators.payment_platform", "--port", str(port), "--delay-ms", "1"],
        cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        assert "payment platform simulator" in process.stdout.readline().decode()
        answer = httpx.get(f"http://127.0.0.1:{port}/_faults", timeout=5).json()
        assert answer["delay_ms"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()
