"""Live workshops: a facilitator opens a workshop with a short code, teams join it,
and each team works in its own workspace that no other team can open.

How a team's workspace is protected
-----------------------------------
A workshop is a record in the store (workspace ``@CODE``, key ``workshop``) that
lists its teams, each with the hashes of its link *tokens* (one per device that
joined) and of its four-digit *合言葉* (PIN) (:mod:`kit.team_secrets`: the store
never holds either in the clear, so they are shown once, when made). A team's
work lives in the workspace ``@CODE <team>``. Pages never take that name from the
URL: a team's links carry ``?ws=@CODE:<token>``, and :func:`resolve_access` finds
the team whose token matches. The facilitator's dashboard links to a team with a
token signed by the facilitator's passphrase (:func:`facilitator_access`). Knowing another team's
name (or even the internal workspace name) is therefore not enough to open it.
Names starting with ``@`` are reserved for workshops, so self-study (``?ws=<name>``)
can never reach a team's workspace either.

Joining: the first device of a team joins with the code and a team name, which
creates the team. Any later device either opens the same link, or joins with
code + team + 合言葉 and gets a link of its own. Guessing and squatting are bounded
(``kit.limits``): teams are created at most :data:`~kit.limits.TEAM_JOIN_BURST` at once
and then one every few seconds, up to :data:`~kit.limits.MAX_TEAMS`; names mixing in
look-alike scripts (Cyrillic 「А」 beside Latin 「A」) are refused, and names differing
only in case or spaces are the same team. A name in use without its 合言葉 and a wrong
合言葉 (for a team that exists or not) get the same answer, counted per name in the
record: after a few, each try waits longer (``kit.attempts``); nobody is locked out
for good.

The record also holds the countdown timer shown on every team's page.
"""

from __future__ import annotations

import hmac
import math
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from kit import attempts
from kit.limits import MAX_TEAMS, PASSPHRASE_MIN, TEAM_JOIN_BURST, TEAM_JOIN_INTERVAL
from kit.store import StoreError, Workspace, normalise_workspace_name
from kit.team_secrets import pin_digest, pin_matches, token_digest, token_matches

__all__ = [
    "CODE_ALPHABET", "CODE_LENGTH", "KEEP_ON_RESET", "PASSPHRASE_ENV", "RECORD_KEY",
    "RESERVED_PREFIX", "TEAM_NAME_MAX",
    "JoinError", "Membership", "TeamWorkspace", "Timer", "Workshop",
    "check_personal_name", "copy_workspace", "clear_workspace", "create_workshop", "facilitator_access",
    "facilitator_passphrase",
    "find_workshop", "join", "link_value", "list_workshops", "normalise_code",
    "passphrase_matches", "passphrase_problem", "reissue_pin", "resolve_access", "review_names", "set_timer", "team_workspace_name",
    "timer_remaining",
]

RESERVED_PREFIX = "@"
RECORD_KEY = "workshop"
# No letters or digits that read alike on a whiteboard (0/O, 1/I, 2/Z, 5/S, 6/G, 8/B).
CODE_ALPHABET = "ACDEFHJKLMNPRTUVWXY3479"
CODE_LENGTH = 5
_CODE_PATTERN = re.compile(f"^[{CODE_ALPHABET}]{{4,6}}$")
_TOKEN_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
_TOKEN_LENGTH = 14  # ~70 bits: not guessable through a web page
# "@CODE " + team must fit the store's 40-character workspace names.
TEAM_NAME_MAX = 20
# Letters and digits of a team name must come from these scripts (Unicode names
# start with them): others hold look-alikes of Latin letters (Cyrillic А, Greek Α).
_TEAM_SCRIPTS = ("LATIN", "HIRAGANA", "KATAKANA", "CJK", "IDEOGRAPHIC", "HANGUL")
# What a reset keeps: the self-assessment answers belong to the evaluation, not the work.
KEEP_ON_RESET = ("self/",)
PASSPHRASE_ENV = "KIT_FACILITATOR_PASSPHRASE"


class JoinError(ValueError):
    """Joining failed; the message tells the participant what to do."""


# --- names -------------------------------------------------------------------------

