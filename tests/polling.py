"""Waiting for something outside the test to happen: a server answering, a pool
filled, a kernel gone. One place polls, with a deadline and a reason to fail."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

__all__ = ["wait_until"]

T = TypeVar("T")


def wait_until(condition: Callable[[], T], timeout: float, failure: Callable[[], str],
               interval: float = 0.5) -> T:
    """Call ``condition`` until it returns something true, and return that. Fail the
    test with ``failure()`` (called only then, e.g. to read a log) once ``timeout``
    seconds have passed; ``condition`` may itself fail the test sooner."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            pytest.fail(failure())
        time.sleep(interval)  # the thing waited for is in another process
    return result
