"""The bar above the tabs: the area (圏域) and the risk rule set every tab follows."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit import vocab
from kit.steps.assessment.views import offer, row

__all__ = ["ChoiceBar", "rule_badge"]


def rule_badge(name: str) -> str:
    return f'<span class="kit-rule-badge">判定方法: {html.escape(name)}</span>'


class ChoiceBar(widgets.VBox):
    def __init__(self, model):
        style = {"description_width": "9em"}
        self._model = model
        self._area = widgets.Dropdown(description="地区（圏域）", style=style)
        self._rule = widgets.Dropdown(description="リスクの判定方法", style=style,
                                      layout=widgets.Layout(width="24em"))
        self._note = widgets.HTML()
        super().__init__([row(self._area, self._rule), self._note])
        self.add_class("kit-assessment-bar")
        self._area.observe(lambda change: self._choose("area", change["new"]), "value")
        self._rule.observe(lambda change: self._choose("rule_set", change["new"]), "value")
        model.observe(self._sync, names=["version", "area", "rule_set"])
        self._sync()

    def _choose(self, trait: str, value) -> None:
        if value is not None:
            setattr(self._model, trait, value)

    def _sync(self, _change=None) -> None:
        m = self._model
        with m.hold_trait_notifications():
            area, rule_set = m.area, m.rule_set
            offer(self._area, [(name if code == vocab.WHOLE_TOWN else f"{code} {name}", code)
                               for code, name in m.area_names().items()], area)
            usable = m.usable_rule_sets()
            offer(self._rule, [(r.name, r.key) for r in usable],
                  rule_set if rule_set in [r.key for r in usable] else None)
        surveyed = m.has("needs_survey")
        self._rule.layout.display = None if surveyed else "none"
        self._note.value = (f'{rule_badge(m.rules.name)} <small>{html.escape(m.rules.source)}。'
                            '無回答で判定できない人は分母から除きます。</small>') if surveyed else ""
