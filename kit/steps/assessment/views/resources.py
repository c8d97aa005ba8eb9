"""Tab 地域資源とニーズ: resources per 1,000 people aged 65+, and needs × supply:
where a risk is high and the resources that answer it are few."""

from __future__ import annotations

import ipywidgets as widgets

from kit.steps.assessment import charts as ac
from kit.steps.assessment.views import TabView, offer, row, table
from kit.steps.assessment.views.bar import rule_badge
from kit.ui.common import message

__all__ = ["ResourcesView"]


class ResourcesView(TabView):
    title = "地域資源とニーズ"
    needs = ("resources", "needs_survey")
    follows = ("version", "area", "rule_set", "need", "kinds")

    def __init__(self, model):
        super().__init__(model)
        self._need = widgets.Dropdown(description="ニーズ（リスク）", style={"description_width": "8em"})
        self._kinds = widgets.SelectMultiple(description="資源の種別", rows=6, style={"description_width": "8em"},
                                             layout=widgets.Layout(width="24em"))
        self._resource_chart, self._resource_table = self._chart(), widgets.HTML()
        self._ns_chart, self._ns_table = self._chart(), widgets.HTML()
        self.children = [
            widgets.HTML("<p>資源の数は、地区の65歳以上千人あたりで比べます。</p>"),
            row(self._resource_chart, self._resource_table),
            widgets.HTML("<h4>ニーズ × 資源</h4><p>リスクの高い地区に、それに応える資源が足りているか。"
                         "「ニーズ高・資源少」の地区から話し合いを始めましょう。</p>"),
            row(self._need, self._kinds),
            row(self._ns_chart, self._ns_table),
        ]
        self._need.observe(lambda change: change["new"] and model.choose_need(change["new"]), "value")
        self._kinds.observe(lambda change: setattr(model, "kinds", tuple(change["new"])), "value")
        model.observe(self._sync, names=["version", "rule_set", "need", "kinds"])
        self._sync()

    def _sync(self, _change=None) -> None:
        m = self._model
        with m.hold_trait_notifications():
            need, kinds = m.need, m.kinds
            needs = m.need_options()
            offer(self._need, needs, need if need in needs else None)
            available = m.resource_kinds()
            offer(self._kinds, available, tuple(k for k in kinds if k in available))

    def render(self) -> None:
        m = self._model
        resources = m.resources()
        self._draw(self._resource_chart, ("resources",), lambda: ac.resource_chart(resources))
        wide = resources.pivot_table(index="地区名", columns="種別", values="件数", sort=False)
        self._resource_table.value = (f"<b>件数</b>（65歳以上人口は{m.resource_year()}年）"
                                      + table(wide.reset_index(), {c: ".0f" for c in wide.columns}))
        if not m.need or not m.kinds:
            self._ns_chart.value = ""
            self._ns_table.value = message("info", "ニーズと資源の種別を選んでください。")
            return
        needs_supply = m.needs_supply()
        self._draw(self._ns_chart, ("needs", m.rule_set, m.need, m.kinds),
                   lambda: ac.needs_supply_chart(needs_supply, m.rules.name))
        self._ns_table.value = (rule_badge(m.rules.name)
                                + table(needs_supply[["地区名", "該当率", "分母", "件数", "千人あたり", "見立て"]],
                                        {"該当率": ".1f", "千人あたり": ".2f"}))
