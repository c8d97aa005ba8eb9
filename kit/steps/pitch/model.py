"""Page 04's state and its store keys: the pitch being written, what it is made of
(the regional issues saved in 02, the cases with the tags confirmed in 02, the
actors with the partners chosen in 03, the figures of 地域診断), the reviews a team
received, and what the dashboard reads of it.

The pitch is saved field by field (``pitch/draft/<field>``) so two PCs of one team
never overwrite each other's parts. :class:`PitchModel` saves first and publishes
after: a save the store refuses raises, and the pitch on the page stays as stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import date

import pandas as pd
import traitlets

from kit import datasets
from kit.export import export_filename
from kit.masking import MaskResult
from kit.steps import GallerySection, StepProgress, masked_text, step_progress
from kit.steps.actors.model import chosen_partners
from kit.steps.cases.issues import RegionalIssue
from kit.steps.cases.model import confirmed_cases, saved_issues
from kit.steps.pitch.cross_sector import CrossSector, StandardAmounts, area_count
from kit.steps.pitch.domain import (
    RUBRIC,
    RUBRIC_LEVELS,
    Figure,
    Partner,
    Pitch,
    Story,
    TownTables,
    check,
    mask_keeping,
    masked,
    partner_from_actor,
    partner_names,
    partner_options,
    rank_cases,
    story_from_case,
    suggested_figures,
)
from kit.store import Workspace, normalise_workspace_name
from kit.workshop import review_names

__all__ = ["DRAFT_PREFIX", "REVIEWS_KEY", "PREFIXES", "Exported", "PitchModel", "save_field", "update_field",
           "load_pitch", "submit_review", "started", "progress"]

DRAFT_PREFIX = "pitch/draft/"   # one key per part of the pitch: pitch/draft/ki, pitch/draft/figures …
REVIEWS_KEY = "pitch/reviews"   # {reviewer team: {"scores": {…}, "comment": …}} other teams sent
PREFIXES: tuple[str, ...] = (DRAFT_PREFIX,)


# --- storage -------------------------------------------------------------------------

def _encode(name: str, value):
    if value is None or isinstance(value, str):
        return value
    if name in ("figures", "partners"):
        return [asdict(item) for item in value]
    if name in ("cross_sector", "issue"):
        return value.to_dict()
    return asdict(value)


def _decode(name: str, value):
    if value is None or name not in _STRUCTURED:
        return value
    return _STRUCTURED[name](value)


# The parts that are not free text, and how each is read back.
_STRUCTURED: dict[str, Callable] = {
    "issue": RegionalIssue.from_dict,
    "figures": lambda items: tuple(Figure(**item) for item in items),
    "story": lambda item: Story(**item),
    "partners": lambda items: tuple(Partner(**item) for item in items),
    "cross_sector": CrossSector.from_dict,
    "standard": lambda item: StandardAmounts(**item),
}
_FIELD_NAMES = frozenset(field.name for field in fields(Pitch)) - {"team"}


def save_field(workspace, name: str, value) -> None:
    """Save one part of the pitch as the user changes it."""
    if name not in _FIELD_NAMES:
        raise KeyError(name)
    workspace.put(DRAFT_PREFIX + name, _encode(name, value))


def update_field(workspace, name: str, change: Callable, default=None):
    """Save ``change(the part as stored, or default)`` in one transaction and return
    it: two PCs of a team adding figures or partners at once keep both."""
    if name not in _FIELD_NAMES:
        raise KeyError(name)
    stored = workspace.update(DRAFT_PREFIX + name, lambda current: _encode(
        name, change(default if current is None else _decode(name, current))))
    return _decode(name, stored)


def load_pitch(workspace) -> Pitch:
    """The workspace's pitch as saved so far (empty parts stay empty)."""
    saved = {key.removeprefix(DRAFT_PREFIX): value for key, value in workspace.items(DRAFT_PREFIX)}
    values = {name: _decode(name, value) for name, value in saved.items() if name in _FIELD_NAMES}
    # A workshop team's workspace has an internal name; its label is the team's name.
    team = getattr(workspace, "label", workspace.name)
    return Pitch(team=team, **{k: v for k, v in values.items() if v is not None})


