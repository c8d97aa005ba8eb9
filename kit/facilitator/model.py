"""What the facilitator's dashboard does, without widgets: the passphrase, the
chosen workshop, what every team did, the timer, the teams' workspaces and the
end of the session. Every action but :meth:`DashboardModel.unlock` needs the
passphrase first, so a participant who sends widget messages to this page's
kernel by hand reaches nothing.
"""

from __future__ import annotations

import logging
import sys
from datetime import date

import traitlets

from kit import attempts
from kit import workshop as wk
from kit.facilitator.progress import GalleryEntry, TeamProgress, gallery_entry, team_progress
from kit.start import self_assessment as sa
from kit.start.model import responses

__all__ = ["ALL", "ATTEMPTS_KEY", "MAX_TIMER_MINUTES", "REFRESH_SECONDS", "DashboardModel"]

REFRESH_SECONDS = 10     # automatic refresh of the dashboard
MAX_TIMER_MINUTES = 180
ALL = "*"                # every team of the workshop, where an action offers it
# Where wrong passphrases are counted: a workspace no workshop code can name.
ATTEMPTS_KEY = "facilitator/passphrase_attempts"
_ATTEMPTS = (f"{wk.RESERVED_PREFIX}kit", ATTEMPTS_KEY)
# The server's console: a kernel's own stderr goes there (and never to the page,
# kit.kernels.QuietChannels), so the facilitator sees the guesses.
_console = logging.getLogger("kit.facilitator")
if not _console.handlers:
    _handler = logging.StreamHandler(sys.__stderr__)
    _handler.setFormatter(logging.Formatter("[kit %(asctime)s] %(message)s", "%H:%M:%S"))
    _console.addHandler(_handler)
    _console.propagate = False


