"""Tab 自分のデータ: choosing the own town (its census figures need no file) and
reading the town's own files, each kind in one row."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from kit.steps.assessment import domain as asm
from kit.steps.assessment.model import DATA_KINDS
from kit.ui.town import DataRow, TownPicker

__all__ = ["DataView"]


class DataView(widgets.VBox):
    def __init__(self, model):
        self._model = model
        self.town_picker = TownPicker()
        self._rows = widgets.VBox()
        super().__init__([
            widgets.HTML("<h4>自分のまちを選ぶ</h4><p>市区町村を選ぶと、ファイルがなくても国勢調査（2020年）と"
                         "社人研の推計（2045年まで）で、人口と高齢化の見通しをすぐに見られます。</p>"),
            self.town_picker,
            widgets.HTML("<h4>自分のまちのファイルを読み込む</h4><p>圏域ごとの人口、要介護認定、ニーズ調査、地域資源の"
                         "CSV・Excel を読み込むと、このページの表と図がそのデータに切り替わります。"
                         "読み込めなかったときは、それまでのデータのままです。</p>"),
            self._rows])

    def bind(self, workspace, on_change: Callable[[], None]) -> None:
        """Read and store in ``workspace``; ``on_change`` after a new town or file."""
        self.town_picker.bind(workspace, lambda _town: on_change())
        self._rows.children = [DataRow(kind, workspace, on_change, check=asm.check_upload,
                                       known_areas=None if kind == "areas" else self._known_areas)
                               for kind in ("areas", "area_map", *DATA_KINDS[1:])]

    def refresh(self) -> None:
        for data_row in self._rows.children:
            data_row.refresh()

    def _known_areas(self) -> list[str]:
        return list(self._model.tables["areas"]["地区コード"])