def submit_review(store, reviewed: str, reviewer: str, scores: dict[str, int], comment: str) -> dict:
    """Save one team's review of another in the reviewed team's workspace, under
    the reviewer's name (a second review from the same team replaces the first).
    Raises ValueError with a Japanese message when something is missing."""
    reviewed, reviewer = normalise_workspace_name(reviewed), normalise_workspace_name(reviewer)
    if reviewed == reviewer:
        raise ValueError("自分のチームは評価できません。評価する相手のチーム名を入れてください。")
    missing = [question for key, question in RUBRIC if scores.get(key) not in RUBRIC_LEVELS]
    if missing:
        raise ValueError("まだ点をつけていない項目があります: " + "、".join(missing))
    entry = {"scores": {key: int(scores[key]) for key, _ in RUBRIC}, "comment": comment.strip()}
    Workspace(store, reviewed).update(REVIEWS_KEY, lambda reviews: {**(reviews or {}), reviewer: entry})
    return entry


# --- the page's model ----------------------------------------------------------------------

NO_CHOICE = ""  # the value of 「（選ばない）」 in the issue and case lists
# The parts another PC's save is shown for by the model (the texts follow by themselves).
_FOLLOWED = tuple(_STRUCTURED)


@dataclass(frozen=True)
class Exported:
    """A file made from the pitch: its bytes, the name to save it as, what was
    masked in it ({kind: count}) and how many prompts of the check remain."""

    data: bytes
    filename: str
    mime: str
    hidden: dict[str, int]
    remaining: int