class DashboardModel(traitlets.HasTraits):
    """The dashboard's state (:attr:`unlocked`, the chosen :attr:`workshop`) and
    its actions; views observe the traits."""

    unlocked = traitlets.Bool(False)
    workshop = traitlets.Instance(wk.Workshop, allow_none=True)
    earlier_failures = traitlets.Int(0)   # wrong passphrases in a row before the right one

    def __init__(self, store, passphrase: str | None):
        super().__init__()
        self.store = store
        self._passphrase = passphrase

    @property
    def configured(self) -> bool:
        return self._passphrase is not None

    @property
    def too_weak(self) -> str | None:
        """Why the configured passphrase cannot open this page, or None."""
        return wk.passphrase_problem(self._passphrase) if self.configured else None

    def wait(self) -> int:
        """Seconds before a passphrase is heard again, after wrong ones (from any page)."""
        return attempts.wait(self.store.get(*_ATTEMPTS))

    def unlock(self, given: str) -> bool:
        """Check ``given``. Wrong passphrases are counted in the store: after a few,
        each next try must wait longer, whichever page or reload it comes from."""
        if self.unlocked:
            return True
        if not self.configured or self.too_weak:
            return False
        tried = attempts.attempt(self.store, *_ATTEMPTS, lambda: wk.passphrase_matches(given, self._passphrase))
        if tried.right:
            self.earlier_failures = tried.failures
            self.unlocked = True
        elif tried.heard:
            _console.warning("ファシリテーター用の合言葉がまちがっていました（続けて%d回目%s）。", tried.failures,
                             f"、次は{tried.wait}秒後から" if tried.wait else "")
        else:
            _console.warning("ファシリテーター用の合言葉が、待ち時間中に入れられました（あと%d秒。確かめていません）。",
                             tried.wait)
        return self.unlocked

    def _require(self, workshop: bool = True) -> None:
        if not self.unlocked:
            raise PermissionError("合言葉で開いてから操作してください。")
        if workshop and self.workshop is None:
            raise ValueError("研修を選ぶか、新しく作ってください。")

    # -- workshops ---------------------------------------------------------------
    def workshops(self) -> list[wk.Workshop]:
        self._require(workshop=False)
        return wk.list_workshops(self.store)

    def create(self, title: str) -> wk.Workshop:
        self._require(workshop=False)
        self.workshop = wk.create_workshop(self.store, title)
        return self.workshop

    def select(self, code: str) -> None:
        self._require(workshop=False)
        self.workshop = wk.find_workshop(self.store, code)

    def reload(self) -> None:
        """Read the workshop again (teams join, the timer changes)."""
        self._require()
        self.workshop = wk.find_workshop(self.store, self.workshop.code)

    # -- watching ---------------------------------------------------------------------
    def progress(self) -> list[TeamProgress]:
        self._require()
        return [team_progress(ws, ws.team, self.workshop.joined(ws.team))
                for ws in self.workshop.workspaces(self.store)]

    def gallery(self) -> list[GalleryEntry]:
        self._require()
        return [gallery_entry(ws, ws.team) for ws in self.workshop.workspaces(self.store)]

    def answers(self) -> dict[str, list[dict[str, int]]]:
        """Everyone's 理解度チェック answers, per phase, over all teams."""
        self._require()
        teams = self.workshop.workspaces(self.store)
        return {phase: [person for ws in teams for person in responses(ws, phase)] for phase in sa.PHASES}

    # -- timer ------------------------------------------------------------------------
    def start_timer(self, minutes: float, label: str) -> None:
        self._require()
        wk.set_timer(self.store, self.workshop.code, minutes, label)
        self.reload()

    def extend_timer(self, minutes: float) -> None:
        self._require()
        wk.set_timer(self.store, self.workshop.code, minutes, extend=True)
        self.reload()

    def stop_timer(self) -> None:
        self._require()
        wk.set_timer(self.store, self.workshop.code, None)
        self.reload()

    # -- teams ------------------------------------------------------------------------
    def _targets(self, team: str) -> list[str]:
        names = self.workshop.team_names()
        if team != ALL and team not in names:
            raise ValueError(f"「{team}」というチームはこの研修にいません。")
        return names if team == ALL else [team]

    def reset(self, team: str) -> int:
        """Empty the team's workspace (its 理解度チェック answers stay); entries deleted."""
        self._require()
        return sum(wk.clear_workspace(self.store, wk.team_workspace_name(self.workshop.code, name))
                   for name in self._targets(team))

    def seed(self, team: str, source: str) -> int:
        """Replace the team's work with a copy of workspace ``source`` (e.g. one the
        facilitator prepared with the host town's data); entries copied."""
        self._require()
        source = source.strip()
        if not source or not self.store.keys(source):
            raise ValueError(f"ワークスペース「{source}」には何も保存されていません。名前を確かめてください。")
        copied = 0
        for name in self._targets(team):
            target = wk.team_workspace_name(self.workshop.code, name)
            if target == source:
                raise ValueError("複製元と複製先が同じチームです。")
            wk.clear_workspace(self.store, target)
            copied += wk.copy_workspace(self.store, source, target)
        return copied

    def new_pin(self, team: str) -> str:
        self._require()
        pin = wk.reissue_pin(self.store, self.workshop.code, self._targets(team)[0])
        self.reload()
        return pin

    # -- after the session ------------------------------------------------------------
    def purge(self, typed_code: str) -> int:
        """Delete the chosen workshop and all its teams' work, once its code is typed
        again; entries deleted."""
        self._require()
        from kit.purge import purge_workshop

        try:
            same = wk.normalise_code(typed_code) == self.workshop.code
        except wk.JoinError:
            same = False
        if not same:
            raise ValueError("確認のための研修コードが一致しません。何も削除していません。")
        deleted = purge_workshop(self.store, self.workshop.code)
        self.workshop = None
        return deleted

    def export_xlsx(self) -> bytes:
        self._require()
        from kit.facilitator.export import workshop_xlsx

        return workshop_xlsx(self.store, self.workshop)

    def export_pitches(self, day: date) -> tuple[bytes, list[str]]:
        self._require()
        from kit.facilitator.export import pitch_files

        return pitch_files(self.store, self.workshop, day)
