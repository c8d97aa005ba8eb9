"""The landing page's state, without widgets: the workspace a visitor chooses
(a self-study name, or a workshop team joined with its code), the memo, the
理解度チェック being answered, and where each kind of data is read."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import traitlets

from kit import pages
from kit import workshop as wk
from kit.start import self_assessment as sa
from kit.steps import masked_text

__all__ = ["MEMO_KEY", "ANSWERS_PREFIX", "UPLOADED_ON_STEP_PAGE", "StartModel", "SelfAssessmentModel",
           "record", "responses", "upload_page", "export_sheets"]

MEMO_KEY = "start/memo"        # この研修で持ち帰りたいこと
ANSWERS_PREFIX = "self/"       # 理解度チェック: self/pre, self/post, a list of people each
# Kinds read on their own step's page (by package), where they get what a plain
# upload would skip: cases are masked before storing (02), actors are checked for
# duplicates (03). Every other kind is read on the landing page.
UPLOADED_ON_STEP_PAGE: dict[str, str] = {"cases": "kit.steps.cases", "actors": "kit.steps.actors"}


def record(workspace, phase: str, answers, *, now: datetime | None = None) -> int:
    """Add one person's answers; returns how many people of this workspace have
    answered this phase. Raises ValueError (Japanese) when a question is unanswered."""
    added = sa.entry(phase, answers, now)
    return len(workspace.update(f"{ANSWERS_PREFIX}{phase}", lambda current: [*(current or []), added], []))


def responses(workspace, phase: str) -> list[dict[str, int]]:
    """Each person's answers ({question key: 1–4}) for ``phase``, in answer order."""
    if phase not in sa.PHASES:
        raise ValueError(f"phase must be one of {tuple(sa.PHASES)}: {phase!r}")
    return [entry["answers"] for entry in workspace.get(f"{ANSWERS_PREFIX}{phase}", []) or []]


def upload_page(kind: str) -> pages.Page:
    """The page where a kind of data is read."""
    package = UPLOADED_ON_STEP_PAGE.get(kind)
    return next((page for page in pages.STEPS if page.package == package), pages.LANDING)


class StartModel(traitlets.HasTraits):
    """Choosing a workspace: the self-study name typed, or the workshop form."""

    name = traitlets.Unicode()   # a self-study workspace
    code = traitlets.Unicode()   # 研修コード
    team = traitlets.Unicode()   # チーム名
    pin = traitlets.Unicode()    # 合言葉, from a team's second PC

    def __init__(self, store):
        super().__init__()
        self.store = store

    def checked_name(self) -> str:
        """:attr:`name` as a workspace is named; raises ValueError (Japanese) when
        it cannot name one."""
        return wk.check_personal_name(self.name)

    def join(self) -> wk.Membership:
        """Join the workshop as the form says; raises ValueError (Japanese) or
        kit.store.StoreError. The 合言葉 is forgotten once used."""
        member = wk.join(self.store, self.code, self.team, self.pin)
        self.pin = ""
        return member


class SelfAssessmentModel(traitlets.HasTraits):
    """One phase of the 理解度チェック on a team's PC: the answers being chosen
    ({question key: level}) and how many people of the team answered."""

    answers = traitlets.Dict()
    count = traitlets.Int(0)

    def __init__(self, workspace, phase: str):
        super().__init__()
        self.workspace, self.phase = workspace, phase
        self.count = len(responses(workspace, phase))

    def choose(self, question: str, level: int | None) -> None:
        if self.answers.get(question) != level:
            self.answers = {**self.answers, question: level}

    def submit(self) -> int:
        """Save one person's answers and clear them for the next person; raises
        ValueError (Japanese: which questions are unanswered) or StoreError."""
        self.count = record(self.workspace, self.phase, self.answers)
        self.answers = {}
        return self.count


def export_sheets(workspaces) -> dict:
    """理解度 (before and after, over all teams), 理解度_回答 and 持ち帰りたいこと."""
    given = [(ws.team, phase, person) for ws in workspaces for phase in sa.PHASES
             for person in responses(ws, phase)]
    questions = [f"問{i}" for i in range(1, len(sa.QUESTIONS) + 1)]
    understanding = sa.summary({phase: [person for _, given_in, person in given if given_in == phase]
                                for phase in sa.PHASES})
    understanding.insert(0, "問", questions)
    answers = [{"チーム": team, "時期": sa.PHASES[phase],
                **{f"問{i}": person.get(key) for i, (key, _, _) in enumerate(sa.QUESTIONS, 1)}}
               for team, phase, person in given]
    notes = [{"チーム": ws.team, "この研修で持ち帰りたいこと": masked_text(ws.get(MEMO_KEY, ""))} for ws in workspaces]
    return {
        "理解度": understanding,
        "理解度_回答": pd.DataFrame(answers, columns=["チーム", "時期", *questions]),
        "持ち帰りたいこと": pd.DataFrame(notes, columns=["チーム", "この研修で持ち帰りたいこと"]),
    }
