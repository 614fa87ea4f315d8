"""The national petitions (PAKN) simulator on its own: pull, acknowledge, answer, invalid requests and faults."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from motcua.adapters import national_petitions as pakn
from simulators.national_petitions import PetitionsSimulator, SimulatorConfig


@pytest.fixture
def sim() -> Iterator[PetitionsSimulator]:
    with PetitionsSimulator(SimulatorConfig(seed=1)) as running:
        yield running


def post(sim: PetitionsSimulator, body: Any, path: str = "/") -> tuple[int, bytes]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(sim.url + path, data=data, method="POST")  # noqa: S310 - the local simulator
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_pull_acknowledge_answer(sim):
    status, body = post(sim, pakn.build_pull_request("75"))
    items = pakn.parse_pull_answer(body)
    assert status == 200 and [i.national_id for i in items] == ["PAKN-2026-000101", "PAKN-2026-000102"]
    assert all(i.petition is not None for i in items)
    status, body = post(sim, pakn.build_ack_request("PAKN-2026-000101", "000.00.15.H19"))
    pakn.parse_ack_answer(body)
    assert [i.national_id for i in pakn.parse_pull_answer(post(sim, pakn.build_pull_request("75"))[1])] == [
        "PAKN-2026-000102"]
    answer = pakn.build_answer_request("PAKN-2026-000101", "000.00.15.H19", "Đã trả kết quả.", "Sở Xây dựng",
                                       pakn.dt.date(2026, 5, 4), publish=True)
    pakn.parse_answer_answer(post(sim, answer)[1])
    stored = sim.state.snapshot()["petitions"]["PAKN-2026-000101"]
    assert stored["acknowledged"] and stored["answers"][0]["CONGKHAI"] == 1
    assert "Đã trả kết quả." in urllib.request.urlopen(sim.url + "/", timeout=5).read().decode()  # noqa: S310


def test_invalid_requests_are_refused(sim):
    with pytest.raises(pakn.PetitionsRefused):
        pakn.parse_ack_answer(post(sim, {"service": pakn.SERVICE_ACK, "MADONVI": "x"})[1])
    with pytest.raises(pakn.PetitionsRefused):
        pakn.parse_ack_answer(post(sim, {"service": "Khac"})[1])
    with pytest.raises(pakn.PetitionsRefused):  # an unknown petition
        pakn.parse_ack_answer(post(sim, pakn.build_ack_request("PAKN-NONE", "x"))[1])


def test_faults(sim):
    sim.state.faults.update({"fail_next": 1, "malformed_next": 1, "duplicate_next": 1})
    assert post(sim, pakn.build_pull_request("75"))[0] == 503
    with pytest.raises(pakn.PetitionMessageError):
        pakn.parse_pull_answer(post(sim, pakn.build_pull_request("75"))[1])
    body = post(sim, pakn.build_pull_request("75"))[1]
    assert len(json.loads(body)["result"]) == 4 and len(pakn.parse_pull_answer(body)) == 2  # duplicates are one
    assert post(sim, {"down": True}, "/_faults")[0] == 200
    with pytest.raises(OSError):  # the connection is closed without a byte
        urllib.request.urlopen(urllib.request.Request(  # noqa: S310
            sim.url + "/", data=b"{}", method="POST"), timeout=2)
