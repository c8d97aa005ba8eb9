"""The cases step's state, its store keys, and what it hands on to the next steps
(the cases with the tags the team confirmed, the regional issues it saved).

:class:`CasesModel` is the page's state: the case list and what the team decided
about it (tags, groups, issue statements), each saved at once, and what the page
shows (filters, the case being tagged, chosen cards, the form's draft). Case text
is masked before anything is stored. The views link to its traits; nothing here
knows a widget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pandas as pd
import traitlets

from kit import datasets, vocab
from kit.masking import mask_table
from kit.saving import LINE_MAX, TEXT_MAX, Stale, check_length, mask_for_saving
from kit.steps import GallerySection, StepProgress, area_names, masked_text, step_progress
from kit.steps.cases import domain as cs
from kit.steps.cases.issues import RegionalIssue, sample_issues
from kit.steps.cases.tagging import ordered_tags

__all__ = ["PREFIXES", "TAGS_KEY", "GROUPS_KEY", "ISSUES_KEY", "FORM_CHOICES", "FORM_FIELDS", "CasesModel",
           "confirmed_cases", "saved_issues", "save_issues", "progress", "gallery", "export_sheets"]

TAGS_KEY = "cases/tags"          # {事例ID: [生活課題, …]} as the team confirmed them
GROUPS_KEY = "cases/groups"      # the KJ grouping state (kit.steps.cases.domain.empty_groups)
ISSUES_KEY = "issues/regional"   # [RegionalIssue.to_dict(), …]: what 03 and 04 read
PREFIXES: tuple[str, ...] = ("cases/", "issues/", "data/cases")

# The form's choices (a stored value outside them shows as blank), then its free texts.
FORM_CHOICES: dict[str, tuple[str, ...]] = {
    "緊急度": ("", *vocab.URGENCIES), "年齢階級": ("", *vocab.AGE_BANDS[12:]), "性別": ("", *vocab.SEXES[:2]),
    "世帯": ("", *vocab.HOUSEHOLDS), "要介護度": ("", *vocab.CARE_LEVELS)}
FORM_FIELDS: tuple[str, ...] = ("地区コード", *FORM_CHOICES, *cs.MASKED_COLUMNS)


# --- what the step hands on ---------------------------------------------------------------

def _confirmed(workspace) -> dict[str, list[str]]:
    return dict(workspace.get(TAGS_KEY, {}) or {})


def _stored_issues(workspace) -> list[RegionalIssue]:
    return [RegionalIssue.from_dict(item) for item in workspace.get(ISSUES_KEY) or []]


def confirmed_cases(workspace) -> pd.DataFrame:
    """The workspace's cases (every column of its case list, the sample town's while
    it has none), their 生活課題 as a tuple: the tags the team confirmed in 02, in
    vocabulary order with the team's own tags after them; a case nobody tagged keeps
    the tags of its file (for the sample town, the model answer)."""
    cases = datasets.for_workspace(workspace, "cases")
    tags = cs.effective_tags(cases, _confirmed(workspace))
    return cases.assign(生活課題=cases["事例ID"].map(tags))


def saved_issues(workspace) -> list[RegionalIssue]:
    """The regional issues the team saved (the sample town's until it saves one)."""
    stored = workspace.get(ISSUES_KEY)
    return list(sample_issues()) if stored is None else _stored_issues(workspace)


def save_issues(workspace, issues: list[RegionalIssue]) -> None:
    workspace.put(ISSUES_KEY, [issue.to_dict() for issue in issues])


def progress(workspace) -> StepProgress:
    values = dict(workspace.items())
    issues = values.get(ISSUES_KEY) or []
    groups = (values.get(GROUPS_KEY) or {}).get("groups", [])
    detail = f"タグ {len(values.get(TAGS_KEY) or {})}件・グループ {len(groups)}・地域課題 {len(issues)}"
    return step_progress(workspace, PREFIXES, bool(issues), detail)


def gallery(workspace):
    """The regional issues the team found, masked (none until it saves one: no sample stands in)."""
    return GallerySection("見つけた地域課題", tuple(("", masked_text(issue.statement))
                                               for issue in _stored_issues(workspace)),
                          empty="地域課題はまだ保存されていません")


def export_sheets(workspaces) -> dict[str, pd.DataFrame]:
    """地域課題, 事例のタグ and グループ of every team (free text masked)."""
    issues, tags, groups = [], [], []
    for ws in workspaces:
        names = area_names(ws)
        for issue in _stored_issues(ws):
            issues.append({"チーム": ws.team, "課題ID": issue.id, "地域課題": masked_text(issue.statement),
                           "生活課題": "・".join(issue.life_issues),
                           "地区": "・".join(names.get(a, a) for a in issue.areas) or "市内全域",
                           "緊急度": issue.urgency, "範囲": issue.scope, "事例ID": "・".join(issue.case_ids),
                           "根拠": masked_text(issue.evidence)})
        for case_id, chosen in sorted((ws.get(TAGS_KEY) or {}).items()):
            tags.append({"チーム": ws.team, "事例ID": case_id, "生活課題": "・".join(chosen)})
        for group in (ws.get(GROUPS_KEY) or {}).get("groups", []):
            groups.append({"チーム": ws.team, "グループ": masked_text(group.get("name", "")),
                           "カード数": len(group.get("cards", [])), "カード": "、".join(group.get("cards", []))})
    return {
        "地域課題": pd.DataFrame(issues, columns=["チーム", "課題ID", "地域課題", "生活課題", "地区", "緊急度", "範囲",
                                             "事例ID", "根拠"]),
        "事例のタグ": pd.DataFrame(tags, columns=["チーム", "事例ID", "生活課題"]),
        "グループ": pd.DataFrame(groups, columns=["チーム", "グループ", "カード数", "カード"]),
    }


def _text(value) -> str:
    """A cell as plain text: missing values are empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _case_text(case: dict) -> dict[str, str]:
    """A case's fields as text, to tell whether two versions of it differ."""
    return {column: _text(case.get(column)) for column in FORM_FIELDS}


# --- the page's state ------------------------------------------------------------------------

class CasesModel(traitlets.HasTraits):
    """The workspace's cases, the team's tags, groups and issue statements, and what
    the page shows of them. Every method that changes the team's work saves it at
    once and bumps ``revision``; the page's choices are settled to what exists first."""

    revision = traitlets.Int(0)
    area = traitlets.Unicode("")              # 1 事例カード: the area shown ("" every area)
    tag_case = traitlets.Unicode("")          # 2 タグ付け: the case being tagged
    group_tag = traitlets.Unicode("")         # 4 グループ化: loose cards of one 生活課題 ("" all)
    group_area = traitlets.Unicode("")        # … and of one area ("" all)
    selected_cards = traitlets.Tuple()        # … the loose cards chosen for a group
    group_name = traitlets.Unicode("")        # … the name typed for a new group
    exercise_area = traitlets.Unicode("")     # 6 答え合わせ: the area checked ("" every case)
    form_case = traitlets.Unicode("")         # the case in the form ("" a new one)
    draft = traitlets.Dict()                  # the form's fields as typed (FORM_FIELDS)
    pending = traitlets.Dict(allow_none=True, default_value=None)  # masked and checked: ready to store

    def __init__(self, workspace, cases: pd.DataFrame, areas: pd.DataFrame):
        super().__init__()
        self.workspace = workspace
        self.areas = areas
        self.area_names = dict(zip(areas["地区コード"], areas["地区名"]))
        self._derived: dict[str, object] = {}
        self._cases = cases.reset_index(drop=True)
        self._confirmed = _confirmed(workspace)
        self.hidden = set(self.sample_case_ids())
        self.groups: dict = workspace.get(GROUPS_KEY) or cs.empty_groups()
        self.issues = _stored_issues(workspace)
        self._cases_written = workspace.updated_at(datasets.table_key("cases"))
        self.pending_import: pd.DataFrame | None = None
        self._form_base: dict | None = None      # the case as the form loaded it
        self._loaded_draft: dict = {}
        self._stale_case: dict | None = None     # another device's version, shown in a conflict
        self._settle()

    # -- the data, and what is derived from it ----------------------------------------------
    @property
    def cases(self) -> pd.DataFrame:
        return self._cases

    @cases.setter
    def cases(self, cases: pd.DataFrame) -> None:
        self._cases = cases.reset_index(drop=True)
        self._derived.clear()
        self.hidden = set(self.sample_case_ids())

    @property
    def confirmed(self) -> dict[str, list[str]]:
        return self._confirmed

    @confirmed.setter
    def confirmed(self, confirmed: dict[str, list[str]]) -> None:
        if confirmed != self._confirmed:
            self._confirmed = confirmed
            self._derived.clear()

    @property
    def tags(self) -> dict[str, tuple[str, ...]]:
        """Each case's tags as the page shows them (sample cases hide the file's)."""
        if "tags" not in self._derived:
            self._derived["tags"] = cs.effective_tags(self.cases, self.confirmed, self.hidden)
        return self._derived["tags"]

    def cards(self) -> pd.DataFrame:
        if "cards" not in self._derived:
            self._derived["cards"] = cs.issue_cards(self.cases, self.tags, self.areas)
        return self._derived["cards"]

    def case(self, case_id: str) -> dict | None:
        rows = self.cases[self.cases["事例ID"] == case_id]
        return None if rows.empty else rows.iloc[0].to_dict()

    def sample_case_ids(self) -> list[str]:
        """Cases of the sample town, unchanged: the ones the exercise checks, whose
        file tags (the model answer) stay hidden until the learner tags them."""
        sample = datasets.sample("cases").set_index("事例ID")["困りごと"]
        return [row["事例ID"] for row in self.cases.to_dict("records")
                if row["事例ID"] in sample.index and sample[row["事例ID"]] == row["困りごと"]]

    def loose_cards(self) -> pd.DataFrame:
        """The cards in no group, of the 生活課題 and area chosen."""
        cards = self.cards()
        loose = cards[cards["カード"].isin(cs.loose_cards(self.groups, cards["カード"]))]
        if self.group_tag:
            loose = loose[loose["生活課題"] == self.group_tag]
        if self.group_area:
            loose = loose[loose["地区コード"] == self.group_area]
        return loose

    def shown_cases(self) -> pd.DataFrame:
        return self.cases[self.cases["地区コード"] == self.area] if self.area else self.cases

    # -- following the store ------------------------------------------------------------------
    def reload(self) -> bool:
        """Read what another page or device saved since; True (and ``revision``
        bumped) when anything differs from what this page shows."""
        key = datasets.table_key("cases")
        written = self.workspace.updated_at(key)
        confirmed = _confirmed(self.workspace)
        groups = self.workspace.get(GROUPS_KEY) or cs.empty_groups()
        issues = _stored_issues(self.workspace)
        if (written, confirmed, groups, issues) == (self._cases_written, self.confirmed, self.groups, self.issues):
            return False
        if written != self._cases_written:
            self.cases = datasets.for_workspace(self.workspace, "cases")
            self._cases_written = written
        self.confirmed, self.groups, self.issues = confirmed, groups, issues
        self._changed()
        return True

    def _changed(self) -> None:
        self._settle()
        self.revision += 1

    def _settle(self) -> None:
        """Bring the page's choices to what exists now (a case or card may be gone)."""
        ids = list(self.cases["事例ID"])
        if self.tag_case not in ids:
            self.tag_case = ids[0] if ids else ""
        if self.exercise_area not in set(self.cases["地区コード"]):
            self.exercise_area = ""
        cards = self.cards()
        if self.group_tag not in set(cards["生活課題"]):
            self.group_tag = ""
        if self.group_area not in set(cards["地区コード"]):
            self.group_area = ""
        self._keep_loose_selection()
        if self.form_case and self.form_case not in ids:
            self.form_case = ""                      # loads an empty draft
        elif not self.form_dirty:
            self._load_draft()                       # what another device saved

    @traitlets.observe("group_tag", "group_area")
    def _keep_loose_selection(self, _change=None) -> None:
        loose = set(self.loose_cards()["カード"])
        self.selected_cards = tuple(card for card in self.selected_cards if card in loose)

    # -- tags ------------------------------------------------------------------------------
    def set_tags(self, case_id: str, tags: Iterable[str]) -> None:
        chosen = list(ordered_tags(tags))
        self.confirmed = self.workspace.update(TAGS_KEY, lambda d: {**(d or {}), case_id: chosen}, {})
        self._change_groups(lambda state: state)

    def fill_answer_tags(self) -> int:
        """Give untagged sample cases the model answer's tags (to skip tagging); how many."""
        answer, missing = cs.answer_key(), {}
        for case in self.sample_case_ids():
            if not self.tags.get(case):
                missing[case] = list(answer.get(case, ()))
        if missing:
            self.confirmed = self.workspace.update(TAGS_KEY, lambda d: {**(d or {}), **missing}, {})
            self._changed()
        return len(missing)

    # -- the case list ------------------------------------------------------------------------
    def _commit_cases(self, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
        """Store ``change`` applied to the stored case list (the sample town's while
        none is stored), in one transaction: a case another device added stays."""
        key = datasets.table_key("cases")
        cases = self.workspace.update_table(
            key, lambda stored: change(stored if stored is not None else datasets.sample("cases")))
        self._cases_written = self.workspace.updated_at(key)
        self.cases = cases
        self._change_groups(lambda state: state)

    def save_case(self, masked_case: dict, base: dict | None) -> str:
        """Store one case whose free text has already been masked and shown; returns
        its 事例ID. ``base`` is the case as the form loaded it (None for a new one):
        if the stored case differs from it, another device changed it meanwhile,
        and :class:`Stale` is raised with the stored case; nothing is written."""
        saved = dict(masked_case)

        def change(cases: pd.DataFrame) -> pd.DataFrame:
            if base is None:  # a new case takes the next free ID of the list as stored now
                saved["事例ID"] = cs.next_case_id(cases)
            else:
                rows = cases[cases["事例ID"] == saved["事例ID"]]
                current = rows.iloc[0].to_dict() if len(rows) else None
                if current is not None and _case_text(current) != _case_text(base):
                    raise Stale(current)
            return cs.upsert_case(cases, saved)

        self._commit_cases(change)
        return saved["事例ID"]

    def prepare_import(self, data: pd.DataFrame) -> pd.DataFrame:
        """Mask a file's free text, kept as ``pending_import`` until confirmed; returns
        what was masked (行, ID, 列, 種類, 元の文字列). Raises MaskingUnavailable."""
        self.pending_import = None
        masked, report = mask_table(data, cs.MASKED_COLUMNS, id_column="事例ID")
        self.pending_import = masked
        return report

    def confirm_import(self) -> int:
        """Replace the case list with the masked file; its own tags take over. How many cases."""
        masked = self.pending_import
        if masked is None:
            return 0
        incoming = set(masked["事例ID"])
        self.confirmed = self.workspace.update(
            TAGS_KEY, lambda d: {k: v for k, v in (d or {}).items() if k not in incoming}, {})
        self._commit_cases(lambda _stored: masked)
        self.pending_import = None
        return len(masked)

    # -- the form ------------------------------------------------------------------------------
    def form_choices(self, column: str) -> tuple[str, ...]:
        return ("", *self.area_names) if column == "地区コード" else FORM_CHOICES.get(column, ())

    @traitlets.observe("form_case")
    def _form_case_changed(self, _change) -> None:
        self._load_draft()
        self.pending = None

    def _load_draft(self) -> None:
        """Put the form's case, as stored, into the draft (a changed draft is no longer pending)."""
        case = self.case(self.form_case) or {}
        self._form_base, self._stale_case = (case or None), None
        draft = {}
        for column in FORM_FIELDS:
            value = _text(case.get(column))
            choices = self.form_choices(column)
            draft[column] = value if not choices or value in choices else ""
        self._loaded_draft = draft
        self.draft = draft

    @traitlets.observe("draft")
    def _draft_changed(self, _change) -> None:
        self.pending = None    # a changed text must be masked and shown again

    @property
    def form_dirty(self) -> bool:
        """Typed into since it was loaded."""
        return self.draft != self._loaded_draft

    def set_draft(self, **fields: str) -> None:
        self.draft = {**self.draft, **fields}

    def draft_case(self) -> dict:
        case_id = self.form_case or cs.next_case_id(self.cases)
        texts = {column: self.draft.get(column, "").strip() for column in cs.MASKED_COLUMNS}
        return {**(self.case(case_id) or {}), **self.draft, **texts, "事例ID": case_id}

    def check_draft(self) -> tuple[dict, list, list[str]]:
        """The draft with its text masked, what was masked as (列, Masked) pairs, and
        what is missing; ``pending`` holds it when nothing is. Raises TooLong or
        MaskingUnavailable (nothing pending)."""
        self.pending = None
        case = self.draft_case()
        problems = cs.check_case(case, self.area_names)
        for column in cs.MASKED_COLUMNS:
            check_length(case.get(column) or "", TEXT_MAX, column)
        masked, found = cs.mask_case(case)
        self.pending = None if problems else masked
        return masked, found, problems

    def save_pending(self, force: bool = False) -> str | None:
        """Store the checked case; its 事例ID (None when nothing was checked). ``force``
        writes over what another device saved meanwhile (after the page showed it);
        else :class:`Stale` is raised with that version and nothing is written."""
        if self.pending is None:
            return None
        case, base = self.pending, self._form_base
        if force and base is not None:
            base = self.case(case["事例ID"]) if self._stale_case is None else self._stale_case
        try:
            case_id = self.save_case(case, base)
        except Stale as stale:
            self._stale_case = stale.current
            raise
        if self.form_case == case_id:
            self._load_draft()
        else:
            self.form_case = case_id
        self.pending = None
        return case_id

    def take_stored(self) -> None:
        """Put the stored version of the form's case into the form."""
        self.reload()
        self._load_draft()

    # -- groups and statements -------------------------------------------------------------------
    def _change_groups(self, change: Callable[[dict], dict]) -> None:
        """Apply ``change`` to the stored grouping in one transaction (two PCs of a team
        may group at once), dropping cards whose tag is gone; issues of dissolved
        groups go too."""
        self.confirmed = _confirmed(self.workspace)  # another page may have tagged
        valid = set(self.cards()["カード"])
        state = self.workspace.update(
            GROUPS_KEY, lambda stored: cs.prune_groups(change(stored or cs.empty_groups()), valid))
        self.groups = state
        kept = {g["id"] for g in state["groups"] if g["cards"]}
        if any(issue.id not in kept for issue in self.issues):
            stored = self.workspace.update(ISSUES_KEY, lambda issues: [i for i in issues or [] if i["id"] in kept])
            self.issues = [RegionalIssue.from_dict(item) for item in stored]
        self._changed()

    # Names and statements are typed freely, so they are masked like case text; what
    # was masked is returned for the page to show.
    def group(self, cards: Sequence[str], name: str) -> list:
        masked = mask_for_saving(name, LINE_MAX, "グループの名前")
        self._change_groups(lambda state: cs.group_cards(state, cards, masked.text))
        self.group_name = ""
        return list(masked.found)

    def add_to_group(self, group_id: str, cards: Sequence[str]) -> list:
        self._change_groups(lambda state: cs.add_cards(state, group_id, cards))
        return []

    def rename(self, group_id: str, name: str) -> list:
        masked = mask_for_saving(name, LINE_MAX, "グループの名前")
        self._change_groups(lambda state: cs.rename_group(state, group_id, masked.text))
        return list(masked.found)

    def ungroup(self, group_id: str) -> list:
        self._change_groups(lambda state: cs.ungroup(state, group_id))
        return []

    def issue_for(self, group_id: str) -> RegionalIssue | None:
        return next((issue for issue in self.issues if issue.id == group_id), None)

    def save_statement(self, group_id: str, statement: str, urgency: str, scope: str, evidence: str,
                       base: RegionalIssue | None) -> tuple[RegionalIssue, list]:
        """Save a group's regional issue, its text masked; returns what was saved and
        what was masked as (欄, Masked) pairs. ``base`` is the issue as the page
        showed it: if the stored one differs, :class:`Stale` is raised with it."""
        texts = {"地域課題の文": mask_for_saving(statement, TEXT_MAX, "地域課題の文"),
                 "根拠": mask_for_saving(evidence, TEXT_MAX, "根拠")}
        group = next(g for g in self.groups["groups"] if g["id"] == group_id)
        issue = cs.issue_from_group(self.cards(), group, texts["地域課題の文"].text, urgency=urgency,
                                    scope=scope, evidence=texts["根拠"].text)
        order = [g["id"] for g in self.groups["groups"]]

        def replace(stored) -> list[dict]:
            issues = [RegionalIssue.from_dict(item) for item in stored or []]
            current = next((i for i in issues if i.id == group_id), None)
            if current is not None and current not in (base, issue):
                raise Stale(current)
            issues = [*(i for i in issues if i.id != group_id), issue]
            issues.sort(key=lambda i: order.index(i.id) if i.id in order else len(order))
            return [i.to_dict() for i in issues]

        self.issues = [RegionalIssue.from_dict(item) for item in self.workspace.update(ISSUES_KEY, replace)]
        return issue, [(label, item) for label, result in texts.items() for item in result.found]

    def area_figures(self, codes: Sequence[str]) -> list[str]:
        """01's figures for the areas, to cite as evidence (none when the files lack them)."""
        try:
            return cs.area_figures(datasets.for_workspace(self.workspace, "population"),
                                   datasets.for_workspace(self.workspace, "certification"), self.areas, codes)
        except (KeyError, ValueError):  # the user's files lack what 01 computes from
            return []

    # -- the exercise ------------------------------------------------------------------------------
    def exercise_feedback(self) -> tuple[str, cs.Feedback, list[str]] | None:
        """How the tags and groups compare with the model answer on the sample cases
        of ``exercise_area``: (tagging, grouping, the cases checked); None when the
        cases are the team's own."""
        sample_ids = self.sample_case_ids()
        if not sample_ids:
            return None
        cases = self.cases
        in_area = set(cases[cases["地区コード"] == self.exercise_area]["事例ID"] if self.exercise_area
                      else cases["事例ID"])
        scope = [case for case in sample_ids if case in in_area]
        answer = cs.answer_key()
        return (cs.tagging_feedback(self.tags, answer, scope),
                cs.grouping_feedback(sample_issues(), answer, self.groups, self.areas, scope), scope)
