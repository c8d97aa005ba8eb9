"""Page 03 多様な主体リスト: keep the list of actors, talk with them, see where they
are, and match them with the regional issues.

:class:`kit.steps.actors.model.ActorsModel` holds the list and everything the
team decides about it; the tabs are views of it (``views/``). Widgets are built
before the request (phase 1); :meth:`ActorsScreen.open` binds them to the
workspace named in the URL (phase 2).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from kit import datasets
from kit.steps.actors.model import ActorsModel
from kit.steps.actors.precedents import load_precedents
from kit.steps.actors.views.export import ExportView
from kit.steps.actors.views.form import FormView
from kit.steps.actors.views.imports import ImportView
from kit.steps.actors.views.maps import MapView
from kit.steps.actors.views.matching import MatchingView, PrecedentsView
from kit.steps.actors.views.partners import PartnersView
from kit.steps.actors.views.registry import RegistryView
from kit.ui.common import Screen
from kit.ui.town import own_town_notice

__all__ = ["ActorsScreen", "TAB_TITLES", "MAP_TAB"]

TAB_TITLES = ("1 一覧", "2 登録・編集", "3 読み込みと重複", "4 地図と集計", "5 課題とのマッチング", "6 書き出し")
MAP_TAB = 3


class ActorsScreen(Screen):
    """The actors page; built before the request, bound to a workspace by ``open``.
    Its tabs are public views (``registry``, ``form``, ``imports``, ``maps``,
    ``matching``, ``partners``, ``exports``) over one :attr:`model`."""

    def __init__(self, store=None, today: Callable[[], date] = date.today):
        super().__init__(store, css_class="kit-actors")
        self.model: ActorsModel | None = None
        self.precedents = load_precedents()
        self.registry = RegistryView()
        self.form = FormView(today)
        self.imports = ImportView(today)
        self.maps = MapView(visible=lambda: self._tabs.selected_index == MAP_TAB)
        self.matching = MatchingView()
        self.partners = PartnersView()
        self.exports = ExportView(today)
        matching_tab = widgets.VBox([self.matching, self.partners, PrecedentsView(self.precedents)])
        self._tabs = widgets.Tab([self.registry, self.form, self.imports, self.maps, matching_tab, self.exports],
                                 titles=TAB_TITLES)
        self._tabs.observe(lambda _change: self.show_tab(self._tabs.selected_index), "selected_index")

    def _bind(self, workspace) -> list[widgets.Widget]:
        self.model = model = ActorsModel.open(workspace, self.precedents)
        self.registry.bind(model)
        self.form.bind(model)
        self.imports.bind(model)
        self.maps.bind(model, own_areas=datasets.is_uploaded(workspace, "areas"))
        self.matching.bind(model, self.precedents)
        self.partners.bind(model, self.sync)
        self.exports.bind(model)
        self.sync.watch(model.reload)
        notice = own_town_notice(workspace, ("actors",), self._data_fixed,
                                 "主体は「2 登録・編集」で一件ずつ入れるか、「3 読み込みと重複」で読み込めます。")
        return [*notice, self._tabs]

    def show_tab(self, index: int) -> None:
        """Open tab ``index`` (0-based), as clicking its title does."""
        self._tabs.selected_index = index
        if index == MAP_TAB:
            self.maps.shown()
