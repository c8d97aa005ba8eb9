"""Tab 全国と比べる: the town beside any prefecture or municipality and the nation,
its rank among municipalities of a similar size, and the national map."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit import maps, reference
from kit.steps.assessment import charts as ac
from kit.steps.assessment.model import compare_key
from kit.steps.assessment.views import TabView, offer, row, table
from kit.ui.common import message

__all__ = ["CompareView"]

_WHOLE_PREFECTURE = ("（都道府県全体）", "")


def _municipalities(prefecture: str) -> list[tuple[str, str]]:
    options = [_WHOLE_PREFECTURE]
    if prefecture:
        rows = reference.municipalities_of(prefecture)
        options += list(zip(rows["市区町村名"], rows["市区町村コード"]))
    return options


class CompareView(TabView):
    title = "全国と比べる"
    needs = ("population",)
    follows = ("version", "compare", "metric")

    def __init__(self, model):
        super().__init__(model)
        style = {"description_width": "7em"}
        prefectures = reference.prefectures()
        self._prefecture = widgets.Dropdown(
            options=[(reference.NATION, "")] + list(zip(prefectures["都道府県"], prefectures["都道府県コード"])),
            description="都道府県", style=style)
        self._municipality = widgets.Dropdown(options=[_WHOLE_PREFECTURE], description="市区町村",
                                              style=style, layout=widgets.Layout(width="22em"))
        self._metric = widgets.Dropdown(options=[(x.label, x.key) for x in reference.METRICS],
                                        description="比べる指標", style=style, layout=widgets.Layout(width="36em"))
        self._table, self._note = widgets.HTML(), widgets.HTML()
        self._chart_view, self._peer_chart = self._chart(), self._chart()
        self._peer_text, self._national = widgets.HTML(), widgets.HTML()
        self._national.add_class("kit-national")
        self._images.append(self._national)
        self.children = [
            widgets.HTML("<p>全国のどの市区町村・都道府県とも比べられます。人口が同程度の市区町村の中で、"
                         "このまちがどのあたりにいるかも分かります（国勢調査2020と社人研2018年推計）。</p>"),
            row(self._prefecture, self._municipality), self._metric,
            row(self._table, self._chart_view), self._note,
            self._peer_text, row(self._peer_chart, self._national),
        ]
        self._prefecture.observe(self._on_prefecture, "value")
        self._municipality.observe(lambda _: self._choose_place(), "value")
        self._metric.observe(lambda change: setattr(model, "metric", change["new"]), "value")
        model.observe(self._sync, names=["compare", "metric"])
        self._sync()

    def _on_prefecture(self, change) -> None:
        # A new prefecture lists its municipalities and compares with it as a whole.
        self._municipality.options = _municipalities(change["new"])
        self._choose_place()

    def _choose_place(self) -> None:
        self._model.compare = compare_key(self._prefecture.value, self._municipality.value)

    def _sync(self, _change=None) -> None:
        m = self._model
        with m.hold_trait_notifications():
            prefecture, municipality = m.compared_place()
            metric = m.metric
            self._prefecture.value = prefecture
            offer(self._municipality, _municipalities(prefecture), municipality)
            self._metric.value = metric

    def render(self) -> None:
        m = self._model
        comparison = m.comparison()
        self._table.value = "<b>比べる（割合は%）</b>" + table(comparison, {c: ".1f" for c in comparison.columns[1:]})
        note = m.compare_note()
        self._note.value = f"<small>{html.escape(note)}</small>" if note else ""
        group = m.metric_spec.group
        self._draw(self._chart_view, ("compare", m.compare, group), lambda: ac.compare_chart(m.profiles(), group))
        rank = m.peer_rank()
        self._peer_text.value = message("info", f"{m.town_name}: {rank.sentence}")
        self._draw(self._peer_chart, ("peer", m.metric, m.town_name), lambda: ac.peer_chart(rank, m.town_name))
        metric = m.metric_spec
        self._national.value = (f"<b>全国の市区町村: {html.escape(metric.label)}</b>"
                                + maps.national_map_html(reference.indicators(), metric.key, metric.label,
                                                         m.marked_municipality(),
                                                         100.0 if metric.kind == "growth" else None)
                                + "<small>灰色は推計のない市町村（福島県）。選んだ市区町村（選んでいなければ自分のまち）を"
                                  "黒い線で囲んでいます。</small>")
