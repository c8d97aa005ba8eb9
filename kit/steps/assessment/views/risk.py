"""Tab ニーズ調査のリスク: the rate of each risk per area under the chosen rule set,
always named beside the rates, with the items and thresholds of that set."""

from __future__ import annotations

import ipywidgets as widgets

from kit.steps.assessment import charts as ac
from kit.steps.assessment import risk_rules
from kit.steps.assessment.views import TabView, row, table
from kit.steps.assessment.views.bar import rule_badge
from kit.ui.common import message

__all__ = ["RiskView"]


class RiskView(TabView):
    title = "ニーズ調査のリスク"
    needs = ("needs_survey",)
    follows = ("version", "area", "rule_set")

    def __init__(self, model):
        super().__init__(model)
        self._chart_view, self._table = self._chart(), widgets.HTML()
        self._rules, self._problems = widgets.HTML(), widgets.HTML()
        self.children = [
            widgets.HTML("<p>判定方法（上で選択）によって、同じ回答でも該当率が変わります。"
                         "率を人に見せるときは、必ず判定方法を添えましょう。</p>"),
            row(self._chart_view, self._table),
            self._problems, self._rules,
        ]

    def render(self) -> None:
        m = self._model
        rates, rules = m.rates(), m.rules
        self._draw(self._chart_view, ("risk", m.rule_set), lambda: ac.risk_chart(rates, rules.name))
        self._table.value = (f"<b>該当率（%）</b> {rule_badge(rules.name)}" + table(m.rates_by_area())
                             + "<small>* 分母（判定できた回答者）が30人未満の参考値。"
                               "判定不能: 無回答のため該当・非該当が決まらない人。</small>")
        missing = risk_rules.missing_columns(m.tables["needs_survey"], rules)
        problems = [] if rules.ready_flags else m.item_problems()
        notes = []
        if missing:
            notes.append(message("warning", f"この調査には次の項目がないため、一部のリスクは判定できません: {'、'.join(missing)}"))
        if problems:
            notes.append(message("warning", f"読めない回答が{len(problems)}件あり、無回答として扱いました（例: {problems[0]}）"))
        self._problems.value = "".join(notes)
        self._rules.value = ("<details><summary>この判定方法の項目と基準</summary>"
                             + table(risk_rules.describe(rules)) + "</details>")