def normalise_code(code: str) -> str:
    """``k7m-pa`` → ``K7MPA``: full-width, lower case, spaces and hyphens forgiven."""
    text = unicodedata.normalize("NFKC", code or "").upper()
    text = re.sub(r"[\s\-ー]", "", text)
    if not _CODE_PATTERN.match(text):
        raise JoinError("研修コードは、ファシリテーターが示す4〜6文字の英数字です（例: K7MPA）。")
    return text


def team_workspace_name(code: str, team: str) -> str:
    return f"{RESERVED_PREFIX}{code} {team}"


def _record_workspace(code: str) -> str:
    return f"{RESERVED_PREFIX}{code}"


def check_personal_name(name: str) -> str:
    """A self-study workspace name, normalised; names of workshops are refused."""
    name = normalise_workspace_name(name)
    if name.startswith(RESERVED_PREFIX):
        raise ValueError(f"「{RESERVED_PREFIX}」で始まる名前は研修用です。別の名前にしてください。"
                         "研修に参加するときは、研修コードとチーム名で参加してください。")
    return name


def _team_name(team: str) -> str:
    name = normalise_workspace_name(team)  # raises the store's Japanese messages
    if name.startswith(RESERVED_PREFIX):
        raise JoinError(f"チーム名を「{RESERVED_PREFIX}」で始めることはできません。")
    if len(name) > TEAM_NAME_MAX:
        raise JoinError(f"チーム名は{TEAM_NAME_MAX}文字以内にしてください（いまは{len(name)}文字です）。")
    odd = sorted({char for char in name if unicodedata.category(char)[0] in "LN" and not char.isascii()
                  and not unicodedata.name(char, "").startswith(_TEAM_SCRIPTS)})
    if odd:
        raise JoinError(f"チーム名に、ほかの文字と見分けにくい文字（「{'」「'.join(odd)}」。キリル文字やギリシャ文字など）"
                        "は使えません。日本語か英数字で入れてください。")
    return name


def _team_key(name: str) -> str:
    """Names a dashboard shows alike share a key: case and spaces do not count."""
    return re.sub(r"\s", "", name).casefold()


# --- records -----------------------------------------------------------------------

def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _token() -> str:
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(_TOKEN_LENGTH))


def _new_pin() -> str:
    return f"{secrets.randbelow(10_000):04d}"


def _new_team(token: str, pin: str) -> dict:
    """A team's entry in the workshop record: hashes only (kit.team_secrets)."""
    return {"tokens": [token_digest(token)], "pin_hash": pin_digest(pin), "joined": _iso(_now())}


def _with_device(entry: dict, token: str) -> dict:
    """The entry with one more device's link: each device that rejoins gets its own."""
    return {**entry, "tokens": [*entry["tokens"], token_digest(token)]}


@dataclass(frozen=True)
class Timer:
    label: str
    ends: datetime
    minutes: float


@dataclass(frozen=True)
class Workshop:
    """A workshop as read from the store (plain data; change it through the functions)."""

    code: str
    title: str
    created: datetime
    teams: dict[str, dict]      # team → {"tokens", "pin_hash", "joined"} (hashes: kit.team_secrets)
    timer: Timer | None
    attempts: dict[str, dict] = field(default_factory=dict)  # name key → wrong tries (kit.attempts)

    @classmethod
    def from_record(cls, record: dict) -> "Workshop":
        timer = record.get("timer")
        return cls(code=record["code"], title=record.get("title", ""), created=_parse(record["created"]),
                   teams=dict(record.get("teams", {})),
                   timer=Timer(timer["label"], _parse(timer["ends"]), timer["minutes"]) if timer else None,
                   attempts=dict(record.get("attempts", {})))

    def team_names(self) -> list[str]:
        """Teams in the order they joined."""
        return sorted(self.teams, key=lambda team: (self.teams[team]["joined"], team))

    def joined(self, team: str) -> datetime:
        return _parse(self.teams[team]["joined"])

    def pin_failures(self, team: str) -> int:
        """Wrong 合言葉 (or joins without one) in a row for ``team``'s name."""
        return attempts.failures(self.attempts.get(_team_key(team)))

    def access(self, token: str) -> str:
        """What a link with ``token`` carries in ``?ws=``."""
        return f"{RESERVED_PREFIX}{self.code}:{token}"

    def workspaces(self, store) -> list["TeamWorkspace"]:
        """Each team's workspace, in the order the teams joined."""
        return [TeamWorkspace(store, self, team) for team in self.team_names()]


