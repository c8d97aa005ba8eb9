"""Wrong guesses slow down; nobody is locked out for good.

A record of wrong tries (``{"failures": n, "last": iso time}``) is kept in the
store beside what it protects, so that reloading a page, or opening another,
does not start the count again. The first :data:`~kit.limits.ATTEMPTS_FREE`
wrong tries cost nothing (a facilitator mistyping); after that each try must
wait, twice as long each time up to :data:`~kit.limits.ATTEMPT_WAIT_MAX`. A
right answer clears the record. Used for the facilitator's passphrase
(:func:`attempt`) and the teams' 合言葉 (``kit.workshop``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from kit.limits import ATTEMPT_WAIT_FIRST, ATTEMPT_WAIT_MAX, ATTEMPTS_FREE

__all__ = ["Attempt", "attempt", "failed", "failures", "wait", "wait_text"]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def failures(record: dict | None) -> int:
    return (record or {}).get("failures", 0)


def wait(record: dict | None, now: datetime | None = None) -> int:
    """Whole seconds before another try is heard (0: it is heard now)."""
    count = failures(record)
    if count < ATTEMPTS_FREE:
        return 0
    delay = min(ATTEMPT_WAIT_FIRST * 2 ** (count - ATTEMPTS_FREE), ATTEMPT_WAIT_MAX)
    until = datetime.fromisoformat(record["last"]) + timedelta(seconds=delay)
    return max(math.ceil((until - (now or _now())).total_seconds()), 0)


def failed(record: dict | None, now: datetime | None = None) -> dict:
    """The record after one more wrong try."""
    return {"failures": failures(record) + 1, "last": (now or _now()).isoformat(timespec="seconds")}


def wait_text(seconds: int) -> str:
    """「あと40秒」「あと3分」: how long to wait, as a person says it."""
    return f"あと{seconds}秒" if seconds < 60 else f"あと{math.ceil(seconds / 60)}分"


@dataclass(frozen=True)
class Attempt:
    right: bool
    heard: bool     # False: refused unheard, an earlier wait was not over
    wait: int       # seconds before the next try is heard
    failures: int   # wrong tries in a row (when right: those before it)


def attempt(store, workspace: str, key: str, check: Callable[[], bool], now: datetime | None = None) -> Attempt:
    """Try ``check`` unless wrong tries recorded at ``workspace``/``key`` make this
    one wait. Reading, checking and recording happen in one store transaction, so
    pages guessing at once cannot slip past the count."""
    now = now or _now()
    outcome = {}

    def change(record):
        if left := wait(record, now):
            outcome["attempt"] = Attempt(False, False, left, failures(record))
            return record
        if check():
            outcome["attempt"] = Attempt(True, True, 0, failures(record))
            return {"failures": 0}
        record = failed(record, now)
        outcome["attempt"] = Attempt(False, True, wait(record, now), record["failures"])
        return record

    store.update(workspace, key, change)
    return outcome["attempt"]
