"""Tab 要介護認定: the certified per level and area in a chosen year, the rate and
the share of light levels, and the rate over the years."""

from __future__ import annotations

import ipywidgets as widgets

from kit import vocab
from kit.steps.assessment import charts as ac
from kit.steps.assessment.views import TabView, offer, row, table

__all__ = ["CertificationView"]


class CertificationView(TabView):
    title = "要介護認定"
    needs = ("certification",)
    follows = ("version", "area", "cert_year")

    def __init__(self, model):
        super().__init__(model)
        self._year = widgets.Dropdown(description="年", style={"description_width": "3em"},
                                      layout=widgets.Layout(width="10em"))
        self._chart_view, self._table, self._trend = self._chart(), widgets.HTML(), widgets.HTML()
        self.children = [
            widgets.HTML("<p>要支援1〜要介護1を<b>軽度</b>と呼びます。軽度の多い地区は、"
                         "介護予防・生活支援の取組で状態の悪化を遅らせられる余地が大きいところです。</p>"),
            self._year, row(self._chart_view, self._table),
            widgets.HTML("<h4>認定率の推移</h4>"), self._trend,
        ]
        self._year.observe(lambda change: change["new"] is not None and setattr(model, "cert_year", change["new"]),
                           "value")
        model.observe(self._sync, names=["version", "cert_year"])
        self._sync()

    def _sync(self, _change=None) -> None:
        m = self._model
        with m.hold_trait_notifications():
            year = m.cert_year
            offer(self._year, [(f"{y}年", y) for y in m.cert_years()], year or None)

    def render(self) -> None:
        m = self._model
        certification = m.certification()
        self._draw(self._chart_view, ("cert", m.cert_year), lambda: ac.certification_chart(certification))
        shown = certification[["地区名", *vocab.CERT_LEVELS, "認定者数", "分母", "分母の種類", "認定率", "軽度",
                               "軽度の割合"]]
        self._table.value = ("<b>認定者数（人）と認定率・軽度の割合（%）</b>"
                             + table(shown, {"分母": ",.0f", "認定率": ".1f", "軽度の割合": ".1f"}))
        trend = m.certification_trend().pivot_table(index="地区名", columns="年", values="認定率", sort=False)
        trend.columns = [f"{y}年" for y in trend.columns]
        self._trend.value = "認定率（%）" + table(trend.reset_index(), {c: ".1f" for c in trend.columns})
