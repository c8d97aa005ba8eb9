"""5 地域課題の文章: each group written as one regional issue, with its 緊急度, 範囲
and evidence; saved as it is written (masked), and never over another device's text."""

from __future__ import annotations

import html
from contextlib import ExitStack

import ipywidgets as widgets
import pandas as pd

from kit import vocab
from kit.steps.cases import domain as cs
from kit.steps.cases.issues import SCOPES, RegionalIssue
from kit.steps.cases.model import ISSUES_KEY
from kit.ui.common import message
from kit.ui.saving import Choice, Stale, attempt, keep, mark_saved, masked_notice, saved_html

__all__ = ["StatementsView", "StatementBox"]


class StatementBox(widgets.VBox):
    """One group's regional issue. A change of any field saves the four together;
    what was stored is shown back (masked), as the base of the next edit."""

    def __init__(self, model, group: dict, cards: pd.DataFrame, on_saved):
        self._model, self._group, self._on_saved = model, group, on_saved
        self._shown = model.issue_for(group["id"])  # the issue as this box last showed or saved it
        self._theirs: RegionalIssue | None = None
        issue, profile = self._shown, cs.group_profile(cards, group)
        self._codes = profile["地区コード"]
        self._statement = widgets.Textarea(
            value=issue.statement if issue else "", continuous_update=False,
            placeholder="例: 桜台では、坂の上に住む人がスーパーの閉店で買物に行けなくなっている。",
            layout=widgets.Layout(width="100%", height="4em"))
        self._urgency = widgets.Dropdown(description="緊急度", options=vocab.URGENCIES,
                                         value=issue.urgency if issue else profile["緊急度"])
        self._scope = widgets.Dropdown(description="範囲", options=SCOPES, value=issue.scope if issue else profile["範囲"])
        self._evidence = widgets.Textarea(value=issue.evidence if issue else cs.evidence_text(cards, group),
                                          continuous_update=False, layout=widgets.Layout(width="100%", height="4em"))
        figures = widgets.Button(description="地域診断（01）の数字を加える", icon="plus", layout=widgets.Layout(width="auto"))
        self._status = widgets.HTML()
        self._choice = Choice(lambda: self.save(base=self._theirs), self.take_theirs, what="文")
        for box, part in ((self._statement, "statement"), (self._evidence, "evidence")):
            keep(box, f"{ISSUES_KEY}#{group['id']}#{part}")
            mark_saved(box, box.value, box.value)
        for control in self._fields:
            control.observe(lambda _change: self.save(), "value")
        figures.on_click(lambda _b: self.add_figures())
        where = "・".join(model.area_names.get(c, c) for c in self._codes)
        super().__init__([
            widgets.HTML(f"<b>{html.escape(group['name'])}</b> <small>（{html.escape(where)}・"
                         f"{html.escape('・'.join(profile['生活課題']))}・事例{len(profile['事例ID'])}件）</small>"),
            self._statement, widgets.HBox([self._urgency, self._scope]), widgets.HTML("根拠"), self._evidence,
            widgets.HBox([figures]), self._status, self._choice])
        self.add_class("kit-group-box")

    @property
    def group_id(self) -> str:
        return self._group["id"]

    @property
    def _fields(self) -> tuple[widgets.ValueWidget, ...]:
        return self._statement, self._urgency, self._scope, self._evidence

    @property
    def values(self) -> tuple[str, str, str, str]:
        """What the box shows: (statement, urgency, scope, evidence)."""
        return tuple(field.value for field in self._fields)

    def write(self, statement: str | None = None, evidence: str | None = None) -> None:
        """What typing a text into the box does."""
        if statement is not None:
            self._statement.value = statement
        if evidence is not None:
            self._evidence.value = evidence

    def _show(self, issue: RegionalIssue) -> None:
        """Put ``issue`` into the fields at once: their changes, told after all four are
        set, find nothing to save."""
        self._shown = issue
        with ExitStack() as held:
            for field in self._fields:
                held.enter_context(field.hold_trait_notifications())
            for field, value in zip(self._fields, (issue.statement, issue.urgency, issue.scope, issue.evidence)):
                field.value = value

    def save(self, base: RegionalIssue | None = None) -> None:
        """Save the four fields over ``base`` (the issue as shown, unless the user keeps
        their text over another device's)."""
        shown = self._shown
        if base is None and shown is not None and self.values == (
                shown.statement, shown.urgency, shown.scope, shown.evidence):
            return  # the box shows what is stored
        statement, urgency, scope, evidence = self.values
        if not statement.strip():
            self._status.value = message("warning", "地域課題の文を書くと保存します。")
            return
        self._choice.show(False)
        try:
            saved, result = attempt(self._status, lambda: self._model.save_statement(
                self._group["id"], statement, urgency, scope, evidence, shown if base is None else base))
        except Stale as stale:
            self._theirs = stale.current
            self._status.value = (message("warning", "この課題の文は、別のPCで先に書き換えられていました。"
                                                     "この入力はまだ保存していません。どちらを残すか選んでください。")
                                  + f'<div class="kit-theirs">別のPCで保存された文: {html.escape(stale.current.statement)}'
                                    f"<br>根拠: {html.escape(stale.current.evidence)}</div>")
            self._choice.show(True)
            return
        if not saved:
            return
        issue, found = result
        self._theirs = None
        self._show(issue)
        mark_saved(self._statement, statement, issue.statement)
        mark_saved(self._evidence, evidence, issue.evidence)
        self._status.value = saved_html() + masked_notice(found)
        self._on_saved()

    def take_theirs(self) -> None:
        self._show(self._theirs)
        self._theirs = None
        self._choice.show(False)
        self._status.value = message("info", "別のPCで保存された文にしました。")

    def add_figures(self) -> None:
        """01's figures of the group's areas, added to the evidence (which saves it)."""
        lines = self._model.area_figures(self._codes)
        if not lines:
            self._status.value = message("warning", "地域診断の数字を出せませんでした（人口・認定のデータがありません）。")
            return
        evidence = self._evidence.value
        self._evidence.value = "。".join([evidence.rstrip("。"), *lines]) if evidence else "。".join(lines)

    @property
    def status(self) -> str:
        return self._status.value


