"""Recording "sent" rides through a short database outage: the provider already has the message, so giving up
would have the sweep send it again (found by bench/reliability.py restarting PostgreSQL mid-run)."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError

from motcua.notifications.actions import _through_outage


def flaky(failures, error=OperationalError):
    calls = []

    def write():
        calls.append(1)
        if len(calls) <= failures:
            raise error("server closed the connection unexpectedly")

    return write, calls


def test_the_write_is_tried_again_until_the_database_is_back():
    write, calls = flaky(3)
    with mock.patch("motcua.notifications.actions.time.sleep") as sleep, \
            mock.patch("motcua.notifications.actions.connection") as connection:
        connection.in_atomic_block = False
        _through_outage(write)
    assert len(calls) == 4 and sleep.call_count == 3 and connection.close.call_count == 3


def test_an_outage_longer_than_the_limit_is_raised():
    write, calls = flaky(10_000, InterfaceError)
    with mock.patch("motcua.notifications.actions.time.sleep"), \
            mock.patch("motcua.notifications.actions.connection") as connection, pytest.raises(InterfaceError):
        connection.in_atomic_block = False
        _through_outage(write, seconds=0)
    assert len(calls) == 1


def test_inside_a_callers_transaction_nothing_is_retried():
    write, calls = flaky(1)
    with mock.patch("motcua.notifications.actions.connection") as connection, pytest.raises(OperationalError):
        connection.in_atomic_block = True
        _through_outage(write)
    assert len(calls) == 1


def test_other_errors_are_not_retried():
    def write():
        raise ValueError("a bug, not an outage")

    with pytest.raises(ValueError):
        _through_outage(write)
