"""Page 07 明日から自分のまちで: for each kind of data, what it is, who holds it and
what to ask for, with its template; the data-request memo (依頼文) as a Word file;
the checklist of what was asked for, received and loaded, saved in the workspace.

The panels are built before any request (Voilà's preheated kernel); the
workspace's checklist and memo form are read in :meth:`OwnTownScreen._bind`.
Templates and the memo are made when asked for, so a kernel that only shows the
page never loads openpyxl or python-docx.
"""

from __future__ import annotations

import ipywidgets as widgets

from kit import workshop as wk
from kit.own_town.model import OwnTownModel
from kit.own_town.views.checklist import ChecklistPanel
from kit.own_town.views.guides import GuidesPanel
from kit.own_town.views.memo import MemoPanel
from kit.ui.common import Screen

__all__ = ["OwnTownScreen"]


class OwnTownScreen(Screen):
    """The page: checklist, one guide per kind with its template, and the memo form."""

    def __init__(self, store=None):
        super().__init__(store, css_class="kit-own-town")
        self.model = OwnTownModel()
        self.checklist = ChecklistPanel(self.model)
        self.guides = GuidesPanel()
        self.memo = MemoPanel(self.model)

    def _bind(self, workspace) -> list[widgets.Widget]:
        self.model.load(workspace)
        link = wk.link_value(workspace)
        self.checklist.bind(link)
        self.guides.bind(link)
        self.memo.bind()
        return [self.checklist, self.guides, self.memo]