def create_workshop(store, title: str) -> Workshop:
    """A new workshop with a fresh code (never one already in the store)."""
    title = unicodedata.normalize("NFKC", title or "").strip()[:60] or "研修"
    for _ in range(50):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        record = {"code": code, "title": title, "created": _iso(_now()), "teams": {}, "timer": None}

        def claim(current, record=record):
            if current is not None:
                raise FileExistsError(record["code"])
            return record
        try:
            store.update(_record_workspace(code), RECORD_KEY, claim)
        except FileExistsError:
            continue
        return Workshop.from_record(record)
    raise StoreError("新しい研修コードを作れませんでした。もう一度お試しください。")


def find_workshop(store, code: str) -> Workshop | None:
    try:
        code = normalise_code(code)
    except JoinError:
        return None
    record = store.get(_record_workspace(code), RECORD_KEY)
    return Workshop.from_record(record) if record else None


def list_workshops(store) -> list[Workshop]:
    """Every workshop in the store, newest first."""
    codes = [name[1:] for name in store.workspaces()
             if name.startswith(RESERVED_PREFIX) and _CODE_PATTERN.match(name[1:])]
    found = [find_workshop(store, code) for code in codes]
    return sorted((w for w in found if w), key=lambda w: w.created, reverse=True)


# --- joining -----------------------------------------------------------------------

@dataclass(frozen=True)
class Membership:
    code: str
    title: str
    team: str
    access: str
    pin: str
    created: bool  # True when this join created the team


# One answer for a name in use without its 合言葉 and for a wrong 合言葉, whether
# the team exists or not: the page never tells a stranger which teams there are.
_NOT_JOINED = ("このチーム名と合言葉では参加できませんでした。新しいチームなら、ほかのチームと重ならない名前にして、"
               "合言葉は空のままにしてください。同じチームの2台目なら、チームの画面に出ている合言葉を入れるか、"
               "チームのページのアドレスをそのまま開いてください。")


def _take_join(joins: dict | None, now: datetime) -> tuple[dict | None, int]:
    """Creating a team takes one of TEAM_JOIN_BURST tokens, given back one every
    TEAM_JOIN_INTERVAL seconds: (the tokens left, 0), or (None, seconds to wait)."""
    tokens = TEAM_JOIN_BURST
    if joins:
        elapsed = (now - _parse(joins["at"])).total_seconds()
        tokens = min(TEAM_JOIN_BURST, joins["tokens"] + elapsed / TEAM_JOIN_INTERVAL)
    if tokens < 1:
        return None, math.ceil((1 - tokens) * TEAM_JOIN_INTERVAL)
    return {"tokens": tokens - 1, "at": now.isoformat()}, 0


