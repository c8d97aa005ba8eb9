"""1 事例カード: the cases as cards, of one area or all; and how a case and an issue
card are shown wherever the page names them."""

from __future__ import annotations

import html
from collections.abc import Iterable

import ipywidgets as widgets
import pandas as pd

from kit.steps.cases import domain as cs
from kit.steps.cases.tagging import is_own_tag
from kit.steps.cases.views import link_choice
from kit.ui.common import message
from kit.ui.controls import esc

__all__ = ["CardsView", "case_card_html", "case_cards_html", "card_label"]

_ALL = ""
LABEL_CHARS = 30          # characters of 困りごと in a card's label


def card_label(card: pd.Series) -> str:
    """One line naming an issue card in pickers: C008 奥沢 移動: 免許を返納した…"""
    trouble = str(card["困りごと"] or "")
    short = trouble[:LABEL_CHARS] + ("…" if len(trouble) > LABEL_CHARS else "")
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
    urgency = esc(row.get("緊急度")) or "未記入"
    who = "・".join(esc(row.get(c)) for c in ("年齢階級", "性別", "世帯", "要介護度") if esc(row.get(c)))
    return (f'<div class="kit-card" data-case="{esc(row["事例ID"])}"><b>{esc(row["事例ID"])}</b> '
            f'{html.escape(area_names.get(row["地区コード"], str(row["地区コード"])))} ｜ {who} ｜ '
            f'緊急度 <span class="kit-urgent-{urgency}">{urgency}</span><br>'
            f'<b>本人の望み</b>: {esc(row.get("本人の望み"))}<br><b>困りごと</b>: {esc(row.get("困りごと"))}'
            + (f'<br><b>経過</b>: {esc(row.get("経過"))}' if esc(row.get("経過")) else "")
            + (f'<div class="kit-res">本人の資源: {resources}</div>' if resources else "")
            + f'<div>生活課題: {chips or "<i>まだ付けていません</i>"}</div></div>')


def case_cards_html(cases: pd.DataFrame, tags: dict[str, tuple[str, ...]], area_names: dict[str, str]) -> str:
    if cases.empty:
        return message("info", "この条件の事例はありません。")
    cards = "".join(case_card_html(row, tags.get(row["事例ID"], ()), area_names)
                    for row in cases.to_dict("records"))
    return f'<p>{len(cases)}件</p><div class="kit-card-list">{cards}</div>'


class CardsView(widgets.VBox):
    """The cards of the area chosen (``model.area``)."""

    def __init__(self):
        self._model = None
        self._area = widgets.Dropdown(options=[("（すべての地区）", _ALL)], description="地区")
        self._cards = widgets.HTML()
        super().__init__([
            widgets.HTML("<p>一人ひとりの事例です。<b>本人の望み</b>（続けたい暮らし）と<b>困りごと</b>を読み、"
                         "本人がすでに持っている資源（場所・道具・環境・役割・人）にも目を向けましょう。</p>"),
            self._area, self._cards])

    def bind(self, model) -> None:
        self._model = model
        self._area.options = [("（すべての地区）", _ALL), *((name, code) for code, name in model.area_names.items())]
        link_choice(model, "area", self._area)
        model.observe(lambda _change: self.render(), ["area", "revision"])
        self.render()

    def render(self) -> None:
        model = self._model
        self._cards.value = case_cards_html(model.shown_cases(), model.tags, model.area_names)

    @property
    def html(self) -> str:
        """The cards as shown."""
        return self._cards.value
