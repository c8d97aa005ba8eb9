"""Page 02 個別事例から地域課題へ: read cases as cards, tag their 生活課題, stack them
by area, gather issue cards into groups (KJ法), write regional issues, and practise
on the sample town with feedback.

The state is :class:`kit.steps.cases.model.CasesModel`; each tab is a view under
``views/``. Case text is masked (``kit.masking``) and shown to the user before
anything is stored.
"""

from __future__ import annotations

import ipywidgets as widgets

from kit import datasets
from kit.steps.cases.model import CasesModel
from kit.steps.cases.views.cards import CardsView
from kit.steps.cases.views.exercise import ExerciseView
from kit.steps.cases.views.form import CaseForm
from kit.steps.cases.views.grouping import GroupingView
from kit.steps.cases.views.importer import CaseImport
from kit.steps.cases.views.stacking import StackingView
from kit.steps.cases.views.statements import StatementsView
from kit.steps.cases.views.tagging import TaggingView
from kit.tokens import warm_up
from kit.ui.common import Screen
from kit.ui.town import own_town_notice

__all__ = ["CasesScreen"]


class CasesScreen(Screen):
    """The cases page; built before the request, bound to a workspace by ``open``.
    Its views are public (``cards``, ``form``, ``importer``, ``tagging``, ``stacking``,
    ``grouping``, ``statements``, ``exercise``): what a user does is their methods."""

    def __init__(self, store=None):
        super().__init__(store, css_class="kit-cases")
        self.model: CasesModel | None = None
        warm_up()
        self.cards, self.form, self.importer = CardsView(), CaseForm(), CaseImport()
        self.tagging, self.stacking, self.grouping = TaggingView(), StackingView(), GroupingView()
        self.statements, self.exercise = StatementsView(), ExerciseView()
        self.tabs = widgets.Tab(
            [widgets.VBox([self.cards, self.form, self.importer]), self.tagging, self.stacking, self.grouping,
             self.statements, self.exercise],
            titles=("1 事例カード", "2 タグ付け", "3 積み上げ", "4 グループ化", "5 地域課題の文章", "6 答え合わせ"))

    def _bind(self, workspace) -> list[widgets.Widget]:
        self.model = CasesModel(workspace, datasets.for_workspace(workspace, "cases"),
                                datasets.for_workspace(workspace, "areas"))
        for view in (self.cards, self.form, self.importer, self.tagging, self.stacking, self.grouping,
                     self.statements, self.exercise):
            view.bind(self.model)
        self.sync.watch(self.model.reload)
        notice = own_town_notice(workspace, ("cases",), self._data_fixed,
                                 "事例は「1 事例カード」の下の「事例を追加・編集する」で一件ずつ入れるか、"
                                 "「事例のファイルを読み込む」で読み込めます（氏名などは保存の前に伏せ字にします）。")
        return [*notice, self.tabs]
