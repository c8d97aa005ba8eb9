"""Child-process bodies for tests/test_store.py.

Kept apart from the test module so that children import only the store, not
pandas and pytest: forty of them start in a few seconds."""

from __future__ import annotations

import hashlib
import os
import sys

from kit.store import open_store

SHARED = "共有"


def increment(value: int) -> int:
    return value + 1


def hammer(url: str, workspace: str, count: str) -> None:
    """``count`` own keys plus ``count`` increments of the shared counter. Run as a
    command: says "ready", then opens the store and writes when stdin closes, so
    every worker opens (a fresh file, perhaps) and writes at the same moment."""
    print("ready", flush=True)
    sys.stdin.read()
    store = open_store(url)
    for i in range(int(count)):
        store.put(workspace, f"k/{i:02d}", i)
        store.update(SHARED, "counter", increment, 0)


class _DieAtCommit:
    """A store connection that ends the process when asked to commit."""

    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def commit(self):
        os._exit(3)


def die_at_commit(url: str, value: str) -> None:
    """Write ``value`` and end the process abruptly when the store is about to commit."""
    store = open_store(url)
    store._conn = _DieAtCommit(store._connection())  # fault injection needs the raw connection
    store.put("W", "doc", value)


def die_after_commit(url: str, value: str) -> None:
    """Write ``value`` and end without closing anything."""
    open_store(url).put("W", "doc", value)
    os._exit(4)


def sealed(n: int) -> dict:
    """A large value that carries its own checksum, so a torn write would show."""
    payload = f"{n}:" + "記録" * 200_000
    return {"n": n, "payload": payload, "sha": hashlib.sha256(payload.encode()).hexdigest()}


def write_forever(url: str, started) -> None:
    """Rewrite one large value until killed; ``started`` is set after the first commit."""
    store = open_store(url)
    n = 0
    while True:
        n += 1
        store.put("W", "doc", sealed(n))
        started.set()
