"""Tab 「5 課題とのマッチング」, upper part: every regional issue with its number of
candidates (gaps in red), the issue in view with its candidates (the partners the
team chose first), and the collection of precedents to search."""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import pandas as pd
import traitlets

from kit import vocab
from kit.steps.actors import domain as act
from kit.steps.actors.model import ActorsModel, ChosenPartner
from kit.steps.actors.precedents import closest_for_matches, search
from kit.steps.actors.views import joined, options
from kit.steps.cases.issues import RegionalIssue
from kit.ui.common import message
from kit.ui.controls import esc, heading
from kit.ui.saving import attempt

__all__ = ["MatchingView", "PrecedentsView", "issue_summary_html", "candidates_html", "precedent_html",
           "CANDIDATES_SHOWN"]

CANDIDATES_SHOWN = 10   # candidates shown per issue besides the chosen ones (the rest are counted)


def issue_summary_html(issues: Sequence[RegionalIssue], matches: pd.DataFrame, gaps: pd.DataFrame,
                       area_names: dict[str, str]) -> str:
    """Every issue with its number of candidates; gaps highlighted."""
    if not issues:
        return message("info", "地域課題がまだありません。02「個別事例から地域課題へ」で地域課題をまとめてください。")
    counts = matches.groupby("課題ID").size()
    state = dict(zip(gaps["課題ID"], gaps["状態"]))
    missing = dict(zip(gaps["課題ID"], gaps["対応する主体がいない生活課題"]))
    rows = []
    for issue in issues:
        status = state.get(issue.id, "候補あり")
        css = {"空白": "kit-gap", "生活課題が未設定": "kit-gap", "一部が空白": "kit-partial"}.get(status, "")
        detail = f"（{'・'.join(missing[issue.id])}）" if missing.get(issue.id) else ""
        where = "・".join(act.area_label(c, area_names) for c in issue.areas) or "市内全域"
        rows.append(f'<tr class="{css}"><td>{esc(issue.id)}</td><td>{esc(issue.statement)}</td>'
                    f"<td>{html.escape('・'.join(issue.life_issues))}</td><td>{html.escape(where)}</td>"
                    f'<td class="kit-num">{int(counts.get(issue.id, 0))}</td>'
                    f"<td><b>{html.escape(status)}</b>{html.escape(detail)}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in ("課題ID", "地域課題", "生活課題", "地区", "候補", "状態"))
    return f'<table class="kit-table kit-issue-summary"><tr>{head}</tr>{"".join(rows)}</table>'


def precedent_html(precedent: pd.Series, reason: str = "") -> str:
    """One precedent, folded: its name, and when opened who, how it began, who did what."""
    why = f"<br><small>近い理由: {html.escape(reason)}</small>" if reason else ""
    return (f'<details class="kit-precedent"><summary>{esc(precedent["事例名"])}'
            f'（{esc(precedent["地域"])}）</summary><div>'
            f'<b>主体</b>: {esc(precedent["主体"])}（本業: {esc(precedent["本業"])}'
            f'{"／" + esc(precedent["取組形態"]) if precedent["取組形態"] else ""}）<br>'
            f'<b>生活課題</b>: {joined(precedent["生活課題"])}<br>'
            f'<b>きっかけ</b>: {esc(precedent["きっかけ"])}<br>'
            f'<b>役割分担</b>: {esc(precedent["役割分担"])}<br>'
            f'<small>出典: {esc(precedent["出典"])}</small>{why}</div></details>')


def candidates_html(found: pd.DataFrame, precedents: dict[tuple[str, str], pd.DataFrame],
                    chosen: Sequence[ChosenPartner] = ()) -> str:
    """The partners the team chose for one issue, then its other candidates in rank
    order, with their reasons and closest precedents."""
    if found.empty and not chosen:
        return message("warning", "この課題に対応できる主体はリストにいません（空白）。"
                                  "新しい担い手を探すか、生活課題の近い主体に相談する候補を考えましょう。")
    ranked = {match.主体ID: match for match in found.itertuples(index=False)}

    def shown(issue_id: str, actor_id: str) -> str:
        close = precedents.get((issue_id, actor_id))
        return "".join(precedent_html(p, p["理由"]) for _, p in close.iterrows()) if close is not None else ""

    rows = []
    for partner in chosen:
        match = ranked.get(partner.actor_id)
        rank = f"<br><small>候補{match.順位}位</small>" if match else "<br><small>候補外</small>"
        rows.append(f'<tr class="kit-chosen"><td>★選んだ相手{rank}</td><td><b>{esc(partner.name)}</b><br>'
                    f"<small>{esc(match.主体種別) if match else ''}</small></td>"
                    f"<td><b>選んだ理由</b>: {esc(partner.reason)}"
                    f"{'<br><small>' + esc(match.理由) + '</small>' if match else ''}</td>"
                    f"<td>{shown(partner.issue_id, partner.actor_id) or '—'}</td></tr>")
    picked = {partner.actor_id for partner in chosen}
    others = found[~found["主体ID"].isin(picked)]
    for match in others.head(CANDIDATES_SHOWN).itertuples(index=False):
        rows.append(f'<tr><td class="kit-num">{match.順位}</td><td><b>{esc(match.名称)}</b><br>'
                    f"<small>{esc(match.主体種別)}</small></td><td>{esc(match.理由)}</td>"
                    f"<td>{shown(match.課題ID, match.主体ID) or '—'}</td></tr>")
    more = (f"<p>ほか{len(others) - CANDIDATES_SHOWN}件の候補があります（書き出すと全件を確認できます）。</p>"
            if len(others) > CANDIDATES_SHOWN else "")
    head = "".join(f"<th>{h}</th>" for h in ("順位", "候補", "理由", "参考になる事例"))
    return f'<table class="kit-table kit-candidates"><tr>{head}</tr>{"".join(rows)}</table>{more}'


class MatchingView(widgets.VBox):
    """The issues' summary, the issue in view (linked to the model's, kept across
    reloads) and its candidates."""

    def __init__(self):
        self.model: ActorsModel | None = None
        self._precedents: pd.DataFrame | None = None
        self._summary = widgets.HTML()
        self._pick = widgets.Dropdown(description="地域課題", layout=widgets.Layout(width="40em"),
                                      style={"description_width": "5em"})
        self._pick.add_class("kit-issue-pick")
        self._status = widgets.HTML()
        self._candidates = widgets.HTML()
        super().__init__([
            widgets.HTML("<p>02でまとめた地域課題ごとに、生活課題と活動地区が合う主体を候補として並べます。"
                         "<b>赤</b>はリストに対応できる主体がいない課題（空白）、<b>黄</b>は一部の生活課題に候補がいない課題です。"
                         "下の「声をかける相手」で選んだ相手は、候補の先頭に★で並びます。</p>"),
            self._summary, self._pick, self._status, self._candidates])

    def bind(self, model: ActorsModel, precedents: pd.DataFrame) -> None:
        self.model, self._precedents = model, precedents
        self._pick.options = [(f"{i.id} {i.statement}", i.id) for i in model.issues]
        if model.issues:
            traitlets.link((model, "issue"), (self._pick, "value"))
        model.observe(self._remember, "issue")
        model.observe(self._render_candidates, ["issue", "chosen"])
        model.observe(self.render, "revision")
        self.render()

    @property
    def summary_html(self) -> str:
        return self._summary.value

    @property
    def candidates_html(self) -> str:
        return self._candidates.value

    def _remember(self, _change) -> None:
        attempt(self._status, self.model.save_settings)

    def render(self, _change=None) -> None:
        self._summary.value = issue_summary_html(self.model.issues, self.model.matches(), self.model.gaps(),
                                                 self.model.area_names)
        self._render_candidates()

    def _render_candidates(self, _change=None) -> None:
        issue = self.model.current_issue()
        if issue is None:
            self._candidates.value = ""
            return
        found = self.model.candidates(issue.id)
        chosen = self.model.partners(issue.id)
        picked = {partner.actor_id for partner in chosen}
        described = pd.concat([found[found["主体ID"].isin(picked)], found[~found["主体ID"].isin(picked)].head(
            CANDIDATES_SHOWN)])
        close = closest_for_matches(self._precedents, described, self.model.actors, self.model.issues)
        self._candidates.value = candidates_html(found, close, chosen)


class PrecedentsView(widgets.VBox):
    """The collection of real partnerships, searched by 生活課題, trade or words."""

    def __init__(self, precedents: pd.DataFrame):
        self._precedents = precedents
        self._issue = widgets.Dropdown(options=options(vocab.LIFE_ISSUES, "（すべての生活課題）"),
                                       layout=widgets.Layout(width="15em"))
        self._industry = widgets.Dropdown(options=options(vocab.INDUSTRIES, "（すべての業種）"),
                                          layout=widgets.Layout(width="20em"))
        self._query = widgets.Text(placeholder="ことばで探す", layout=widgets.Layout(width="12em"))
        self._list = widgets.HTML()
        for control in (self._issue, self._industry, self._query):
            control.observe(self._render, "value")
        super().__init__([heading("取組事例集", "資料に載っている実際の連携事例です。生活課題や業種で探せます。"),
                          widgets.HBox([self._issue, self._industry, self._query]), self._list])
        self._render()

    def _render(self, _change=None) -> None:
        found = search(self._precedents, life_issues=(self._issue.value,) if self._issue.value else (),
                       industry=self._industry.value, query=self._query.value)
        self._list.value = (f"<p>{len(found)}件</p>" + "".join(precedent_html(p) for _, p in found.iterrows())
                            if len(found) else message("info", "条件に合う事例はありません。"))
