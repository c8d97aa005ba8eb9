"""What each team has done so far, read from its workspace: the facilitator's
dashboard and the end-of-session export.

Nothing here is reported by the pages themselves: each step's model says, from
the keys the step writes, how far a team got (``progress``), and a step counts as
済 when its hand-off to the next step exists. This module only goes over the
steps of the registry (kit.pages.STEPS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from kit.masking import mask_text
from kit.pages import STEPS
from kit.start.self_assessment import responses
from kit.steps import STATUSES, StepProgress
from kit.steps.cases import model as cases
from kit.steps.pitch import model as pitch
from kit.steps.pitch.domain import Pitch, masked
from kit.steps.pitch.model import load_pitch

__all__ = ["STATUSES", "TeamProgress", "GalleryEntry", "team_progress", "progress_table", "gallery_entry"]


@dataclass(frozen=True)
class TeamProgress:
    team: str
    joined: datetime | None
    last_activity: datetime | None
    current_step: str | None          # file of the step written to most recently
    steps: dict[str, StepProgress] = field(default_factory=dict)   # step file → its progress
    pre: int = 0
    post: int = 0

    @property
    def status(self) -> dict[str, str]:
        """Step file → one of STATUSES."""
        return {file: step.status for file, step in self.steps.items()}

    def detail(self, step_file: str) -> str:
        """What was done in a step, in a few words."""
        return self.steps[step_file].detail


def team_progress(workspace, team: str, joined: datetime | None = None) -> TeamProgress:
    """Progress of one team from what its workspace holds."""
    steps = {page.file: page.model.progress(workspace) for page in STEPS}
    latest = [(step.last, file) for file, step in steps.items() if step.last]
    return TeamProgress(
        team=team, joined=joined, last_activity=workspace.last_updated(),
        current_step=max(latest)[1] if latest else None, steps=steps,
        pre=len(responses(workspace, "pre")), post=len(responses(workspace, "post")))


def _clock(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%H:%M") if moment else "—"


def progress_table(progress: list[TeamProgress]) -> pd.DataFrame:
    """One row per team, as the dashboard and the export show it (local times)."""
    titles = {page.file: page.title for page in STEPS}
    rows = []
    for p in progress:
        row = {"チーム": p.team, "参加": _clock(p.joined), "最終更新": _clock(p.last_activity),
               "いまのステップ": titles.get(p.current_step, "—")}
        for page in STEPS:
            row[page.title] = f"{p.status[page.file]}（{p.detail(page.file)}）"
        row.update({"事前の理解度チェック": p.pre, "事後の理解度チェック": p.post})
        rows.append(row)
    columns = ["チーム", "参加", "最終更新", "いまのステップ", *(page.title for page in STEPS),
               "事前の理解度チェック", "事後の理解度チェック"]
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class GalleryEntry:
    """What a team shows in plenary, with personal data masked."""

    team: str
    issues: tuple[str, ...]
    pitch: Pitch | None


def _masked(text: str) -> str:
    return mask_text(text).text if text else text


def gallery_entry(workspace, team: str) -> GalleryEntry:
    saved = cases.saved_issues(workspace) if workspace.get(cases.ISSUES_KEY) else []
    issues = tuple(_masked(issue.statement) for issue in saved)
    shown = masked(load_pitch(workspace))[0] if pitch.started(workspace) else None
    return GalleryEntry(team, issues, shown)
