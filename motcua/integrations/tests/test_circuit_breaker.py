"""The breaker of a system opens after consecutive failures (calls refused without reaching the network, and
recorded), lets one trial through after the cool-down, and closes on its success or opens again on failure."""

import threading

import pytest

from motcua.integrations.client import CircuitBreaker, CircuitOpen, IntegrationError
from motcua.integrations.models import CallRecord
from motcua.integrations.tests.helpers import client_for, envelope
from motcua.integrations.tests.loopback import Answer

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_breaker_opens_half_opens_and_closes(loopback):
    clock = Clock()
    client = client_for(loopback.url, max_attempts=1, breaker_failures=2, breaker_reset_seconds=30)
    client.breaker.clock = clock
    loopback.answer(Answer(500), Answer(500))
    for _ in range(2):
        with pytest.raises(IntegrationError):
            client.call("LayThuTuc", "GET", "/tt", parse=envelope)
    assert client.breaker.state == CircuitBreaker.OPEN
    with pytest.raises(CircuitOpen):
        client.call("LayThuTuc", "GET", "/tt", parse=envelope)
    assert len(loopback.received) == 2  # refused without a request
    refused = CallRecord.objects.order_by("-pk").first()
    assert refused.error == "circuit open: call refused" and refused.status_code is None

    clock.now += 30
    assert client.breaker.state == CircuitBreaker.HALF_OPEN
    loopback.answer(Answer(500))
    with pytest.raises(IntegrationError):
        client.call("LayThuTuc", "GET", "/tt", parse=envelope)  # the trial fails: open again
    assert client.breaker.state == CircuitBreaker.OPEN and len(loopback.received) == 3

    clock.now += 30
    loopback.answer(Answer(200))
    assert client.call("LayThuTuc", "GET", "/tt", parse=envelope).value == {"error_code": 0}
    assert client.breaker.state == CircuitBreaker.CLOSED


def test_retries_stop_when_the_breaker_opens(loopback):
    loopback.answer(*[Answer(503)] * 5)
    client = client_for(loopback.url, max_attempts=5, breaker_failures=2)
    with pytest.raises(CircuitOpen):
        client.call("LayThuTuc", "GET", "/tt", parse=envelope)
    assert len(loopback.received) == 2
    assert CallRecord.objects.count() == 3


def test_a_4xx_does_not_count_against_the_system(loopback):
    loopback.answer(*[Answer(404)] * 3)
    client = client_for(loopback.url, breaker_failures=2)
    for _ in range(3):
        with pytest.raises(IntegrationError):
            client.call("TraCuuHoSo", "GET", "/hoso", parse=envelope)
    assert client.breaker.state == CircuitBreaker.CLOSED


def test_the_breaker_is_shared_by_clients_and_threads_of_the_process():
    first = client_for("http://127.0.0.1:9", breaker_failures=3)
    second = client_for("http://127.0.0.1:9", breaker_failures=3)
    assert first.breaker is second.breaker
    breaker = CircuitBreaker(failures=1000, reset_seconds=60)
    def fail_100_times():
        for _ in range(100):
            breaker.record_failure()

    threads = [threading.Thread(target=fail_100_times) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert breaker.consecutive_failures == 800


def test_half_open_lets_a_single_trial_through():
    clock = Clock()
    breaker = CircuitBreaker(failures=1, reset_seconds=10, clock=clock)
    breaker.record_failure()
    assert not breaker.allow()
    clock.now += 10
    assert breaker.allow() and not breaker.allow()
    breaker.record_success()
    assert breaker.allow() and breaker.allow()