def join(store, code: str, team: str, pin: str = "", *, now: datetime | None = None) -> Membership:
    """Join workshop ``code`` as ``team``: a new team is created; an existing one
    needs its 合言葉. Raises :class:`JoinError` with a Japanese message."""
    code = normalise_code(code)
    team = _team_name(team)
    if find_workshop(store, code) is None:
        raise JoinError(f"研修コード「{code}」の研修が見つかりません。コードを確かめてください。")
    pin = unicodedata.normalize("NFKC", pin or "").strip()
    now = now or _now()
    key = _team_key(team)
    outcome: dict[str, Any] = {}
    token = _token()

    def enter(record):
        teams, tried = dict(record.get("teams", {})), dict(record.get("attempts", {}))
        known = next((name for name in teams if _team_key(name) == key), None)
        if wait := attempts.wait(tried.get(key), now):
            outcome["error"] = (f"チーム名か合言葉のまちがいが続いたため、{attempts.wait_text(wait)}待ってから、"
                                "もう一度入れてください。")
            return record
        if known is None and not pin:
            if len(teams) >= MAX_TEAMS:
                outcome["error"] = (f"この研修に参加できるのは{MAX_TEAMS}チームまでです。"
                                    "ファシリテーターに声をかけてください。")
                return record
            joins, wait = _take_join(record.get("joins"), now)
            if wait:
                outcome["error"] = (f"参加が集中しています。{attempts.wait_text(wait)}ほど待ってから、"
                                    "もう一度「参加する」を押してください。")
                return record
            outcome.update(team=team, created=True, pin=_new_pin())
            teams[team] = _new_team(token, outcome["pin"])
            return {**record, "teams": teams, "joins": joins}
        if known is not None and pin and pin_matches(pin, teams[known]["pin_hash"]):
            tried.pop(key, None)
            teams[known] = _with_device(teams[known], token)
            outcome.update(team=known, created=False, pin=pin)
            return {**record, "teams": teams, "attempts": tried}
        tried[key] = attempts.failed(tried.get(key), now)
        outcome["error"] = _NOT_JOINED
        return {**record, "attempts": tried}

    record = store.update(_record_workspace(code), RECORD_KEY, enter)
    if "error" in outcome:
        raise JoinError(outcome["error"])
    workshop = Workshop.from_record(record)
    return Membership(code, workshop.title, outcome["team"], workshop.access(token), outcome["pin"],
                      outcome["created"])


def reissue_pin(store, code: str, team: str) -> str:
    """A new 合言葉 for ``team``, heard at once (its wrong tries are forgotten)."""
    pin = _new_pin()

    def change(record):
        teams = dict(record["teams"])
        teams[team] = {**teams[team], "pin_hash": pin_digest(pin)}
        tried = {name: entry for name, entry in record.get("attempts", {}).items() if name != _team_key(team)}
        return {**record, "teams": teams, "attempts": tried}
    store.update(_record_workspace(code), RECORD_KEY, change)
    return pin


class TeamWorkspace(Workspace):
    """A team's workspace in a workshop. ``label`` is the team name people read;
    ``access`` is what the links of the page that opened it carry (None where no
    link opened it, as on the facilitator's dashboard)."""

    def __init__(self, store, workshop: Workshop, team: str, access: str | None = None):
        super().__init__(store, team_workspace_name(workshop.code, team))
        self.code, self.title, self.team = workshop.code, workshop.title, team
        self.label = team
        self.access = access


def resolve_access(store, requested: str) -> TeamWorkspace:
    """The team workspace a ``?ws=@CODE:token`` value opens. Raises ValueError with
    a Japanese message for anything else that starts with ``@``."""
    refused = ValueError("このアドレスでは研修のチームのページを開けません。リンクが途中で切れていないか確かめるか、"
                         "「はじめに」で研修コードとチーム名（2台目からは合言葉も）を入れて参加してください。")
    code, colon, token = requested[len(RESERVED_PREFIX):].partition(":")
    if not colon or not token:
        raise refused
    workshop = find_workshop(store, code)
    if workshop is None:
        raise refused
    if token.startswith(_FACILITATOR_MARK):
        team = next((t for t in workshop.teams
                     if hmac.compare_digest(facilitator_access(workshop, t).encode(), requested.encode())), None)
        if team is not None and facilitator_passphrase():
            return TeamWorkspace(store, workshop, team, requested)
        raise refused
    for team, entry in workshop.teams.items():
        if token_matches(token, entry["tokens"]):
            return TeamWorkspace(store, workshop, team, requested)
    raise refused


# Not in the tokens' alphabet: a team's own token never looks like the facilitator's.
_FACILITATOR_MARK = "F-"


def facilitator_access(workshop: Workshop, team: str, passphrase: str | None = None) -> str:
    """A ``?ws=`` value that opens ``team``'s pages for the facilitator: signed with
    the server's passphrase, so nothing of it is stored, and it stops working when
    the passphrase changes."""
    key = (passphrase or facilitator_passphrase() or "").encode()
    signature = hmac.new(key, f"{workshop.code}\n{team}".encode(), "sha256").hexdigest()[:24]
    return workshop.access(_FACILITATOR_MARK + signature)


def link_value(workspace) -> str:
    """What ``?ws=`` must carry to come back to ``workspace``."""
    return getattr(workspace, "access", None) or workspace.name


