"""The document exchange hub simulator on its own: credentials, envelope validation, routing, idempotent send,
the agencies' answers, the list/get/ack cycle, faults and its Vietnamese page."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import pytest

from motcua.adapters import edxml
from simulators.edxml_hub import HubSimulator, SimulatorConfig

NOW = dt.datetime(2026, 12, 7, 11, 0, tzinfo=edxml.VN)


def envelope(to: str = "000.00.12.H29") -> bytes:
    return edxml.build_envelope(edxml.Envelope(
        sender=edxml.Organ("000.01.70.H19", "UBND phường Trấn Biên"), receivers=(edxml.Organ(to, "Nơi nhận"),),
        code_number="7", code_notation="TB-HT", place="Đồng Nai", promulgation_date=NOW.date(),
        subject="Đề nghị xác minh", signer_position="Chủ tịch", signer_name="Phan Thanh Sơn", timestamp=NOW))


def call(sim, method, path, body=b"", secret="motcua-demo-secret",  # noqa: S107 - the simulator's demo secret
         content_type="application/xml"):
    headers = {**edxml.hub_headers("motcua-demo", secret), "Content-Type": content_type}
    request = urllib.request.Request(sim.url + path, data=body if method == "POST" else None,  # noqa: S310
                                     method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - the local simulator
        return response.read()


@pytest.fixture
def sim():
    with HubSimulator(SimulatorConfig(seed=1)) as running:
        yield running


def test_send_answer_list_get_ack(sim):
    sent = edxml.parse_hub_answer(call(sim, "POST", edxml.PATH_SEND, envelope()))
    assert sent.ok and sent.doc_id
    again = edxml.parse_hub_answer(call(sim, "POST", edxml.PATH_SEND, envelope()))
    assert again.doc_id == sent.doc_id  # idempotent by DocumentId
    listed = edxml.parse_hub_answer(call(sim, "GET", edxml.PATH_RECEIVED))
    kinds = [item["messageType"] for item in listed.items]
    assert kinds == ["status", "status", "status", "edoc", "status"]
    messages = [edxml.parse_message(call(sim, "GET", edxml.PATH_GET.format(doc_id=i["docId"]))) for i in listed.items]
    assert [m.code for m in messages if isinstance(m, edxml.StatusMessage)] == ["01", "03", "05", "06"]
    answer = next(m for m in messages if isinstance(m, edxml.Envelope))
    assert answer.response_for is not None and answer.response_for.document_id.endswith("7/TB-HT")
    assert answer.attachments[0].content.startswith(b"%PDF-")
    for item in listed.items:
        assert edxml.parse_hub_answer(call(sim, "POST", edxml.PATH_ACK.format(doc_id=item["docId"]))).ok
    assert edxml.parse_hub_answer(call(sim, "GET", edxml.PATH_RECEIVED)).items == ()


def test_refusals(sim):
    wrong = edxml.parse_hub_answer(call(sim, "GET", edxml.PATH_RECEIVED, secret="nope"))
    assert (wrong.ok, wrong.error_code) == (False, "15")
    broken = edxml.parse_hub_answer(call(sim, "POST", edxml.PATH_SEND, envelope()[:200]))
    assert (broken.ok, broken.error_code) == (False, "01") and "XML" in broken.message
    unknown = edxml.parse_hub_answer(call(sim, "POST", edxml.PATH_SEND, envelope(to="000.00.99.H99")))
    assert (unknown.ok, unknown.error_code) == (False, "04") and "000.00.99.H99" in unknown.message


def test_faults_and_page(sim):
    call(sim, "POST", "/_faults", json.dumps({"reject_next": 1}).encode(), content_type="application/json")
    call(sim, "POST", edxml.PATH_SEND, envelope())
    assert next(iter(sim.state.snapshot()["delivered"].values()))["statuses"] == ["01", "02"]
    with pytest.raises(urllib.error.HTTPError):
        call(sim, "POST", "/_faults", json.dumps({"nonsense": 1}).encode(), content_type="application/json")
    page = urllib.request.urlopen(sim.url + "/", timeout=5).read().decode()  # noqa: S310
    assert "Trục liên thông văn bản (mô phỏng)" in page and "Từ chối" in page and "lang='vi'" in page
