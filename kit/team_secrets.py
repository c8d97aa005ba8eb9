"""A team's link tokens and 合言葉 are kept in the store only as hashes.

Someone who reads a copy of the store (a backup, a laptop left behind) must not
be able to open a team's pages with what they find. Link tokens are long random
strings, so one SHA-256 each is enough. A 合言葉 has only 10,000 values: a salted,
slow hash keeps it out of plain sight, but cannot stop someone with the file from
trying all of them; what protects a team online is the limit on wrong tries
(kit.attempts: each wrong try waits longer).

Stores written before hashing keep ``token`` and ``pin`` in the clear; the store's
migration calls :func:`hashed_team` on every team once (kit.store.MIGRATIONS).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["hashed_team", "pin_digest", "pin_matches", "token_digest", "token_matches"]

_PIN_ROUNDS = 100_000
_PIN_SCHEME = "pbkdf2-sha256"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, digests: list[str]) -> bool:
    """True when ``token`` is one of the team's links (constant time for each)."""
    given = token_digest(token)
    return any(hmac.compare_digest(given, digest) for digest in digests)


def pin_digest(pin: str, salt: str | None = None, rounds: int = _PIN_ROUNDS) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), rounds).hex()
    return f"{_PIN_SCHEME}${rounds}${salt}${digest}"


def pin_matches(pin: str, stored: str) -> bool:
    scheme, rounds, salt, _digest = stored.split("$")
    return scheme == _PIN_SCHEME and hmac.compare_digest(pin_digest(pin, salt, int(rounds)), stored)


def hashed_team(entry: dict) -> dict:
    """A team entry with its clear ``token`` and ``pin`` replaced by hashes (as is if
    already hashed)."""
    entry = dict(entry)
    if "token" in entry:
        entry["tokens"] = [*entry.get("tokens", []), token_digest(entry.pop("token"))]
    if "pin" in entry:
        entry["pin_hash"] = pin_digest(entry.pop("pin"))
    return entry
