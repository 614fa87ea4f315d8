"""The EMC stand-in: serves its snippet as JavaScript, records well-formed hits, refuses the others, lists the
hits on a Vietnamese page."""

import json
import urllib.error
import urllib.request

from simulators.emc import MAX_HIT_BYTES, EmcSimulator


def post(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "text/plain"}, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - loopback
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_hits_are_recorded_and_bad_ones_refused():
    with EmcSimulator() as emc:
        with urllib.request.urlopen(emc.url + "/emc.js", timeout=5) as answer:  # noqa: S310
            assert answer.headers["Content-Type"].startswith("text/javascript")
            assert b"data-site-id" in answer.read()
        hit = {"site_id": "DNI-1", "url": "http://127.0.0.1:8000/", "title": "Trang chủ", "referrer": ""}
        assert post(emc.url + "/hit", json.dumps(hit).encode()) == 200
        assert post(emc.url + "/hit", json.dumps({**hit, "site_id": ""}).encode()) == 400
        assert post(emc.url + "/hit", b"[1, 2]") == 400
        assert post(emc.url + "/hit", b"not json") == 400
        assert post(emc.url + "/hit", b"x" * (MAX_HIT_BYTES + 1)) == 400
        with urllib.request.urlopen(emc.url + "/", timeout=5) as answer:  # noqa: S310
            page = answer.read().decode()
        hits = emc.state.snapshot()["hits"]
    assert [(h["site_id"], h["title"]) for h in hits] == [("DNI-1", "Trang chủ")]
    assert "Lượt xem trang đã ghi nhận (1)" in page and "<script" not in page
