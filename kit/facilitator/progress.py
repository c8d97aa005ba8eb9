"""What each team has done so far, read from its workspace: the facilitator's
dashboard and the end-of-session export.

Nothing here is reported by the pages themselves: each step's model says, from
the keys the step writes, how far a team got (``progress``), and a step counts as
済 when its hand-off to the next step exists. This module only goes over the
steps of the registry (kit.pages.STEPS), read when called: a step added there
shows here, in the gallery and in the export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from kit import pages
from kit.start.model import responses
from kit.steps import STATUSES, GallerySection, StepProgress

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
    steps = {page.file: page.model.progress(workspace) for page in pages.STEPS}
    latest = [(step.last, file) for file, step in steps.items() if step.last]
    return TeamProgress(
        team=team, joined=joined, last_activity=workspace.last_updated(),
        current_step=max(latest)[1] if latest else None, steps=steps,
        pre=len(responses(workspace, "pre")), post=len(responses(workspace, "post")))


def _clock(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%H:%M") if moment else "—"


def progress_table(progress: list[TeamProgress]) -> pd.DataFrame:
    """One row per team, as the dashboard and the export show it (local times)."""
    steps = pages.STEPS
    titles = {page.file: page.title for page in steps}
    rows = []
    for p in progress:
        row = {"チーム": p.team, "参加": _clock(p.joined), "最終更新": _clock(p.last_activity),
               "いまのステップ": titles.get(p.current_step, "—")}
        for page in steps:
            row[page.title] = f"{p.status[page.file]}（{p.detail(page.file)}）"
        row.update({"事前の理解度チェック": p.pre, "事後の理解度チェック": p.post})
        rows.append(row)
    columns = ["チーム", "参加", "最終更新", "いまのステップ", *(page.title for page in steps),
               "事前の理解度チェック", "事後の理解度チェック"]
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class GalleryEntry:
    """What a team shows in plenary: each step's section, personal data masked."""

    team: str
    sections: tuple[GallerySection, ...]


def gallery_entry(workspace, team: str) -> GalleryEntry:
    """Raises kit.masking.MaskingUnavailable when masking cannot run: nothing is
    shown unmasked."""
    shown = (page.model.gallery(workspace) for page in pages.STEPS)
    return GalleryEntry(team, tuple(section for section in shown if section is not None))
