"""The client against a loopback server with injected faults: what is retried, how often, how long it waits,
and what each attempt leaves as evidence (digests and sizes, never the bodies)."""

import hashlib
import json

import pytest

from motcua.integrations.client import IntegrationError, MalformedResponse, backoff_delay
from motcua.integrations.models import CallRecord
from motcua.integrations.tests.helpers import Sleeps, client_for, envelope
from motcua.integrations.tests.loopback import Answer, refused_url

pytestmark = pytest.mark.django_db
PERSONAL = {"ChuHoSo": "Nguyễn Văn An", "SoDinhDanh": "075090001234"}


def test_a_5xx_then_success_is_retried_with_bounded_backoff(loopback):
    loopback.answer(Answer(503, b"busy"), Answer(502, b"bad gateway"), Answer(200, b'{"error_code": 0, "n": 1}'))
    sleeps = Sleeps()
    result = client_for(loopback.url, sleeps).call("TraCuuHoSo", "GET", "/hoso", parse=envelope)
    assert result.value == {"error_code": 0, "n": 1} and result.attempts == 3
    assert len(loopback.received) == 3
    assert len(sleeps) == 2 and 0 <= sleeps[0] <= 0.5 and 0 <= sleeps[1] <= 1.0
    records = list(CallRecord.objects.order_by("attempt"))
    assert [(r.attempt, r.status_code) for r in records] == [(1, 503), (2, 502), (3, 200)]
    assert [r.error for r in records] == ["HTTP 503", "HTTP 502", ""]


def test_a_4xx_is_not_retried(loopback):
    loopback.answer(Answer(400, b'{"error": "bad"}'), Answer(200))
    with pytest.raises(IntegrationError) as failure:
        client_for(loopback.url).call("TraCuuHoSo", "GET", "/hoso", parse=envelope)
    assert failure.value.status_code == 400 and failure.value.attempts == 1
    assert len(loopback.received) == 1
    assert CallRecord.objects.get().status_code == 400


@pytest.mark.parametrize("status", [408, 429])
def test_408_and_429_are_retried(loopback, status):
    loopback.answer(Answer(status, b"", headers={"Retry-After": "1"}), Answer(200))
    sleeps = Sleeps()
    result = client_for(loopback.url, sleeps).call("LayThuTuc", "GET", "/tt", parse=envelope)
    assert result.attempts == 2 and len(sleeps) == 1 and 1 <= sleeps[0] <= 2.0  # Retry-After: 1 honoured


def test_a_post_without_idempotency_key_is_sent_once(loopback):
    loopback.answer(Answer(503), Answer(200))
    with pytest.raises(IntegrationError):
        client_for(loopback.url).call("DongBoHoSoMC", "POST", "/sync", json=PERSONAL, parse=envelope)
    assert len(loopback.received) == 1


def test_a_post_with_idempotency_key_is_retried_and_carries_it(loopback):
    loopback.answer(Answer(500), Answer(200))
    result = client_for(loopback.url).call("DongBoHoSoMC", "POST", "/sync", json=PERSONAL, parse=envelope,
                                           idempotency_key="G22.75-261203-0001")
    assert result.attempts == 2
    assert [r.headers["idempotency-key"] for r in loopback.received] == ["G22.75-261203-0001"] * 2
    assert loopback.received[0].body == loopback.received[1].body


def test_a_slow_answer_times_out_and_every_attempt_is_recorded(loopback):
    loopback.answer(*[Answer(200, delay=1.0)] * 3)
    with pytest.raises(IntegrationError) as failure:
        client_for(loopback.url, read_timeout=0.2).call("LayThuTuc", "GET", "/tt", parse=envelope)
    assert failure.value.attempts == 3
    records = list(CallRecord.objects.order_by("attempt"))
    assert [r.attempt for r in records] == [1, 2, 3]
    assert all(r.error.startswith("timeout") and r.status_code is None for r in records)
    assert all(150 <= r.duration_ms < 1000 for r in records)


def test_connection_refused_is_retried_then_reported():
    sleeps = Sleeps()
    with pytest.raises(IntegrationError) as failure:
        client_for(refused_url(), sleeps, max_attempts=2).call("LayThuTuc", "GET", "/tt", parse=envelope)
    assert failure.value.attempts == 2 and len(sleeps) == 1
    assert all(r.error.startswith("transport: ConnectError") for r in CallRecord.objects.all())


def test_a_malformed_body_is_the_parsers_failure_and_not_retried(loopback):
    loopback.answer(Answer(200, b"<html>maintenance</html>"), Answer(200))
    with pytest.raises(MalformedResponse):
        client_for(loopback.url).call("LayThuTuc", "GET", "/tt", parse=envelope)
    assert len(loopback.received) == 1
    record = CallRecord.objects.get()
    assert record.status_code == 200 and record.error.startswith("malformed response")


def test_evidence_keeps_digests_and_sizes_not_bodies(loopback):
    answer = json.dumps({"error_code": 0, "result": [PERSONAL]}, ensure_ascii=False).encode()
    loopback.answer(Answer(200, answer))
    client_for(loopback.url).call("DongBoHoSoMC", "POST", "/sync", json=PERSONAL, parse=envelope,
                                  idempotency_key="k1")
    sent = loopback.received[0].body
    record = CallRecord.objects.get()
    assert (record.request_sha256, record.request_size) == (hashlib.sha256(sent).hexdigest(), len(sent))
    assert (record.response_sha256, record.response_size) == (hashlib.sha256(answer).hexdigest(), len(answer))
    stored = json.dumps(list(CallRecord.objects.values()), default=str, ensure_ascii=False)
    assert "Nguyễn Văn An" not in stored and "075090001234" not in stored


def test_backoff_grows_exponentially_and_is_capped():
    top = lambda low, high: high  # noqa: E731  (the jitter's upper bound)
    assert [backoff_delay(n, 0.5, 4.0, rng=top) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert all(0 <= backoff_delay(5, 0.5, 4.0) <= 4.0 for _ in range(200))
