"""Page 04 提案準備: pick the ingredients, write the pitch, check it, back it with
numbers, export it, rehearse it and review each other's.

:class:`~kit.steps.pitch.model.PitchModel` holds the pitch and saves every change
to the workspace; the tabs (:mod:`kit.steps.pitch.views`) show it. Widgets are
built before the request (phase 1); :meth:`PitchScreen.open` binds them to the
workspace named in the URL (phase 2).
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.steps.pitch.domain import Pitch, check
from kit.steps.pitch.model import PitchModel
from kit.steps.pitch.views import StatusLine
from kit.steps.pitch.views.canvas import CanvasView
from kit.steps.pitch.views.export import ExportView
from kit.steps.pitch.views.numbers import NumbersView
from kit.steps.pitch.views.materials import MaterialsView
from kit.steps.pitch.views.rehearsal import TIMER_CHOICES, RehearsalView
from kit.tokens import warm_up
from kit.ui.common import Screen, message
from kit.ui.town import own_town_notice

__all__ = ["TIMER_CHOICES", "PitchScreen"]


class PitchScreen(Screen):
    """The pitch page; built before the request, bound to a workspace by ``open``."""

    def __init__(self, store=None):
        super().__init__(store, css_class="kit-pitch")
        self.model = PitchModel(self._store)
        warm_up()  # builds the tokenizer now (phase 1), not on the first case chosen
        self._status = StatusLine()
        self._prompts = widgets.HTML()
        self.materials = MaterialsView(self.model, self._status)
        self.canvas = CanvasView(self.model)
        self.numbers = NumbersView(self.model, self._status)
        self.exports = ExportView(self.model)
        self.rehearsal = RehearsalView(self.model)
        self._tabs = widgets.Tab(
            [self.materials, self.canvas, self.numbers, self.exports, self.rehearsal],
            titles=("1 材料をそろえる", "2 提案キャンバス", "3 数字で示す", "4 書き出す", "5 リハーサル"))
        widgets.dlink((self.model, "pitch"), (self._prompts, "value"), transform=_prompts_html)

    def _bind(self, workspace) -> list[widgets.Widget]:
        self.model.load(workspace)
        self.canvas.bind(workspace, self.sync)
        self.sync.watch(self._follow)
        notice = own_town_notice(workspace, ("cases", "actors"), self._data_fixed,
                                 "事例は「個別事例から地域課題へ」、主体は「多様な主体リスト」のページで入れます。")
        return [*notice, self._prompts, self._status, self._tabs]

    def _follow(self) -> None:
        """Show the parts of the pitch another PC of the team saved (its texts follow
        by themselves)."""
        if self.model.follow():
            self._status.followed()


def _prompts_html(pitch: Pitch) -> str:
    """What the pitch still lacks, as pointed prompts (folded open), or that nothing does."""
    prompts = check(pitch)
    if not prompts:
        return message("ok", "提案に必要な項目がすべてそろいました。書き出して、リハーサルをしましょう。")
    items = "".join(f"<li><b>{html.escape(p.section)}</b>: {html.escape(p.text)}</li>" for p in prompts)
    return ('<details class="kit-prompts" open><summary><b>提案のチェック — あと'
            f' <span class="kit-prompt-count">{len(prompts)}</span> 件</b></summary><ul>{items}</ul></details>')
