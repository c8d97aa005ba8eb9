"""Tab 地図: the areas coloured by an indicator of the data the town has."""

from __future__ import annotations

import ipywidgets as widgets

from kit import maps
from kit.steps.assessment.views import TabView, offer, row, table
from kit.ui.common import message

__all__ = ["MapView"]


class MapView(TabView):
    title = "地図"
    needs = ("population",)
    follows = ("version", "area", "rule_set", "map_indicator", "cert_year")

    def __init__(self, model):
        super().__init__(model)
        self._indicator = widgets.Dropdown(description="地図に塗る指標", style={"description_width": "8em"},
                                           layout=widgets.Layout(width="40em"))
        self._map, self._table = self._chart(), widgets.HTML()
        self.children = [self._indicator, row(self._map, self._table)]
        self._indicator.observe(lambda change: change["new"] and setattr(model, "map_indicator", change["new"]),
                                "value")
        model.observe(self._sync, names=["version", "rule_set", "cert_year", "map_indicator"])
        self._sync()

    def _sync(self, _change=None) -> None:
        m = self._model
        with m.hold_trait_notifications():
            indicator = m.map_indicator
            options = list(m.map_indicators())
            offer(self._indicator, options, indicator if indicator in options else None)

    def lacking(self) -> str:
        """What stands in for the map when the town has no boundaries (the sample town has)."""
        m = self._model
        if m.town.sample:
            return ""
        return message("info", f"{m.town_name}の地区の境界（地図のデータ）はキットにないため、地区の地図は描けません。"
                               "「全国と比べる」タブの全国の地図では、このまちの位置と値を見られます。")

    def render(self) -> None:
        m = self._model
        values = m.map_values()
        label = m.map_indicator
        self._draw(self._map, ("map", label), lambda: maps.area_map(m.geojson, values, "値", label))
        self._table.value = table(values[["地区名", "値"]].rename(columns={"値": label}), {label: ".1f"})
        if not m.map_covers(values):
            self._table.value += message("warning", "地図の境界は見本のまちのものです。読み込んだ地区の境界はないため、"
                                                    "地図には色が付きません。")