def review_names(store, workspace, typed: str) -> tuple[str, str]:
    """(workspace name to store a peer review in, reviewer name to show) when
    ``workspace`` reviews the team typed by the user. In a workshop the typed
    name must be another team of the same workshop."""
    if not isinstance(workspace, TeamWorkspace):
        return check_personal_name(typed), workspace.name
    team = normalise_workspace_name(typed)
    workshop = find_workshop(store, workspace.code)
    if team == workspace.team:
        raise ValueError("自分のチームは評価できません。評価する相手のチーム名を入れてください。")
    if workshop is None or team not in workshop.teams:
        names = "、".join(workshop.team_names()) if workshop else ""
        raise ValueError(f"「{team}」というチームはこの研修にいません。" + (f"参加しているチーム: {names}" if names else ""))
    return team_workspace_name(workspace.code, team), workspace.team


# --- timer -------------------------------------------------------------------------

def set_timer(store, code: str, minutes: float | None, label: str = "", *,
              extend: bool = False, now: datetime | None = None) -> Timer | None:
    """Start a countdown of ``minutes`` (``extend``: add them to the running one);
    ``minutes=None`` stops it. Every team page of the workshop shows it."""
    now = now or _now()

    def change(record):
        current = record.get("timer")
        if minutes is None:
            return {**record, "timer": None}
        ends = now
        if extend and current and _parse(current["ends"]) > now:
            ends = _parse(current["ends"])
        text = label.strip() or (current["label"] if extend and current else "")
        total = (current["minutes"] if extend and current else 0) + minutes
        return {**record, "timer": {"label": text[:40], "ends": _iso(ends + timedelta(minutes=minutes)),
                                    "minutes": total}}
    record = store.update(_record_workspace(code), RECORD_KEY, change)
    return Workshop.from_record(record).timer


def timer_remaining(timer: Timer | None, now: datetime | None = None) -> int | None:
    """Whole seconds left (0 once time is up), or None when no timer is set."""
    if timer is None:
        return None
    left = (timer.ends - (now or _now())).total_seconds()
    return max(math.ceil(left), 0)


# --- team management ---------------------------------------------------------------

def clear_workspace(store, name: str, keep: tuple[str, ...] = KEEP_ON_RESET) -> int:
    """Delete every entry of workspace ``name`` except keys starting with ``keep``;
    returns how many were deleted."""
    doomed = [key for key in store.keys(name) if not key.startswith(keep)]
    for key in doomed:
        store.delete(name, key)
    return len(doomed)


def copy_workspace(store, source: str, target: str, skip: tuple[str, ...] = KEEP_ON_RESET) -> int:
    """Copy every value and table of ``source`` into ``target`` (same keys,
    replacing what is there), except keys starting with ``skip``; returns the count."""
    values = dict(store.items(source))
    copied = 0
    for key in store.keys(source):
        if key.startswith(skip):
            continue
        if key in values:
            store.put(target, key, values[key])
        else:
            store.put_table(target, key, store.get_table(source, key))
        copied += 1
    return copied


# --- facilitator access ------------------------------------------------------------

def facilitator_passphrase(environ=None) -> str | None:
    """The passphrase the server was started with (``--facilitator-passphrase`` or
    ``KIT_FACILITATOR_PASSPHRASE``), or None when none is set."""
    value = (environ if environ is not None else os.environ).get(PASSPHRASE_ENV, "")
    return value.strip() or None


def passphrase_problem(passphrase: str) -> str | None:
    """Why ``passphrase`` is too weak to protect the dashboard (Japanese), or None."""
    if len(unicodedata.normalize("NFKC", passphrase).strip()) < PASSPHRASE_MIN:
        return (f"ファシリテーター用の合言葉が短すぎます。{PASSPHRASE_MIN}文字以上にしてください"
                "（単語をいくつか並べたものをおすすめします）。")
    return None


def passphrase_matches(given: str, expected: str | None) -> bool:
    """Constant-time comparison; full-width input and surrounding spaces forgiven."""
    if not expected:
        return False
    normal = [unicodedata.normalize("NFKC", text or "").strip().encode() for text in (given, expected)]
    return hmac.compare_digest(normal[0], normal[1])
