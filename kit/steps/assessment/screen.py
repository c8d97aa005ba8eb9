"""Page 01 地域診断: the town's ageing, care needs, risks and resources per area,
beside Japan; 気づきメモ per area; exports; the prefectural checklist.

The page's state and saving are :class:`~kit.steps.assessment.model.AssessmentModel`;
each tab is a small view of it (``views/``). A chart takes a few hundred
milliseconds to draw, so the charts show every area (choosing an area changes
only tables and text), only the visible tab is drawn when a choice changes, and
drawn charts are kept by ``kit.chart_cache`` for every kernel of the server.
"""

from __future__ import annotations

import logging

import ipywidgets as widgets
import pandas as pd

from kit import maps
from kit.steps.assessment.model import AssessmentModel
from kit.steps.assessment.views import TabView
from kit.steps.assessment.views.bar import ChoiceBar
from kit.steps.assessment.views.certification import CertificationView
from kit.steps.assessment.views.checklist import ChecklistPanel
from kit.steps.assessment.views.compare import CompareView
from kit.steps.assessment.views.data import DataView
from kit.steps.assessment.views.map import MapView
from kit.steps.assessment.views.memo import MemoView
from kit.steps.assessment.views.population import PopulationView
from kit.steps.assessment.views.resources import ResourcesView
from kit.steps.assessment.views.risk import RiskView
from kit.ui.common import Screen, message, town_line
from kit.ui.saving import SyncedText
from kit.ui.town import missing_data_html

__all__ = ["AssessmentScreen"]

_CHECKLIST_TITLE, _DATA_TITLE = "都道府県の方へ", "自分のデータ"
_log = logging.getLogger(__name__)


class AssessmentScreen(Screen):
    """The assessment page; built (and its charts drawn) before the request, bound
    to a workspace by ``open``."""

    def __init__(self, store=None, warm: bool = True):
        super().__init__(store, css_class="kit-assessment")
        self.model = model = AssessmentModel()
        model.use_sample()
        self._status = widgets.HTML()
        self._bar = ChoiceBar(model)
        self._memo = MemoView(model)
        self._views: list[TabView] = [PopulationView(model), CompareView(model), CertificationView(model),
                                      RiskView(model), ResourcesView(model), MapView(model), self._memo]
        self.checklist = ChecklistPanel()
        self._data = DataView(model)
        self.town_picker = self._data.town_picker
        self._drawn: dict[int, tuple] = {}     # tab → the choices it was drawn for
        # Where a tab says which of the own town's files it still needs, in place of its content.
        self._lacking = {tab: widgets.HTML() for tab, view in enumerate(self._views) if view.needs}
        panes = [widgets.VBox([self._lacking[tab], view]) if tab in self._lacking else view
                 for tab, view in enumerate(self._views)]
        self._tabs = widgets.Tab(children=[*panes, self.checklist, self._data],
                                 titles=[*(view.title for view in self._views), _CHECKLIST_TITLE, _DATA_TITLE])
        self._tabs.observe(lambda _: self.render(), "selected_index")
        model.observe(lambda _change: self.render(), names=["area", "rule_set", "compare", "metric", "cert_year",
                                                             "need", "kinds", "map_indicator", "version"])
        model.observe(self._show_save_error, "save_error")
        if warm:
            self.warm_up()

    def warm_up(self) -> None:
        """Draw every tab once while the kernel waits for a visitor (Voilà preheat).
        The charts go to the shared cache, so only a server's first kernel draws
        them; the others read them and load the chart engine only when a visitor's
        choice needs a new chart. The national boundaries are decoded here, as
        every visitor comparing a municipality needs them. The hidden tabs are then
        emptied: their images (some 450 KB) would otherwise travel to the browser
        with the page, and a tab is redrawn from the cache when it is opened.
        Every usable rule set is drawn, the default last: a visitor's first switch
        of rule set otherwise waited for its rates and charts (1.6 s on a fresh
        server, 0.1 s after)."""
        maps.warm_up()
        default = self.model.rule_set
        for rule_set in [r.key for r in self.model.usable_rule_sets() if r.key != default] + [default]:
            self.model.rule_set = rule_set
            for tab in reversed(range(len(self._tabs.children))):
                self._tabs.selected_index = tab
        for tab, view in enumerate(self._views):
            if tab != self._tabs.selected_index:
                self._drawn.pop(tab, None)
                view.forget()

    # ------------------------------------------------------------ phase 2

    def _bind(self, workspace) -> list[widgets.Widget]:
        self.model.bind(workspace)
        self.checklist.bind(workspace)
        self._data.bind(workspace, self._reload)
        self._memo.bind(workspace, self.sync)
        self.render()
        return [self._status, self._bar, self._tabs]

    def _reload(self) -> None:
        """Show the workspace's town and files again, after a choice or an upload."""
        self._drawn.clear()
        town = self.model.reload()
        self._data.refresh()
        found = self._mismatch.show(self.workspace)
        self._town_line.value = town_line(town)
        self._status.value = message("warning" if found else "ok", f"データを切り替えました（{town.label}）。"
                                     + ("読み込んだファイルのうち、地区の一覧と合わないものは使っていません（「自分のデータ」タブ）。"
                                        if found else ""))
        self.render()

    _data_fixed = _reload

    def _show_save_error(self, change) -> None:
        if change["new"]:
            self._status.value = message("error", change["new"])

    # ------------------------------------------------------------ what a visitor does

    def show_tab(self, title: str) -> widgets.Widget:
        """Open the tab of this title, as a click on it does; returns what it shows."""
        index = self._tabs.titles.index(title)
        self._tabs.selected_index = index
        return self._tabs.children[index]

    def memo(self, prompt: str) -> SyncedText:
        """The 気づきメモ box of one prompt (a key of MEMO_PROMPTS) for the chosen area."""
        return self._memo.memo(prompt)

    def use_upload(self, kind: str, table: pd.DataFrame) -> None:
        """Adopt an uploaded table, or raise ValueError (Japanese) and keep the old one."""
        self.model.add_upload(kind, table)
        self._reload()

    def export_xlsx(self) -> bytes:
        return self._memo.export_xlsx()

    def export_png(self, name: str) -> bytes:
        return self._memo.export_png(name)

    # ------------------------------------------------------------ drawing

    def render(self) -> None:
        """Draw the visible tab if the choices changed since it was last drawn."""
        tab = self._tabs.selected_index or 0
        if tab >= len(self._views):
            return
        view = self._views[tab]
        state = view.state()
        if self._drawn.get(tab) == state:
            return
        if tab in self._lacking:
            lacking = self._lacking_html(view)
            self._lacking[tab].value = lacking
            view.layout.display = "none" if lacking else None
            if lacking:
                self._drawn[tab] = state
                return
        try:
            view.render()
        except Exception:  # a page shows a sentence, never exception text; the log keeps the cause
            _log.exception("tab %s could not be drawn", tab)
            self._status.value = message("error", f"「{view.title}」を表示できませんでした。読み込んだファイルどうしが"
                                                  "合っているか（地区コード・年）を「自分のデータ」タブで確かめてください。")
            return
        self._drawn[tab] = state

    def _lacking_html(self, view: TabView) -> str:
        """What stands in for a tab's content when the town lacks its data ("" if none)."""
        missing = self.model.missing(view.needs)
        if not missing:
            return view.lacking()
        if self.workspace is None:
            return ""
        return missing_data_html(missing, self.model.town, self.workspace, "「自分のデータ」タブで読み込めます。")
