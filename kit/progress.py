"""What each team has done so far, read from its workspace: the facilitator's
dashboard and the end-of-session export.

Nothing here is reported by the pages themselves; progress is inferred from the
keys the screens write as people work (see each screen's ``*_KEY`` constants) and
the store's write times. A step counts as 済 when its hand-off to the next step
exists: a 気づきメモ (01), a saved regional issue (02), what the team can offer a
partner (03), a pitch with nothing left on its checklist (04).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from kit import cases as cs
from kit.issues import STORE_KEY as ISSUES_KEY
from kit.issues import RegionalIssue
from kit.masking import mask_text
from kit.pages import STEPS
from kit.pitch import DRAFT_PREFIX, REVIEWS_KEY, Pitch, check, load_pitch, masked
from kit.self_assessment import responses

__all__ = ["ACTORS_TABLE_KEY", "MEMO_PREFIX", "OFFERS_KEY", "START_MEMO_KEY", "STEP_PREFIXES", "STATUSES", "TeamProgress", "GalleryEntry",
           "team_progress", "progress_table", "gallery_entry"]

# Written by kit.ui.assessment.memo_key, kit.ui.actors.OFFERS_KEY and
# kit.ui.start.MEMO_KEY; the UI modules are not imported here (they build
# widgets and charts), a test keeps these in step.
MEMO_PREFIX = "assessment/memo/"
OFFERS_KEY = "actors/offers"
START_MEMO_KEY = "start/memo"
ACTORS_TABLE_KEY = "data/actors"

# Keys each step writes (uploads of the town's data belong to the diagnosis).
STEP_PREFIXES: dict[str, tuple[str, ...]] = {
    STEPS[0].file: ("assessment/", "data/areas", "data/population", "data/certification",
                    "data/needs_survey", "data/resources"),
    STEPS[1].file: ("cases/", "issues/", "data/cases"),
    STEPS[2].file: ("actors/", ACTORS_TABLE_KEY),
    STEPS[3].file: (DRAFT_PREFIX,),
}
STATUSES = ("未着手", "作業中", "済")


@dataclass(frozen=True)
class TeamProgress:
    team: str
    joined: datetime | None
    last_activity: datetime | None
    current_step: str | None          # file of the step written to most recently
    memo_areas: int = 0
    tagged_cases: int = 0
    groups: int = 0
    issues: int = 0
    actors_rows: int | None = None    # rows of the team's own actor list; None = the sample
    offers: int = 0
    pitch_started: bool = False
    pitch_prompts: int = 0            # items still missing on the pitch's checklist
    reviews: int = 0
    pre: int = 0
    post: int = 0
    status: dict[str, str] = field(default_factory=dict)   # step file → one of STATUSES

    def detail(self, step_file: str) -> str:
        """What was done in a step, in a few words."""
        if step_file == STEPS[0].file:
            return f"メモ {self.memo_areas}圏域"
        if step_file == STEPS[1].file:
            return f"タグ {self.tagged_cases}件・グループ {self.groups}・地域課題 {self.issues}"
        if step_file == STEPS[2].file:
            own = "見本のリスト" if self.actors_rows is None else f"リスト {self.actors_rows}件"
            return f"{own}・提供できること {self.offers}件"
        return f"チェック残り {self.pitch_prompts}件・評価 {self.reviews}件" if self.pitch_started else "—"


def _non_blank(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def team_progress(workspace, team: str, joined: datetime | None = None) -> TeamProgress:
    """Progress of one team from what its workspace holds."""
    keys = workspace.keys()
    values = dict(workspace.items())
    memo_areas = {key[len(MEMO_PREFIX):].split("/")[0] for key, text in values.items()
                  if key.startswith(MEMO_PREFIX) and _non_blank(text)}
    groups = values.get(cs.GROUPS_KEY) or {}
    offers = values.get(OFFERS_KEY) or {}
    pitch_started = any(key.startswith(DRAFT_PREFIX) for key in keys)
    actors = workspace.get_table(ACTORS_TABLE_KEY) if ACTORS_TABLE_KEY in keys else None
    prompts = len(check(load_pitch(workspace))) if pitch_started else 0

    def touched(step: str) -> bool:
        return any(key.startswith(STEP_PREFIXES[step]) for key in keys)

    done = {STEPS[0].file: bool(memo_areas), STEPS[1].file: bool(values.get(ISSUES_KEY)),
            STEPS[2].file: any(_non_blank(text) for text in offers.values()),
            STEPS[3].file: pitch_started and prompts == 0}
    status = {step: STATUSES[2] if done[step] else STATUSES[1] if touched(step) else STATUSES[0]
              for step in STEP_PREFIXES}
    times = {step: max((t for t in (workspace.last_updated(p) for p in prefixes) if t), default=None)
             for step, prefixes in STEP_PREFIXES.items()}
    latest = [(t, step) for step, t in times.items() if t]
    return TeamProgress(
        team=team, joined=joined, last_activity=workspace.last_updated(),
        current_step=max(latest)[1] if latest else None,
        memo_areas=len(memo_areas), tagged_cases=len(values.get(cs.TAGS_KEY) or {}),
        groups=len(groups.get("groups", [])), issues=len(values.get(ISSUES_KEY) or []),
        actors_rows=None if actors is None else len(actors),
        offers=sum(_non_blank(text) for text in offers.values()),
        pitch_started=pitch_started,
        pitch_prompts=prompts,
        reviews=len(values.get(REVIEWS_KEY) or {}),
        pre=len(responses(workspace, "pre")), post=len(responses(workspace, "post")),
        status=status)


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
    stored = workspace.get(ISSUES_KEY) or []
    issues = tuple(_masked(RegionalIssue.from_dict(item).statement) for item in stored)
    pitch = None
    if workspace.keys(DRAFT_PREFIX):
        pitch = masked(load_pitch(workspace))[0]
    return GalleryEntry(team, issues, pitch)
