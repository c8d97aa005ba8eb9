"""タイマー: the countdown on every team's page, started, extended and stopped here,
and its big face for the projector."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from kit import workshop as wk
from kit.facilitator.model import MAX_TIMER_MINUTES, DashboardModel
from kit.store import StoreError
from kit.ui.common import message
from kit.ui.controls import timer_face

__all__ = ["TimerPanel"]


class TimerPanel(widgets.VBox):
    """``report(html)`` shows what went wrong above the tabs."""

    def __init__(self, model: DashboardModel, report: Callable[[str], None]):
        self.model, self._report = model, report
        self._minutes = widgets.BoundedIntText(value=10, min=1, max=MAX_TIMER_MINUTES, description="分",
                                               layout=widgets.Layout(width="10em"))
        self._label = widgets.Text(placeholder="例: 02 グループ化", description="いまの作業",
                                   layout=widgets.Layout(width="24em"))
        start = widgets.Button(description="開始", icon="play", button_style="primary")
        start.on_click(lambda _b: self._act(model.start_timer, self._minutes.value, self._label.value))
        buttons = [start]
        for minutes in (1, 5):
            more = widgets.Button(description=f"+{minutes}分", icon="plus")
            more.on_click(lambda _b, m=minutes: self._act(model.extend_timer, m))
            buttons.append(more)
        stop = widgets.Button(description="止める", icon="stop")
        stop.on_click(lambda _b: self._act(model.stop_timer))
        self._face = widgets.HTML()
        super().__init__([
            widgets.HTML("<p>分を入れて「開始」を押すと、すべてのチームのページの上に残り時間が出ます"
                         "（数秒で反映）。延長や停止もすぐに伝わります。</p>"),
            self._minutes, self._label, widgets.HBox(buttons), self._face])

    def _act(self, action, *args) -> None:
        try:
            action(*args)
        except (ValueError, StoreError) as error:
            self._report(message("error", str(error)))
            return
        self.refresh()

    def refresh(self) -> None:
        """Draw the time left as the workshop's timer says."""
        timer = self.model.workshop.timer if self.model.workshop else None
        left = wk.timer_remaining(timer)
        if left is None:
            self._face.value = "<p>タイマーは止まっています。</p>"
            return
        total = max(int(timer.minutes * 60), left)
        self._face.value = f"<h3>{html.escape(timer.label or 'いまの作業')}</h3>" + timer_face(total - left, total)
