"""Page 02 個別事例から地域課題へ: read cases as cards, tag their 生活課題, stack them
by area, gather issue cards into groups (KJ法), write regional issues, and practise
on the sample town with feedback.

:class:`CasesModel` holds the case list and what the user decided about it, and
saves each change at once; :class:`CasesScreen` is the view. Case text is masked
(``kit.masking``) and shown to the user before anything is stored.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import ipywidgets as widgets
import pandas as pd
import traitlets

from kit import datasets, vocab
from kit.masking import MaskingUnavailable, mask_table, summary
from kit.paths import SAMPLE_TOWN
from kit.steps.cases import domain as cs
from kit.steps.cases.issues import SCOPES, STORE_KEY, RegionalIssue, sample_issues
from kit.steps.cases.tagging import (
    Suggestion,
    case_text,
    is_own_tag,
    ordered_tags,
    own_tags,
    suggest,
    tags_of,
)
from kit.tokens import warm_up
from kit.ui.common import Screen, autosave_claim, message
from kit.ui.saving import (
    LINE_MAX,
    SAVE_ERRORS,
    TEXT_MAX,
    Choice,
    Stale,
    TooLong,
    attempt,
    check_length,
    failure_html,
    keep,
    mark_saved,
    mask_for_saving,
    masked_notice,
    saved_html,
)
from kit.ui.town import own_town_notice
from kit.ui.upload import UploadBox

__all__ = ["CasesModel", "CasesScreen", "case_card_html", "case_cards_html", "tags_by_area_html", "urgency_html",
           "masked_items_html", "card_label"]

_ALL = ""
_NEW = ""
_LABEL_CHARS = 30          # characters of 困りごと in a card's label
_SHOWN_MASKS = 30          # masked items listed after an import
_FULL = widgets.Layout(width="100%")
_PAGE_STYLE = ('<style>.kit-card-list{display:grid;grid-template-columns:repeat(auto-fill,'
               'minmax(26em,1fr));gap:8px}.kit-card{border:1px solid #ccd;border-radius:6px;padding:6px 10px;'
               'background:#fff;line-height:1.5}.kit-chip{display:inline-block;background:#e8f1fb;color:#1f5f99;'
               'border-radius:10px;padding:0 8px;margin:1px 2px;font-size:12px}.kit-chip-own{background:#f3ecd9;'
               'color:#6b4e00}.kit-urgent-高{color:#a12622;'
               'font-weight:bold}.kit-res{color:#555;font-size:12px}.kit-scope-特異的{color:#8a5a00}'
               '.kit-scope-普遍的{color:#1d6b35}</style>')
_URGENCY_COLOURS = {"高": "#f6c5c3", "中": "#fde7b0", "低": "#dfeede", "未記入": "#eeeeee"}


def _esc(value) -> str:
    return html.escape("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))


# ------------------------------------------------------------------ HTML views (pure)

def card_label(card: pd.Series) -> str:
    """One line naming an issue card in pickers: C008 奥沢 移動: 免許を返納した…"""
    trouble = str(card["困りごと"] or "")
    short = trouble[:_LABEL_CHARS] + ("…" if len(trouble) > _LABEL_CHARS else "")
    return f"{card['事例ID']} {card['地区名']} 【{card['生活課題']}】 {short}"


def _chip(tag: str) -> str:
    """A tag on a card; a team's own tag (outside the kit's vocabulary) says so."""
    if is_own_tag(tag):
        return f'<span class="kit-chip kit-chip-own" title="チーム独自の生活課題">{html.escape(tag)}（独自）</span>'
    return f'<span class="kit-chip">{html.escape(tag)}</span>'


def case_card_html(row: dict, tags: Iterable[str], area_names: dict[str, str]) -> str:
    """One case as a card: who, what they want, what troubles them, their own resources, tags."""
    chips = "".join(_chip(t) for t in tags)
    resources = " ／ ".join(
        f"{'<b>' + html.escape(kind) + '</b> ' if kind else ''}{html.escape(what)}"
        for kind, what in cs.own_resources(row.get("本人の資源")))
    urgency = _esc(row.get("緊急度")) or "未記入"
    who = "・".join(_esc(row.get(c)) for c in ("年齢階級", "性別", "世帯", "要介護度") if _esc(row.get(c)))
    return (f'<div class="kit-card" data-case="{_esc(row["事例ID"])}"><b>{_esc(row["事例ID"])}</b> '
            f'{html.escape(area_names.get(row["地区コード"], str(row["地区コード"])))} ｜ {who} ｜ '
            f'緊急度 <span class="kit-urgent-{urgency}">{urgency}</span><br>'
            f'<b>本人の望み</b>: {_esc(row.get("本人の望み"))}<br><b>困りごと</b>: {_esc(row.get("困りごと"))}'
            + (f'<br><b>経過</b>: {_esc(row.get("経過"))}' if _esc(row.get("経過")) else "")
            + (f'<div class="kit-res">本人の資源: {resources}</div>' if resources else "")
            + f'<div>生活課題: {chips or "<i>まだ付けていません</i>"}</div></div>')


def case_cards_html(cases: pd.DataFrame, tags: dict[str, tuple[str, ...]], area_names: dict[str, str]) -> str:
    if cases.empty:
        return message("info", "この条件の事例はありません。")
    cards = "".join(case_card_html(row, tags.get(row["事例ID"], ()), area_names)
                    for row in cases.to_dict("records"))
    return f'<p>{len(cases)}件</p><div class="kit-card-list">{cards}</div>'


def tags_by_area_html(table: pd.DataFrame) -> str:
    if table.empty:
        return message("info", "まだタグの付いた事例がありません。「2 タグ付け」で生活課題を付けると、ここに積み上がります。")
    areas = [c for c in table.columns if c not in ("生活課題", "計", "地区数", "範囲")]

    def count(value: int, shaded: bool) -> str:
        shade = f"background:rgba(31,95,153,{min(0.15 + 0.15 * value, 0.75):.2f});" if shaded and value else ""
        return f'<td style="{shade}text-align:right">{value or ""}</td>'

    rows = "".join(
        f"<tr><td>{html.escape(row['生活課題'])}</td>"
        + "".join(count(int(row[a]), True) for a in areas)
        + count(int(row["計"]), False) + count(int(row["地区数"]), False)
        + f'<td class="kit-scope-{row["範囲"]}"><b>{html.escape(row["範囲"])}</b></td></tr>'
        for row in table.to_dict("records"))
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    return (f'<table class="kit-table kit-tags-by-area"><tr>{head}</tr>{rows}</table>'
            "<p><small>数字は事例の数です。<b>特異的</b>＝この人だけの課題（1件）、<b>普遍的</b>＝ほかの人にも"
            "くり返し現れる課題（2件以上）。普遍的な課題が地区にかたよっていれば地区の課題、"
            "多くの地区にあれば市全体の課題の候補です。</small></p>")


def urgency_html(cells: pd.DataFrame, matrix: pd.DataFrame) -> str:
    """緊急度 × 地区: each cell the number of cases and their main life issues."""
    if matrix.to_numpy().sum() == 0:
        return message("info", "事例がありません。")
    detail = {(r["緊急度"], r["地区名"]): r["主な生活課題"] for r in cells.to_dict("records")}
    head = "".join(f"<th>{html.escape(c)}</th>" for c in matrix.columns)
    rows = []
    for urgency, counts in matrix.iterrows():
        tds = "".join(
            f'<td style="background:{_URGENCY_COLOURS[urgency] if n else "#fff"}"><b>{n or ""}</b>'
            f'{"<br><small>" + html.escape(detail.get((urgency, area), "")) + "</small>" if n else ""}</td>'
            for area, n in counts.items())
        rows.append(f"<tr><th>{html.escape(urgency)}</th>{tds}</tr>")
    return (f'<table class="kit-table kit-urgency"><tr><th>緊急度 ＼ 地区</th>{head}</tr>{"".join(rows)}'
            "</table><p><small>数字は事例の数、小さな字はその事例に多い生活課題（数字は件数）です。"
            "緊急度の高い事例が集まる地区と課題から、話し合いの順番を決めます。</small></p>")


def masked_items_html(items: Iterable[tuple[str, object]]) -> str:
    """What masking replaced, shown before saving: 列, 種類, 元の文字列."""
    rows = "".join(f"<tr><td>{html.escape(column)}</td><td>{html.escape(m.kind)}</td>"
                   f"<td>{html.escape(m.original)}</td></tr>" for column, m in items)
    if not rows:
        return message("ok", "個人情報は見つかりませんでした。このまま保存できます。")
    return (message("warning", "次の個人情報を伏せてから保存します（元の文字は保存されません）。"
                               "もれがあれば、本文を直してからもう一度確かめてください。")
            + f'<table class="kit-table kit-masked"><tr><th>列</th><th>種類</th><th>元の文字列</th></tr>{rows}</table>')


def _suggestions_html(found: Sequence[Suggestion], chosen: Iterable[str]) -> str:
    if not found:
        return "<p>本文から提案できる生活課題は見つかりませんでした。下から選んでください。</p>"
    chosen = set(chosen)
    items = "".join(f"<li>{'✓ ' if s.tag in chosen else ''}<b>{html.escape(s.tag)}</b> "
                    f"<small>（{html.escape('・'.join(s.words))}）</small></li>" for s in found)
    return (f"<p>本文の言葉から、次の生活課題を提案します（かっこ内が手がかりの言葉）。"
            f"確かめてから付けてください。</p><ul class='kit-suggestions'>{items}</ul>")


@lru_cache(maxsize=1)
def _answer_key() -> dict[str, tuple[str, ...]]:
    table = pd.read_csv(SAMPLE_TOWN / "cases_answer_key.csv", dtype=str, encoding="utf-8-sig")
    return {row["事例ID"]: tags_of(row["生活課題"]) for row in table.to_dict("records")}


# ------------------------------------------------------------------ model

class CasesModel(traitlets.HasTraits):
    """The workspace's cases and the user's tags, groups and issue statements.

    Every method that changes something saves it at once and bumps ``revision``."""

    revision = traitlets.Int(0)

    def __init__(self, workspace, cases: pd.DataFrame, areas: pd.DataFrame):
        super().__init__()
        self.workspace = workspace
        self.cases = cases.reset_index(drop=True)
        self.areas = areas
        self.area_names = dict(zip(areas["地区コード"], areas["地区名"]))
        self.hidden = set(self.sample_case_ids())
        self.confirmed: dict[str, list[str]] = dict(workspace.get(cs.TAGS_KEY, {}) or {})
        self.groups: dict = workspace.get(cs.GROUPS_KEY) or cs.empty_groups()
        self.issues = [RegionalIssue.from_dict(item) for item in workspace.get(STORE_KEY) or []]
        self._cases_written = workspace.updated_at(datasets.table_key("cases"))

    def reload(self) -> bool:
        """Read what another page or device saved since; True (and ``revision``
        bumped) when anything differs from what this page shows."""
        key = datasets.table_key("cases")
        written = self.workspace.updated_at(key)
        confirmed = dict(self.workspace.get(cs.TAGS_KEY, {}) or {})
        groups = self.workspace.get(cs.GROUPS_KEY) or cs.empty_groups()
        issues = [RegionalIssue.from_dict(item) for item in self.workspace.get(STORE_KEY) or []]
        if (written, confirmed, groups, issues) == (self._cases_written, self.confirmed, self.groups, self.issues):
            return False
        if written != self._cases_written:
            self.cases = datasets.for_workspace(self.workspace, "cases").reset_index(drop=True)
            self.hidden = set(self.sample_case_ids())
            self._cases_written = written
        self.confirmed, self.groups, self.issues = confirmed, groups, issues
        self.revision += 1
        return True

    # -- derived -------------------------------------------------------------------
    @property
    def tags(self) -> dict[str, tuple[str, ...]]:
        return cs.effective_tags(self.cases, self.confirmed, self.hidden)

    def cards(self) -> pd.DataFrame:
        return cs.issue_cards(self.cases, self.tags, self.areas)

    def case(self, case_id: str) -> dict | None:
        rows = self.cases[self.cases["事例ID"] == case_id]
        return None if rows.empty else rows.iloc[0].to_dict()

    def sample_case_ids(self) -> list[str]:
        """Cases of the sample town, unchanged: the ones the exercise checks, whose
        file tags (the model answer) stay hidden until the learner tags them."""
        sample = datasets.sample("cases").set_index("事例ID")["困りごと"]
        return [row["事例ID"] for row in self.cases.to_dict("records")
                if row["事例ID"] in sample.index and sample[row["事例ID"]] == row["困りごと"]]

    # -- tags ------------------------------------------------------------------------
    def set_tags(self, case_id: str, tags: Iterable[str]) -> None:
        chosen = list(ordered_tags(tags))
        self.confirmed = self.workspace.update(cs.TAGS_KEY, lambda d: {**(d or {}), case_id: chosen}, {})
        self._change_groups(lambda state: state)

    def fill_answer_tags(self) -> int:
        """Give untagged sample cases the model answer's tags (to skip tagging); how many."""
        answer, missing = _answer_key(), {}
        for case in self.sample_case_ids():
            if not self.tags.get(case):
                missing[case] = list(answer.get(case, ()))
        if missing:
            self.confirmed = self.workspace.update(cs.TAGS_KEY, lambda d: {**(d or {}), **missing}, {})
            self.revision += 1
        return len(missing)

    # -- the case list ------------------------------------------------------------------
    def _commit_cases(self, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
        """Store ``change`` applied to the stored case list (the sample town's while
        none is stored), in one transaction: a case another device added stays."""
        key = datasets.table_key("cases")
        cases = self.workspace.update_table(
            key, lambda stored: change(stored if stored is not None else datasets.sample("cases")))
        self._cases_written = self.workspace.updated_at(key)
        self.cases = cases.reset_index(drop=True)
        self.hidden = set(self.sample_case_ids())
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

    def import_cases(self, masked: pd.DataFrame) -> None:
        """Replace the case list with a masked file; its own tags take over."""
        incoming = set(masked["事例ID"])
        self.confirmed = self.workspace.update(
            cs.TAGS_KEY, lambda d: {k: v for k, v in (d or {}).items() if k not in incoming}, {})
        self._commit_cases(lambda _stored: masked)

    # -- groups and statements ----------------------------------------------------------------
    def _change_groups(self, change: Callable[[dict], dict]) -> None:
        """Apply ``change`` to the stored grouping in one transaction (two PCs of a team
        may group at once), dropping cards whose tag is gone; issues of dissolved
        groups go too."""
        self.confirmed = dict(self.workspace.get(cs.TAGS_KEY, {}) or {})  # another page may have tagged
        valid = set(self.cards()["カード"])
        state = self.workspace.update(
            cs.GROUPS_KEY, lambda stored: cs.prune_groups(change(stored or cs.empty_groups()), valid))
        self.groups = state
        kept = {g["id"] for g in state["groups"] if g["cards"]}
        if any(issue.id not in kept for issue in self.issues):
            stored = self.workspace.update(STORE_KEY, lambda issues: [i for i in issues or [] if i["id"] in kept])
            self.issues = [RegionalIssue.from_dict(item) for item in stored]
        self.revision += 1

    # Names and statements are typed freely, so they are masked like case text; what
    # was masked is returned for the page to show.
    def group(self, cards: Sequence[str], name: str) -> list:
        masked = mask_for_saving(name, LINE_MAX, "グループの名前")
        self._change_groups(lambda state: cs.group_cards(state, cards, masked.text))
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

        self.issues = [RegionalIssue.from_dict(item) for item in self.workspace.update(STORE_KEY, replace)]
        return issue, [(label, item) for label, result in texts.items() for item in result.found]


def _case_text(case: dict) -> dict[str, str]:
    """A case's fields as text, to tell whether two versions of it differ."""
    return {column: _esc(case.get(column)) for column in ("地区コード", "年齢階級", "性別", "世帯", "要介護度",
                                                          "緊急度", *cs.MASKED_COLUMNS)}


# ------------------------------------------------------------------ screen

class _TagBoxes(widgets.GridBox):
    """One checkbox per 生活課題, and per own tag of the team in use; ``value`` is
    the tuple of ticked tags."""

    def __init__(self):
        self._callbacks: list[Callable] = []
        self._boxes = {tag: self._box(tag) for tag in vocab.LIFE_ISSUES}
        super().__init__(list(self._boxes.values()), layout=widgets.Layout(
            grid_template_columns="repeat(4, minmax(0, 1fr))", width="100%"))
        self.add_class("kit-tag-boxes")

    def _box(self, tag: str) -> widgets.Checkbox:
        box = widgets.Checkbox(description=_box_label(tag, False), indent=False, layout=widgets.Layout(width="auto"))
        for callback in self._callbacks:
            box.observe(callback, "value")
        return box

    def add_own(self, tags: Iterable[str]) -> None:
        """A box for each of the team's own tags not shown yet (a file brought them)."""
        new = [tag for tag in tags if tag not in self._boxes]
        self._boxes.update({tag: self._box(tag) for tag in new})
        if new:
            self.children = list(self._boxes.values())

    @property
    def value(self) -> tuple[str, ...]:
        return tuple(tag for tag, box in self._boxes.items() if box.value)

    def show(self, tags: Iterable[str], suggested: Iterable[str]) -> None:
        wanted, hinted = set(tags), set(suggested)
        for tag, box in self._boxes.items():
            box.value = tag in wanted
            box.description = _box_label(tag, tag in hinted)

    def on_change(self, callback: Callable) -> None:
        self._callbacks.append(callback)
        for box in self._boxes.values():
            box.observe(callback, "value")


def _box_label(tag: str, suggested: bool) -> str:
    return f"{tag}（独自）" if is_own_tag(tag) else f"{tag} ★" if suggested else tag


def _heading(text: str, note: str = "") -> widgets.HTML:
    extra = f"<div style='color:#555;font-size:12px'>{html.escape(note)}</div>" if note else ""
    return widgets.HTML(f"<h4 style='margin:0.8em 0 0.2em'>{html.escape(text)}</h4>{extra}")


class CasesScreen(Screen):
    """The cases page; built before the request, bound to a workspace by ``open``."""

    def __init__(self, store=None):
        super().__init__(store, css_class="kit-cases", css=_PAGE_STYLE)
        self.model: CasesModel | None = None
        warm_up()
        self._quiet = False      # True while the screen fills controls (no saving)
        self._build_cards()
        self._build_form()
        self._build_import()
        self._build_tagging()
        self._build_stack()
        self._build_grouping()
        self._build_statements()
        self._build_exercise()
        self.tabs = widgets.Tab(
            [self._cards_tab, self._tag_tab, self._stack_tab, self._group_tab, self._statement_tab,
             self._exercise_tab],
            titles=("1 事例カード", "2 タグ付け", "3 積み上げ", "4 グループ化", "5 地域課題の文章", "6 答え合わせ"))

    # -- phase 2 -------------------------------------------------------------------
    def _bind(self, workspace) -> list[widgets.Widget]:
        self.model = CasesModel(workspace, datasets.for_workspace(workspace, "cases"),
                                datasets.for_workspace(workspace, "areas"))
        self.model.observe(lambda _change: self._refresh(), "revision")
        self._refresh()
        self.sync.watch(self.model.reload)
        notice = own_town_notice(workspace, ("cases",), self._data_fixed,
                                 "事例は「1 事例カード」の下の「事例を追加・編集する」で一件ずつ入れるか、"
                                 "「事例のファイルを読み込む」で読み込めます（氏名などは保存の前に伏せ字にします）。")
        return [*notice, self.tabs]

    def _refresh(self) -> None:
        self._quiet = True
        try:
            self._render_area_filter()
            self._render_cards()
            self._render_form_picker()
            self._render_tag_picker()
            self._render_stack()
            self._render_grouping()
            self._render_statements()
            self._render_exercise_scope()
        finally:
            self._quiet = False

    # -- 1 事例カード ---------------------------------------------------------------------
    def _build_cards(self) -> None:
        self._area_filter = widgets.Dropdown(options=[("（すべての地区）", _ALL)], description="地区")
        self._area_filter.observe(lambda _c: self._render_cards(), "value")
        self._cards = widgets.HTML()
        self._cards_tab = widgets.VBox([
            widgets.HTML("<p>一人ひとりの事例です。<b>本人の望み</b>（続けたい暮らし）と<b>困りごと</b>を読み、"
                         "本人がすでに持っている資源（場所・道具・環境・役割・人）にも目を向けましょう。</p>"),
            self._area_filter, self._cards])

    def _render_area_filter(self) -> None:
        current = self._area_filter.value
        options = [("（すべての地区）", _ALL), *((name, code) for code, name in self.model.area_names.items())]
        self._area_filter.options = options
        self._area_filter.value = current if current in dict(options).values() else _ALL

    def _render_cards(self) -> None:
        if self.model is None:
            return
        cases = self.model.cases
        if self._area_filter.value:
            cases = cases[cases["地区コード"] == self._area_filter.value]
        self._cards.value = case_cards_html(cases, self.model.tags, self.model.area_names)

    # -- form: add or edit a case, masked before saving --------------------------------------
    def _build_form(self) -> None:
        wide = widgets.Layout(width="100%", height="4.5em")
        self._f_pick = widgets.Dropdown(description="事例", options=[("新しい事例を追加", _NEW)])
        self._f_area = widgets.Dropdown(description="地区", options=[("（選ぶ）", "")])
        self._f_age = widgets.Dropdown(description="年齢階級", options=["", *vocab.AGE_BANDS[12:]])
        self._f_sex = widgets.Dropdown(description="性別", options=["", *vocab.SEXES[:2]])
        self._f_household = widgets.Dropdown(description="世帯", options=["", *vocab.HOUSEHOLDS])
        self._f_care = widgets.Dropdown(description="要介護度", options=["", *vocab.CARE_LEVELS])
        self._f_urgency = widgets.Dropdown(description="緊急度", options=["", *vocab.URGENCIES])
        self._f_texts = {
            "本人の望み": widgets.Textarea(placeholder="例: 自分で選んだ物を食べて暮らしたい", layout=wide),
            "困りごと": widgets.Textarea(placeholder="例: 移動販売は週1回で、重い物が買えない", layout=wide),
            "経過": widgets.Textarea(placeholder="例: 商店の配達と移動販売を組み合わせている", layout=wide),
            "本人の資源": widgets.Textarea(placeholder="例: 場所:移動販売の停車場所; 人:商店の店主", layout=wide),
        }
        self._f_check = widgets.Button(description="伏せ字を確かめる", icon="eye-slash", button_style="info")
        self._f_save = widgets.Button(description="この内容で保存", icon="save", button_style="primary",
                                      disabled=True)
        self._f_preview = widgets.HTML()
        self._f_status = widgets.HTML()
        self._f_choice = Choice(lambda: self.save_form(force=True), self._reload_form, what="内容")
        self._pending_case: dict | None = None
        self._stale_case: dict | None = None  # another device's version, shown in a conflict
        self._form_base: dict | None = None   # the case as the form loaded it
        self._form_dirty = False              # typed into since it was loaded
        self._f_pick.observe(lambda _c: self._fill_form(), "value")
        for control in (self._f_area, self._f_age, self._f_sex, self._f_household, self._f_care,
                        self._f_urgency, *self._f_texts.values()):
            control.observe(lambda _c: self._form_changed(), "value")
        self._f_check.on_click(lambda _b: self.check_form())
        self._f_save.on_click(lambda _b: self.save_form())
        texts = [widgets.VBox([widgets.HTML(f"<b>{html.escape(name)}</b>"), box]) for name, box in self._f_texts.items()]
        self._form_box = widgets.VBox([
            widgets.HTML("<p>事例を書き足したり直したりします。名前・電話番号・住所・生年月日などは、"
                         "<b>保存する前に</b>伏せ字（〇〇 など）に置き換え、何を伏せたかをここに表示します。</p>"),
            self._f_pick, widgets.HBox([self._f_area, self._f_urgency], layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self._f_age, self._f_sex, self._f_household, self._f_care],
                         layout=widgets.Layout(flex_flow="row wrap")),
            *texts, widgets.HBox([self._f_check, self._f_save]), self._f_preview, self._f_status,
            self._f_choice])
        form = widgets.Accordion([self._form_box], titles=("事例を追加・編集する",))
        form.selected_index = None
        self._form_accordion = form

    def _render_form_picker(self) -> None:
        current = self._f_pick.value
        ids = list(self.model.cases["事例ID"])
        if self._form_dirty and (current in ids or current == _NEW):
            # Another device saved: keep what is being typed; saving will compare.
            self._f_pick.options = [("新しい事例を追加", _NEW), *((i, i) for i in ids)]
            self._f_pick.value = current
            return
        self._f_pick.options = [("新しい事例を追加", _NEW), *((i, i) for i in ids)]
        self._f_area.options = [("（選ぶ）", ""), *((n, c) for c, n in self.model.area_names.items())]
        self._f_pick.value = current if current in ids else _NEW
        self._fill_form()

    def _fill_form(self) -> None:
        if self.model is None:
            return
        case = self.model.case(self._f_pick.value) or {}
        self._form_base, self._form_dirty = (case or None), False
        self._f_choice.show(False)
        quiet, self._quiet = self._quiet, True
        try:
            for control, column in ((self._f_area, "地区コード"), (self._f_age, "年齢階級"), (self._f_sex, "性別"),
                                    (self._f_household, "世帯"), (self._f_care, "要介護度"),
                                    (self._f_urgency, "緊急度")):
                values = [v for _, v in _pairs(control.options)]
                control.value = _esc(case.get(column)) if _esc(case.get(column)) in values else values[0]
            for column, box in self._f_texts.items():
                box.value = _esc(case.get(column))
        finally:
            self._quiet = quiet
        self._form_changed()

    def _form_changed(self) -> None:
        if self._quiet:
            return
        self._form_dirty = True
        self._pending_case = None
        self._f_save.disabled = True
        self._f_preview.value = ""

    def _form_values(self) -> dict:
        case_id = self._f_pick.value or cs.next_case_id(self.model.cases)
        existing = self.model.case(case_id) or {}
        return {**existing, "事例ID": case_id, "地区コード": self._f_area.value, "年齢階級": self._f_age.value,
                "性別": self._f_sex.value, "世帯": self._f_household.value, "要介護度": self._f_care.value,
                "緊急度": self._f_urgency.value,
                **{column: box.value.strip() for column, box in self._f_texts.items()}}

    def check_form(self) -> None:
        """Mask the form's text and show what will be stored; enable saving when complete."""
        case = self._form_values()
        problems = cs.check_case(case, self.model.area_names)
        try:
            for column in cs.MASKED_COLUMNS:
                check_length(case.get(column) or "", TEXT_MAX, column)
            masked, found = cs.mask_case(case)
        except (TooLong, MaskingUnavailable) as error:
            self._f_preview.value = failure_html(error)
            self._pending_case = None
            self._f_save.disabled = True
            return
        preview = "".join(f"<li><b>{html.escape(c)}</b>: {_esc(masked.get(c))}</li>"
                          for c in cs.MASKED_COLUMNS if masked.get(c))
        self._f_preview.value = (masked_items_html(found)
                                 + f"<p>保存される文章:</p><ul class='kit-preview'>{preview}</ul>"
                                 + "".join(message("error", p) for p in problems))
        self._pending_case = None if problems else masked
        self._f_save.disabled = bool(problems)

    def save_form(self, force: bool = False) -> None:
        """Store the checked case; ``force`` overwrites what another device saved
        meanwhile (after the page showed it)."""
        if self._pending_case is None:
            return
        case = self._pending_case
        base = self._form_base
        if force and base is not None:
            base = self.model.case(case["事例ID"]) if self._stale_case is None else self._stale_case
        self._f_choice.show(False)
        try:
            saved, case_id = attempt(self._f_status, lambda: self.model.save_case(case, base))
        except Stale as stale:
            self._stale_case = stale.current
            texts = "".join(f"<li><b>{html.escape(c)}</b>: {_esc(stale.current.get(c))}</li>"
                            for c in cs.MASKED_COLUMNS if _esc(stale.current.get(c)))
            self._f_status.value = (message("warning", f"{case['事例ID']} は、別のPCで先に書き換えられていました。"
                                                       "この内容はまだ保存していません。どちらを残すか選んでください。")
                                    + f"<p>別のPCで保存された内容:</p><ul class='kit-theirs'>{texts}</ul>")
            self._f_choice.show(True)
            return
        if not saved:
            return
        self._stale_case = None
        self._f_status.value = message("ok", f"{case_id} を保存しました（伏せ字にした文章だけを保存しています）。")
        self._form_dirty = False
        self._f_pick.value = case_id
        self._fill_form()

    def _reload_form(self) -> None:
        """Take the other device's version of the case into the form."""
        self._stale_case = None
        self.model.reload()
        self._fill_form()
        self._f_status.value = message("info", "別のPCで保存された内容を読み込みました。")

    # -- import a cases file, masked --------------------------------------------------------
    def _build_import(self) -> None:
        self._upload = UploadBox("cases", on_loaded=self._on_loaded,
                                 known_areas=lambda: list(self.model.area_names) if self.model else None)
        self._import_preview = widgets.HTML()
        self._import_go = widgets.Button(description="伏せ字にした内容で取り込む", button_style="primary",
                                         icon="check", layout=widgets.Layout(display="none"))
        self._import_go.on_click(lambda _b: self.confirm_import())
        self._pending_import: pd.DataFrame | None = None
        box = widgets.VBox([
            widgets.HTML("<p>地域ケア会議の事例などを CSV / Excel で読み込みます（列は 事例ID・地区コード・"
                         "本人の望み・困りごと など。<code>python -m kit validate cases ファイル</code> でも確かめられます）。"
                         "自由記述の個人情報は、取り込む前に伏せ字にして、何を伏せたかを表示します。"
                         "取り込むと、いまの事例の一覧と入れ替わります。</p>"),
            self._upload, self._import_preview, self._import_go])
        accordion = widgets.Accordion([box], titles=("事例のファイルを読み込む",))
        accordion.selected_index = None
        self._cards_tab.children = [*self._cards_tab.children, self._form_accordion, accordion]

    def _on_loaded(self, result) -> None:
        try:
            masked, report = mask_table(result.data, cs.MASKED_COLUMNS, id_column="事例ID")
        except MaskingUnavailable as error:
            self._import_preview.value = failure_html(error)
            return
        self._pending_import = masked
        counts = report["種類"].value_counts().to_dict()
        shown = report.head(_SHOWN_MASKS)
        rows = "".join(f"<tr><td>{r.行}</td><td>{html.escape(str(r.ID))}</td><td>{html.escape(r.列)}</td>"
                       f"<td>{html.escape(r.種類)}</td><td>{html.escape(r.元の文字列)}</td></tr>"
                       for r in shown.itertuples())
        more = f"<p>ほか{len(report) - len(shown)}件</p>" if len(report) > len(shown) else ""
        table = (f'<table class="kit-table kit-masked"><tr><th>行</th><th>事例ID</th><th>列</th><th>種類</th>'
                 f"<th>元の文字列</th></tr>{rows}</table>{more}" if rows else "")
        self._import_preview.value = (message("warning" if counts else "ok", f"{len(masked)}件の事例。{summary(counts)}")
                                      + table)
        self._import_go.layout.display = None

    def confirm_import(self) -> None:
        if self._pending_import is None:
            return
        if not attempt(self._import_preview, lambda: self.model.import_cases(self._pending_import))[0]:
            return
        self._import_preview.value = message("ok", f"{len(self._pending_import)}件の事例を取り込みました"
                                                   "（伏せ字にした文章だけを保存しています）。")
        self._pending_import = None
        self._import_go.layout.display = "none"

    # -- 2 タグ付け -----------------------------------------------------------------------
    def _build_tagging(self) -> None:
        self._t_pick = widgets.Dropdown(description="事例", layout=widgets.Layout(width="min(100%, 48em)"))
        self._t_text = widgets.HTML()
        self._t_suggest = widgets.HTML()
        self._t_accept = widgets.Button(description="提案をすべて付ける", icon="magic",
                                        layout=widgets.Layout(width="auto"))
        self._t_next = widgets.Button(description="次の事例へ", icon="arrow-right", layout=widgets.Layout(width="auto"))
        self._t_boxes = _TagBoxes()
        self._t_status = widgets.HTML()
        self._t_pick.observe(lambda _c: self._render_tagging(), "value")
        self._t_accept.on_click(lambda _b: self.accept_suggestions())
        self._t_next.on_click(lambda _b: self._next_case())
        self._t_boxes.on_change(lambda _c: self._on_tags_changed())
        self._tag_tab = widgets.VBox([
            widgets.HTML("<p>事例ごとに、困っている<b>生活課題</b>に印を付けます。キットが本文から提案します（★）。"
                         "提案は手がかりにすぎません。本人の望みに照らして確かめ、付け外ししてください。"
                         + autosave_claim("付けた印はすぐに保存されます。") + "</p>"),
            self._t_pick, self._t_text, self._t_suggest, widgets.HBox([self._t_accept, self._t_next]),
            self._t_boxes, self._t_status])

    def _render_tag_picker(self) -> None:
        current = self._t_pick.value
        tags = self.model.tags
        self._t_boxes.add_own(own_tags(tags))
        options = [(f"{r['事例ID']} {self.model.area_names.get(r['地区コード'], r['地区コード'])} "
                    f"{'✓' if tags.get(r['事例ID']) else '・'} {str(r['困りごと'])[:_LABEL_CHARS]}", r["事例ID"])
                   for r in self.model.cases.to_dict("records")]
        self._t_pick.options = options
        ids = [value for _, value in options]
        if ids:
            self._t_pick.value = current if current in ids else ids[0]
        self._render_tagging()

    def _render_tagging(self) -> None:
        if self.model is None or not self._t_pick.value:
            return
        case = self.model.case(self._t_pick.value)
        found = suggest(case_text(case))
        tags = self.model.tags.get(case["事例ID"], ())
        self._t_text.value = case_card_html(case, tags, self.model.area_names)
        self._t_suggest.value = _suggestions_html(found, tags)
        self._suggested = [s.tag for s in found]
        quiet, self._quiet = self._quiet, True
        try:
            self._t_boxes.show(tags, self._suggested)
        finally:
            self._quiet = quiet

    def _on_tags_changed(self) -> None:
        if self._quiet or self.model is None:
            return
        case_id = self._t_pick.value
        if not attempt(self._t_status, lambda: self.model.set_tags(case_id, self._t_boxes.value))[0]:
            return
        self._t_status.value = (f'<span class="kit-saved" style="color:#1d6b35">{html.escape(case_id)} の生活課題を'
                                f'保存しました: {html.escape("・".join(self._t_boxes.value) or "なし")}</span>')

    def accept_suggestions(self) -> None:
        case_id = self._t_pick.value
        tags = (*self.model.tags.get(case_id, ()), *self._suggested)
        if not attempt(self._t_status, lambda: self.model.set_tags(case_id, tags))[0]:
            return
        self._t_status.value = (f'<span class="kit-saved" style="color:#1d6b35">{html.escape(case_id)} に提案を'
                                f'付けました: {html.escape("・".join(self.model.tags[case_id]) or "なし")}</span>')

    def _next_case(self) -> None:
        ids = [value for _, value in self._t_pick.options]
        if self._t_pick.value in ids:
            self._t_pick.value = ids[(ids.index(self._t_pick.value) + 1) % len(ids)]

    # -- 3 積み上げ -----------------------------------------------------------------------
    def _build_stack(self) -> None:
        self._by_area = widgets.HTML()
        self._urgency = widgets.HTML()
        self._stack_tab = widgets.VBox([
            _heading("生活課題 × 地区", "タグを付けた事例を、地区ごと・市全体で数えます。"),
            self._by_area,
            _heading("緊急度 × 地区", "事例の緊急度と地区で並べます（課題の構造化）。"),
            self._urgency])

    def _render_stack(self) -> None:
        cards = self.model.cards()
        self._by_area.value = tags_by_area_html(cs.tags_by_area(cards, self.model.areas))
        cells = cs.urgency_by_area(self.model.cases, self.model.tags, self.model.areas)
        self._urgency.value = urgency_html(cells, cs.urgency_matrix(cells, self.model.areas))

    # -- 4 グループ化 ---------------------------------------------------------------------
    def _build_grouping(self) -> None:
        self._g_tag = widgets.Dropdown(description="生活課題", options=[("（すべて）", _ALL)])
        self._g_area = widgets.Dropdown(description="地区", options=[("（すべて）", _ALL)])
        self._g_loose = widgets.SelectMultiple(rows=12, layout=widgets.Layout(width="100%"))
        self._g_loose.add_class("kit-loose-cards")
        self._g_name = widgets.Text(placeholder="グループの名前（例: 坂の上の買物）", layout=widgets.Layout(width="24em"))
        self._g_make = widgets.Button(description="選んだカードでグループをつくる", icon="object-group",
                                      button_style="primary", layout=widgets.Layout(width="auto"))
        self._g_status = widgets.HTML()
        self._g_groups = widgets.VBox()
        for control in (self._g_tag, self._g_area):
            control.observe(lambda _c: self._render_loose(), "value")
        self._g_make.on_click(lambda _b: self.make_group())
        self._group_tab = widgets.VBox([
            widgets.HTML("<p>1枚のカードは「ある人の、ある生活課題」です。似たカードを集めて名前を付けます（KJ法）。"
                         "Ctrl（Mac は ⌘）や Shift を押しながらクリックすると、何枚も選べます。"
                         "1枚だけのグループ（その人だけの課題）があってもかまいません。</p>"),
            widgets.HBox([self._g_tag, self._g_area], layout=widgets.Layout(flex_flow="row wrap")),
            _heading("まだグループにしていないカード"), self._g_loose,
            widgets.HBox([self._g_name, self._g_make], layout=widgets.Layout(flex_flow="row wrap")),
            self._g_status, _heading("グループ"), self._g_groups])

    def _render_grouping(self) -> None:
        cards = self.model.cards()
        for control, column, label in ((self._g_tag, "生活課題", None), (self._g_area, "地区コード", "地区名")):
            current = control.value
            present = list(dict.fromkeys(cards[column])) if not cards.empty else []
            names = dict(zip(cards[column], cards[label or column])) if not cards.empty else {}
            control.options = [("（すべて）", _ALL), *((names[v], v) for v in present)]
            control.value = current if current in present else _ALL
        self._render_loose()
        self._g_groups.children = [self._group_box(group, cards) for group in self.model.groups["groups"]
                                   if group["cards"]]

    def _render_loose(self) -> None:
        if self.model is None:
            return
        cards = self.model.cards()
        loose = cards[cards["カード"].isin(cs.loose_cards(self.model.groups, cards["カード"]))]
        if self._g_tag.value:
            loose = loose[loose["生活課題"] == self._g_tag.value]
        if self._g_area.value:
            loose = loose[loose["地区コード"] == self._g_area.value]
        self._g_loose.options = [(card_label(card), card["カード"]) for _, card in loose.iterrows()]

    def _group_box(self, group: dict, cards: pd.DataFrame) -> widgets.Widget:
        mine = cards[cards["カード"].isin(group["cards"])]
        profile = cs.group_profile(cards, group)
        items = "".join(f"<li>{html.escape(card_label(card))}</li>" for _, card in mine.iterrows())
        head = widgets.HTML(
            f'<div class="kit-group" data-group="{html.escape(group["id"])}"><b class="kit-group-name">'
            f'{html.escape(group["name"])}</b> — {html.escape(cs.evidence_text(cards, group))} ｜ '
            f'<span class="kit-scope-{profile["範囲"]}">{profile["範囲"]}</span><ul style="margin:0">{items}</ul></div>')
        rename = widgets.Text(value=group["name"], layout=widgets.Layout(width="18em"))
        rename_go = widgets.Button(description="名前を変える", layout=widgets.Layout(width="auto"))
        add = widgets.Button(description="選んだカードを加える", layout=widgets.Layout(width="auto"))
        dissolve = widgets.Button(description="グループを解く", icon="unlink", layout=widgets.Layout(width="auto"))
        rename_go.on_click(lambda _b: self._safely(lambda: self.model.rename(group["id"], rename.value)))
        add.on_click(lambda _b: self._safely(lambda: self.model.add_to_group(group["id"], self._g_loose.value)))
        dissolve.on_click(lambda _b: self._safely(lambda: self.model.ungroup(group["id"])))
        box = widgets.VBox([head, widgets.HBox([rename, rename_go, add, dissolve],
                                               layout=widgets.Layout(flex_flow="row wrap"))],
                           layout=widgets.Layout(border="1px solid #ccd", padding="4px", margin="4px 0"))
        return box

    def _safely(self, action: Callable[[], list]) -> bool:
        """Run a change of the groups; show why it failed, or what masking hid."""
        try:
            found = action()
        except SAVE_ERRORS as error:
            self._g_status.value = failure_html(error)
            return False
        except ValueError as error:
            self._g_status.value = message("error", str(error))
            return False
        self._g_status.value = masked_notice(found)
        return True

    def make_group(self) -> None:
        name = self._g_name.value
        if self._safely(lambda: self.model.group(self._g_loose.value, name)):
            self._g_name.value = ""
            self._g_status.value = (message("ok", f"グループ「{self.model.groups['groups'][-1]['name']}」をつくりました。")
                                    + self._g_status.value)

    # -- 5 地域課題の文章 -------------------------------------------------------------------
    def _build_statements(self) -> None:
        self._s_list = widgets.VBox()
        self._s_saved = widgets.HTML()
        self._statement_tab = widgets.VBox([
            widgets.HTML("<p>グループごとに、地域の課題を<b>一文</b>で書きます。誰が、どこで、何に困っていて、"
                         "どうなるおそれがあるか。根拠には事例の数・地区と、地域診断（01）の数字を添えます。"
                         "保存した地域課題は「多様な主体リスト」（03）と「提案準備」（04）で使います。</p>"),
            self._s_saved, self._s_list])

    def _render_statements(self) -> None:
        groups = [g for g in self.model.groups["groups"] if g["cards"]]
        if not groups:
            self._s_list.children = [widgets.HTML(message(
                "info", "まだグループがありません。「4 グループ化」でカードを集めると、ここで文章にできます。"))]
        else:
            cards = self.model.cards()
            self._s_list.children = [self._statement_box(group, cards) for group in groups]
        self._render_saved()

    def _render_saved(self) -> None:
        count = len(self.model.issues)
        self._s_saved.value = (message("ok", f"03・04 で使う地域課題: {count}件（このワークスペースで書いたもの）")
                               if count else message("info", "まだ地域課題を保存していません。保存するまで、03・04 では"
                                                             "見本のまちの地域課題を使います。"))

    def _statement_box(self, group: dict, cards: pd.DataFrame) -> widgets.Widget:
        issue = self.model.issue_for(group["id"])
        profile = cs.group_profile(cards, group)
        statement = widgets.Textarea(value=issue.statement if issue else "", continuous_update=False,
                                     placeholder="例: 桜台では、坂の上に住む人がスーパーの閉店で買物に行けなくなっている。",
                                     layout=widgets.Layout(width="100%", height="4em"))
        urgency = widgets.Dropdown(description="緊急度", options=vocab.URGENCIES,
                                   value=issue.urgency if issue else profile["緊急度"])
        scope = widgets.Dropdown(description="範囲", options=SCOPES, value=issue.scope if issue else profile["範囲"])
        evidence = widgets.Textarea(value=issue.evidence if issue else cs.evidence_text(cards, group),
                                    continuous_update=False, layout=widgets.Layout(width="100%", height="4em"))
        figures = widgets.Button(description="地域診断（01）の数字を加える", icon="plus", layout=widgets.Layout(width="auto"))
        status = widgets.HTML()
        shown = {"issue": issue}   # the issue as this box last showed or saved it
        for box, part in ((statement, "statement"), (evidence, "evidence")):
            keep(box, f"{STORE_KEY}#{group['id']}#{part}")
            mark_saved(box, box.value, box.value)

        def show(saved: RegionalIssue) -> None:
            quiet, self._quiet = self._quiet, True
            statement.value, evidence.value = saved.statement, saved.evidence
            urgency.value, scope.value = saved.urgency, saved.scope
            self._quiet = quiet
            shown["issue"] = saved

        def save(_change=None, base: RegionalIssue | None = None) -> None:
            if self._quiet:
                return
            if not statement.value.strip():
                status.value = message("warning", "地域課題の文を書くと保存します。")
                return
            sent = (statement.value, evidence.value)
            choice.show(False)
            try:
                saved, result = attempt(status, lambda: self.model.save_statement(
                    group["id"], statement.value, urgency.value, scope.value, evidence.value,
                    shown["issue"] if base is None else base))
            except Stale as stale:
                shown["theirs"] = stale.current
                status.value = (message("warning", "この課題の文は、別のPCで先に書き換えられていました。"
                                                   "この入力はまだ保存していません。どちらを残すか選んでください。")
                                + f'<div class="kit-theirs">別のPCで保存された文: {html.escape(stale.current.statement)}'
                                  f"<br>根拠: {html.escape(stale.current.evidence)}</div>")
                choice.show(True)
                return
            if not saved:
                return
            issue, found = result
            show(issue)
            mark_saved(statement, sent[0], issue.statement)
            mark_saved(evidence, sent[1], issue.evidence)
            status.value = saved_html() + masked_notice(found)
            self._render_saved()

        def take_theirs() -> None:
            show(shown.pop("theirs"))
            choice.show(False)
            status.value = message("info", "別のPCで保存された文にしました。")

        choice = Choice(lambda: save(base=shown.pop("theirs", None)), take_theirs, what="文")

        def add_figures(_button) -> None:
            lines = self._area_figures(profile["地区コード"])
            if not lines:
                status.value = message("warning", "地域診断の数字を出せませんでした（人口・認定のデータがありません）。")
                return
            evidence.value = "。".join([evidence.value.rstrip("。"), *lines]) if evidence.value else "。".join(lines)

        for control in (statement, urgency, scope, evidence):
            control.observe(save, "value")
        figures.on_click(add_figures)
        where = "・".join(self.model.area_names.get(c, c) for c in profile["地区コード"])
        return widgets.VBox([
            widgets.HTML(f"<b>{html.escape(group['name'])}</b> <small>（{html.escape(where)}・"
                         f"{html.escape('・'.join(profile['生活課題']))}・事例{len(profile['事例ID'])}件）</small>"),
            statement, widgets.HBox([urgency, scope]), widgets.HTML("根拠"), evidence, figures, status, choice],
            layout=widgets.Layout(border="1px solid #ccd", padding="4px", margin="4px 0"))

    def _area_figures(self, codes: Sequence[str]) -> list[str]:
        workspace = self.model.workspace
        try:
            return cs.area_figures(datasets.for_workspace(workspace, "population"),
                                   datasets.for_workspace(workspace, "certification"), self.model.areas, codes)
        except (KeyError, ValueError):  # the user's files lack what 01 computes from
            return []

    # -- 6 答え合わせ ---------------------------------------------------------------------
    def _build_exercise(self) -> None:
        self._x_scope = widgets.Dropdown(description="範囲", options=[("すべての事例", _ALL)])
        self._x_check = widgets.Button(description="答え合わせ", icon="check", button_style="primary")
        self._x_fill = widgets.Button(description="タグ付けを飛ばす（模範解答のタグを付ける）", icon="forward",
                                      layout=widgets.Layout(width="auto"))
        self._x_result = widgets.HTML()
        self._x_model = widgets.HTML()
        self._x_check.on_click(lambda _b: self.check_exercise())
        self._x_fill.on_click(lambda _b: self._fill_answers())
        self._exercise_tab = widgets.VBox([
            widgets.HTML("<p>見本のまち「みどり野市」の事例で練習します。「2 タグ付け」と「4 グループ化」をしてから"
                         "答え合わせをすると、模範解答と比べて、付けたタグと見つけた地域課題を教えてくれます。"
                         "まず1つの地区だけで試すこともできます。</p>"),
            widgets.HBox([self._x_scope, self._x_check]), self._x_result, self._x_model,
            widgets.HTML("<p><small>タグ付けに時間をかけずにグループ化を練習したいときは、模範解答のタグを付けてから"
                         "「4 グループ化」に進めます。</small></p>"), widgets.HBox([self._x_fill])])

    def _render_exercise_scope(self) -> None:
        current = self._x_scope.value
        codes = list(dict.fromkeys(self.model.cases["地区コード"]))
        options = [("すべての事例", _ALL), *((f"{self.model.area_names.get(c, c)}の事例", c) for c in codes)]
        self._x_scope.options = options
        self._x_scope.value = current if current in [v for _, v in options] else _ALL

    def check_exercise(self) -> None:
        sample_ids = self.model.sample_case_ids()
        if not sample_ids:
            self._x_result.value = message(
                "info", "答え合わせは見本のまちの事例で行います。いまは自分のまちの事例を使っているため比べられません"
                        "（はじめに のページで事例を見本のデータに戻すと練習できます）。")
            return
        cases = self.model.cases
        in_area = set(cases[cases["地区コード"] == self._x_scope.value]["事例ID"]) if self._x_scope.value \
            else set(cases["事例ID"])
        scope = [case for case in sample_ids if case in in_area]
        answer = _answer_key()
        tagging = cs.tagging_feedback(self.model.tags, answer, scope)
        grouping = cs.grouping_feedback(sample_issues(), answer, self.model.groups, self.model.areas, scope)
        self._x_result.value = (message("info", "タグ付け: " + tagging)
                                + message("ok" if not grouping.missed else "warning", "グループ化: " + grouping.text))
        self._x_model.value = self._model_answer_html(scope)

    def _model_answer_html(self, scope: Sequence[str]) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(i.id)}</td><td>{html.escape(i.statement)}</td>"
            f"<td>{html.escape(cs.issue_label(i, self.model.areas))}</td><td>{html.escape(i.urgency)}</td>"
            f"<td>{html.escape(i.scope)}</td><td>{html.escape('・'.join(i.case_ids))}</td>"
            f"<td>{html.escape(i.evidence)}</td></tr>"
            for i in sample_issues() if set(i.case_ids) & set(scope))
        return ("<details class='kit-model-answer'><summary>模範解答の地域課題を見る</summary>"
                "<table class='kit-table'><tr><th>ID</th><th>地域課題</th><th>地区と生活課題</th><th>緊急度</th>"
                f"<th>範囲</th><th>事例</th><th>根拠</th></tr>{rows}</table></details>")

    def _fill_answers(self) -> None:
        saved, count = attempt(self._x_result, self.model.fill_answer_tags)
        if not saved:
            return
        self._x_result.value = message("ok" if count else "info",
                                       f"{count}件の事例に模範解答のタグを付けました。「4 グループ化」に進めます。"
                                       if count else "タグのない見本の事例はありません。")


def _pairs(options) -> list[tuple[str, object]]:
    return [option if isinstance(option, tuple) else (option, option) for option in options]