class PitchModel(traitlets.HasTraits):
    """The pitch being written and what it is made of, for one workspace.

    Each change is saved, then published in :attr:`pitch`; choosing another issue
    re-ranks the cases, the partners and the suggested figures in the same
    notification (views see them together)."""

    pitch = traitlets.Instance(Pitch, kw={})
    issue_options = traitlets.List()     # (label, 課題ID), 「（選ばない）」 first
    case_options = traitlets.List()      # (label, 事例ID), 「（選ばない）」 first, ranked for the issue
    partner_options = traitlets.List()   # (label, 主体ID): the team's choice in 03, the candidates, the rest
    suggestions = traitlets.List()       # Figure of 地域診断 for the chosen issue
    town_problem = traitlets.Unicode()   # why 地域診断 gives no figures ("" when it does)
    areas = traitlets.Int(1)             # 日常生活圏域 of the town, for the standard amounts
    reviews = traitlets.Dict()           # {reviewer team: entry} this team received

    def __init__(self, store=None, **kwargs):
        super().__init__(**kwargs)
        self.store = store
        self.workspace = None
        self.issues: list[RegionalIssue] = []
        self.cases = pd.DataFrame()      # with 生活課題 as confirmed in 02
        self.actors = pd.DataFrame()
        self.chosen = []                 # ChosenPartner of 03
        self.area_names: dict[str, str] = {}
        self.town: TownTables | None = None

    # -- reading ------------------------------------------------------------------------
    def load(self, workspace) -> None:
        """Read the workspace: its data, the other steps' hand-offs and the pitch."""
        self.workspace = workspace
        self.cases = confirmed_cases(workspace)
        self.actors = datasets.for_workspace(workspace, "actors")
        self.chosen = chosen_partners(workspace)
        self.issues = saved_issues(workspace)
        areas = datasets.for_workspace(workspace, "areas")
        self.area_names = dict(zip(areas["地区コード"], areas["地区名"]))
        try:
            self.town = TownTables.derive(datasets.for_workspace(workspace, "population"),
                                          datasets.for_workspace(workspace, "certification"), areas)
            problem = ""
        except (KeyError, ValueError) as error:  # an uploaded table with nothing to compare: figures by hand
            self.town = None
            problem = str(error.args[0]) if error.args else type(error).__name__  # KeyError's str() adds quotes
        with self.hold_trait_notifications():
            self.town_problem = problem
            self.areas = max(area_count(areas), 1)
            self.issue_options = [("（選ばない）", NO_CHOICE)] + [(f"{i.id} {i.statement}", i.id) for i in self.issues]
            self._publish(load_pitch(workspace), fresh=True)
            self.reviews = workspace.get(REVIEWS_KEY) or {}

    def follow(self) -> bool:
        """Show the parts another PC of the team saved; True when there were any."""
        stored = load_pitch(self.workspace)
        parts = {name: getattr(stored, name) for name in _FOLLOWED
                 if getattr(stored, name) != getattr(self.pitch, name)}
        if parts:
            self._publish(replace(self.pitch, **parts))
        return bool(parts)

    def refresh_reviews(self) -> None:
        self.reviews = (self.workspace.get(REVIEWS_KEY) if self.workspace else None) or {}

    @property
    def issue_id(self) -> str:
        return self.pitch.issue.id if self.pitch.issue else NO_CHOICE

    @property
    def case_id(self) -> str:
        return self.pitch.story.case_id if self.pitch.story else NO_CHOICE

    @property
    def partner_ids(self) -> tuple[str, ...]:
        """The chosen partners from the actor list (not those typed in by hand)."""
        return tuple(p.actor_id for p in self.pitch.partners if p.actor_id)

    def mask(self, text: str) -> MaskResult:
        """Masking for this pitch's free text: the partners' names are no personal data."""
        return mask_keeping(text, partner_names(self.pitch))

    # -- saving -------------------------------------------------------------------------
    def set(self, name: str, value) -> None:
        """Save first: the pitch on screen never runs ahead of what is stored."""
        save_field(self.workspace, name, value)
        self._publish(replace(self.pitch, **{name: value}))

    def change(self, name: str, change: Callable, default=()) -> None:
        """Save ``change`` applied to the part as stored now (not as this page last
        saw it), so another PC's additions to a list are kept."""
        self._publish(replace(self.pitch, **{name: update_field(self.workspace, name, change, default)}))

    def text_saved(self, name: str, text: str) -> None:
        """A canvas text was saved (or taken from another PC) by its own box."""
        self.pitch = replace(self.pitch, **{name: text})

    def choose_issue(self, issue_id: str) -> bool:
        """Make ``issue_id`` the pitch's issue (``NO_CHOICE``: none); False when it already is."""
        if issue_id == self.issue_id:
            return False
        self.set("issue", next((issue for issue in self.issues if issue.id == issue_id), None))
        return True

    def choose_case(self, case_id: str) -> bool:
        """Tell the story of ``case_id`` (``NO_CHOICE``: no story); False when nothing changed."""
        if case_id == self.case_id:
            return False
        row = self.cases[self.cases["事例ID"] == case_id] if case_id else self.cases.iloc[:0]
        if case_id and row.empty:
            return False
        self.set("story", story_from_case(row.iloc[0], self.area_names) if case_id else None)
        return True

    def choose_partners(self, actor_ids) -> bool:
        """The partners from the actor list, in this order; partners typed in by hand stay."""
        if tuple(actor_ids) == self.partner_ids:
            return False
        listed = tuple(partner_from_actor(self.actors, actor_id) for actor_id in actor_ids)
        self.change("partners", lambda stored: listed + tuple(p for p in stored if not p.actor_id))
        return True

    def add_partner(self, partner: Partner) -> None:
        self.change("partners", lambda stored: stored + (partner,))

    def remove_partner(self, partner: Partner) -> None:
        self.change("partners", lambda stored: tuple(p for p in stored if p != partner))

    def add_figure(self, figure: Figure) -> None:
        self.change("figures", lambda figures: figures + (figure,))

    def add_suggested(self, index: int) -> None:
        self.add_figure(self.suggestions[index])

    def remove_figure(self, figure: Figure) -> None:
        self.change("figures", lambda figures: tuple(f for f in figures if f != figure))

    def send_review(self, typed_team: str, scores: dict[str, int], comment: str) -> None:
        """Save this team's review of the team typed (in a workshop: another team of it).
        Raises ValueError (Japanese) for a team that cannot be reviewed or a missing score."""
        reviewed, reviewer = review_names(self.store, self.workspace, typed_team)
        submit_review(self.store, reviewed, reviewer, scores, comment)

    # -- files --------------------------------------------------------------------------
    def export(self, kind: str, day: date) -> Exported:
        """The pitch as slides (``"pptx"``) or a one-page summary (``"html"``), with
        personal data masked in every free text."""
        # Imported on the first file: python-pptx is no load for a page (or the
        # dashboard, which reads this module) that never makes one.
        from kit.steps.pitch.export import PPTX_MIME, chart_images, to_html, to_pptx

        pitch, hidden = masked(self.pitch)
        images = chart_images(pitch)
        if kind == "pptx":
            data, mime, name = to_pptx(pitch, images, day), PPTX_MIME, f"提案_{pitch.team}"
        else:
            data, mime, name = to_html(pitch, images, day).encode("utf-8"), "text/html", f"提案1枚まとめ_{pitch.team}"
        return Exported(data, export_filename(name, kind, day), mime, hidden, len(check(pitch)))

    # -- what the pitch is made of --------------------------------------------------------
    def _publish(self, pitch: Pitch, fresh: bool = False) -> None:
        """Show ``pitch``; the lists that depend on its issue change with it. Observers
        hear of the pitch first (the issue line the user looks at), then of the lists."""
        issue_changed = fresh or pitch.issue != self.pitch.issue
        with self.hold_trait_notifications():
            self.pitch = pitch
            if issue_changed:
                self._ingredients(pitch.issue)

    def _ingredients(self, issue: RegionalIssue | None) -> None:
        self.case_options = [("（選ばない）", NO_CHOICE)] + [
            (f"{case.事例ID} {self.area_names.get(case.地区コード, case.地区コード)}・{case.年齢階級}歳・"
             f"{case.世帯}・{case.要介護度}" + (f" — {'・'.join(case.生活課題)}" if _tags(case.生活課題) else ""),
             case.事例ID)
            for case in rank_cases(self.cases, issue).itertuples(index=False)]
        self.partner_options = (partner_options(self.actors, issue, self.area_names, self.chosen)
                                if not self.actors.empty else [])
        self.suggestions = suggested_figures(self.town, issue) if self.town is not None else []


