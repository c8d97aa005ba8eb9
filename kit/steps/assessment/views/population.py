"""Tab 人口と高齢化: growth of each age group, the shares of the old, and how many
people aged 15–64 there are for each person aged 85 and over, per area."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit import datasets, reference
from kit.steps.assessment import charts as ac
from kit.steps.assessment import domain as asm
from kit.steps.assessment.views import TabView, row, table

__all__ = ["PopulationView"]


class PopulationView(TabView):
    title = "人口と高齢化"
    needs = ("population",)
    follows = ("version", "area")

    def __init__(self, model):
        super().__init__(model)
        self._growth, self._shares, self._support = self._chart(), self._chart(), self._chart()
        self._growth_table, self._share_table, self._support_table = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self._notes = widgets.HTML()
        self.children = [
            widgets.HTML("<p>2040年に向けて、85歳以上が増え、支え手の15〜64歳が減ります。"
                         "選んだ地区の伸びと、地区どうしの違いを見比べましょう。</p>"),
            self._notes,
            row(self._growth, self._growth_table),
            row(self._shares, self._share_table),
            row(self._support, self._support_table),
        ]

    def render(self) -> None:
        m = self._model
        notes = (reference.town_tables(m.town.code, m.town.use_wards).notes
                 if m.sources.get("population") == datasets.NATIONAL else ())
        self._notes.value = "".join(f"<div><small>{html.escape(note)}</small></div>" for note in notes)
        pop = m.population()
        first, last = m.years()
        self._draw(self._growth, ("growth",), lambda: ac.growth_chart(pop))
        rows = pop[pop["地区コード"] == m.area].pivot_table(index="年", columns="年齢区分", values="人口",
                                                            sort=False).reset_index()
        self._growth_table.value = (f"<b>{html.escape(m.area_names()[m.area])}の人口</b>"
                                    + table(rows, {c: ",.0f" for c in asm.AGE_GROUP_ORDER}))
        self._draw(self._shares, ("shares",), lambda: ac.share_chart(pop, (first, last)))
        shares = pop[pop["年"].isin((first, last)) & pop["年齢区分"].isin(asm.AGE_GROUP_ORDER[2:])].pivot_table(
            index="地区名", columns=["年齢区分", "年"], values="割合", sort=False)
        shares.columns = [f"{g} {y}年" for g, y in shares.columns]
        self._share_table.value = "<b>割合（%）</b>" + table(shares.reset_index(), {c: ".1f" for c in shares.columns})
        ratios = m.ratios()
        self._draw(self._support, ("support",), lambda: ac.support_chart(ratios))
        wide = ratios.pivot_table(index="地区名", columns="年", values=ratios.columns[-1], sort=False)
        wide.columns = [f"{y}年" for y in wide.columns]
        self._support_table.value = ("<b>85歳以上1人あたりの15-64歳（人）</b>"
                                     + table(wide.reset_index(), {c: ".1f" for c in wide.columns}))