class StatementsView(widgets.VBox):
    """A :class:`StatementBox` per group with cards, and how many issues 03 and 04 get."""

    def __init__(self):
        self._model = None
        self._saved = widgets.HTML()
        self._list = widgets.VBox()
        super().__init__([
            widgets.HTML("<p>グループごとに、地域の課題を<b>一文</b>で書きます。誰が、どこで、何に困っていて、"
                         "どうなるおそれがあるか。根拠には事例の数・地区と、地域診断（01）の数字を添えます。"
                         "保存した地域課題は「多様な主体リスト」（03）と「提案準備」（04）で使います。</p>"),
            self._saved, self._list])

    def bind(self, model) -> None:
        self._model = model
        model.observe(lambda _change: self.render(), "revision")
        self.render()

    def render(self) -> None:
        groups = [g for g in self._model.groups["groups"] if g["cards"]]
        if groups:
            cards = self._model.cards()
            self._list.children = [StatementBox(self._model, group, cards, self._count) for group in groups]
        else:
            self._list.children = [widgets.HTML(message(
                "info", "まだグループがありません。「4 グループ化」でカードを集めると、ここで文章にできます。"))]
        self._count()

    def _count(self) -> None:
        count = len(self._model.issues)
        self._saved.value = (message("ok", f"03・04 で使う地域課題: {count}件（このワークスペースで書いたもの）")
                             if count else message("info", "まだ地域課題を保存していません。保存するまで、03・04 では"
                                                           "見本のまちの地域課題を使います。"))

    def box(self, group_id: str) -> StatementBox:
        """The box of a group."""
        return next(box for box in self._list.children if isinstance(box, StatementBox) and box.group_id == group_id)
