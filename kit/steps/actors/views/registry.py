"""Tab 「1 一覧」: the list filtered and paged, 20 rows at a time."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
import traitlets

from kit import vocab
from kit.steps.actors import domain as act
from kit.steps.actors.model import ActorsModel
from kit.steps.actors.views import joined, options
from kit.ui.common import message
from kit.ui.controls import esc

__all__ = ["RegistryView", "actor_table_html"]


def actor_table_html(page: pd.DataFrame, area_names: dict[str, str], first: int, total: int) -> str:
    """One page of the registry as a table, with where it sits in the whole."""
    if total == 0:
        return message("info", "条件に合う主体はありません。絞り込みを変えてください。")
    rows = "".join(
        f"<tr><td>{esc(r['主体ID'])}</td><td><b>{esc(r['名称'])}</b></td><td>{esc(r['主体種別'])}</td>"
        f"<td>{joined(r['カテゴリ'])}</td><td>{joined(r['対応できる生活課題'])}</td>"
        f"<td>{html.escape('・'.join(act.area_label(c, area_names) for c in act.terms(r['活動地区'])))}</td>"
        f"<td>{esc(r['連携状況'])}</td></tr>"
        for _, r in page.iterrows())
    head = "".join(f"<th>{h}</th>" for h in ("主体ID", "名称", "主体種別", "カテゴリ", "対応できる生活課題",
                                              "活動地区", "連携状況"))
    return (f'<p class="kit-count">{first + 1}～{first + len(page)}件目 / {total:,}件</p>'
            f'<table class="kit-table kit-actor-table"><tr>{head}</tr>{rows}</table>')


class RegistryView(widgets.VBox):
    """The filters (linked to the model's), one page of the list, and a notice when
    the list holds likely duplicates."""

    def __init__(self):
        small = widgets.Layout(width="15em")
        self._type = widgets.Dropdown(options=options(vocab.ACTOR_TYPES, "（すべての種別）"), layout=small)
        self._category = widgets.Dropdown(options=options(vocab.ACTOR_CATEGORIES, "（すべてのカテゴリ）"),
                                          layout=small)
        self._area = widgets.Dropdown(options=[("（すべての地区）", "")], layout=small)
        self._status = widgets.Dropdown(options=options(vocab.COLLAB_STATUSES, "（すべての連携状況）"), layout=small)
        self._query = widgets.Text(placeholder="名称・業種・本業で探す", layout=small)
        self._table = widgets.HTML()
        self._prev = widgets.Button(description="前へ", icon="chevron-left", layout=widgets.Layout(width="7em"))
        self._next = widgets.Button(description="次へ", icon="chevron-right", layout=widgets.Layout(width="7em"))
        self._notice = widgets.HTML()
        self.model: ActorsModel | None = None
        super().__init__([
            widgets.HTML("<p>地域の企業・NPO・社会福祉法人・協同組合・住民団体などの一覧です。"
                         "絞り込みは地図・集計・ツドレバの表示にも反映されます。</p>"),
            widgets.HBox([self._type, self._category, self._area, self._status, self._query],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self._notice, self._table, widgets.HBox([self._prev, self._next])])

    def bind(self, model: ActorsModel) -> None:
        self.model = model
        self._area.options = [("（すべての地区）", "")] + [(act.area_label(c, model.area_names), c)
                                                           for c in model.area_codes]
        for control, name in ((self._type, "type_filter"), (self._category, "category_filter"),
                              (self._area, "area_filter"), (self._status, "status_filter"), (self._query, "query")):
            traitlets.link((model, name), (control, "value"))
        self._prev.on_click(lambda _b: model.turn(-1))
        self._next.on_click(lambda _b: model.turn(1))
        model.observe(self._render, ["page", "type_filter", "category_filter", "area_filter", "status_filter",
                                     "query"])
        model.observe(self._render_all, ["revision"])
        self._render_all()

    @property
    def table_html(self) -> str:
        return self._table.value

    @property
    def notice_html(self) -> str:
        return self._notice.value

    def _render_all(self, _change=None) -> None:
        count = len(self.model.duplicates())
        self._notice.value = (message("warning", f"重複の可能性がある主体が{count}組あります。"
                                                 "「3 読み込みと重複」で確認してください。") if count else "")
        self._render()

    def _render(self, _change=None) -> None:
        rows, first, total = self.model.shown_page()
        self._table.value = actor_table_html(rows, self.model.area_names, first, total)
        self._prev.disabled = first == 0
        self._next.disabled = first + len(rows) >= total