def _tags(cell) -> bool:
    """True when a case's 生活課題 holds tags (a missing cell reads as NaN)."""
    return isinstance(cell, (tuple, list)) and bool(cell)


# --- what the dashboard reads --------------------------------------------------------------

def started(workspace) -> bool:
    return bool(workspace.keys(DRAFT_PREFIX))


def progress(workspace) -> StepProgress:
    if not started(workspace):
        return step_progress(workspace, PREFIXES, False, "—")
    prompts = len(check(load_pitch(workspace)))
    reviews = len(workspace.get(REVIEWS_KEY) or {})
    return step_progress(workspace, PREFIXES, prompts == 0, f"チェック残り {prompts}件・評価 {reviews}件")


def pitch_rows(pitch) -> list[tuple[str, str]]:
    """(項目, 内容) of a (masked) pitch, in the order of the canvas."""
    rows = [("タイトル", pitch.title_text),
            ("地域課題", pitch.goal_text),
            ("数字", "\n".join(figure.text() for figure in pitch.figures)),
            ("一人の物語", pitch.story.text() if pitch.story else ""),
            ("連携先", "、".join(partner.name for partner in pitch.partners))]
    rows += [(f"{part}（{role}）", text) for part, role, text in pitch.parts()]
    rows += pitch.gains() + pitch.skeleton()
    return rows


def gallery(workspace):
    """The pitch's title and 起承転結 (and, shown alone, what each party gains), masked."""
    if not started(workspace):
        return GallerySection("", empty="提案はまだ書かれていません")
    pitch = masked(load_pitch(workspace))[0]
    return GallerySection(f"提案: {pitch.title_text}",
                          tuple((part, text.strip() or "（未記入）") for part, _role, text in pitch.parts()),
                          more=tuple((head, text.strip() or "（未記入）") for head, text in pitch.gains()),
                          title=True)


def export_sheets(workspaces) -> dict:
    """提案 (each started pitch, masked) and 相互評価 of every team."""
    pitches, reviews = [], []
    for ws in workspaces:
        if started(ws):
            pitches += [{"チーム": ws.team, "項目": item, "内容": text}
                        for item, text in pitch_rows(masked(load_pitch(ws))[0])]
        for reviewer, entry in sorted((ws.get(REVIEWS_KEY) or {}).items()):
            reviews.append({"評価されたチーム": ws.team, "評価したチーム": reviewer,
                            **{question: entry["scores"].get(key) for key, question in RUBRIC},
                            "コメント": masked_text(entry.get("comment", ""))})
    return {
        "提案": pd.DataFrame(pitches, columns=["チーム", "項目", "内容"]),
        "相互評価": pd.DataFrame(reviews, columns=["評価されたチーム", "評価したチーム", *(q for _, q in RUBRIC), "コメント"]),
    }
