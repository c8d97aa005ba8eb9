"""The facilitator's dashboard (09): open a workshop, watch every team's progress
live, show the teams' work in plenary, run the countdown shown on the teams'
pages, compare the 理解度チェック before and after, manage teams, export it all.

Access: the page asks for the passphrase the server was started with
(``--facilitator-passphrase`` / ``KIT_FACILITATOR_PASSPHRASE``). Until it is
given, the kernel holds no dashboard widget at all, and every action of
:class:`kit.facilitator.model.DashboardModel` refuses to run.
"""

from __future__ import annotations

import html
from datetime import datetime

import ipywidgets as widgets

from kit import attempts
from kit import workshop as wk
from kit.facilitator.model import REFRESH_SECONDS, DashboardModel
from kit.facilitator.views.export import ExportPanel
from kit.facilitator.views.gallery import GalleryPanel
from kit.facilitator.views.progress import ProgressPanel
from kit.facilitator.views.teams import TeamsPanel
from kit.facilitator.views.timer import TimerPanel
from kit.facilitator.views.understanding import UnderstandingPanel
from kit.store import StoreError, open_store
from kit.ui.common import message, page_style

__all__ = ["FacilitatorScreen"]

_TABS = ("進み具合", "ギャラリー", "タイマー", "理解度", "チームの管理", "書き出し")


class FacilitatorScreen:
    """Phase 1 builds only the passphrase form; :meth:`open` shows it (or how to
    set a passphrase); the dashboard is built once the passphrase is right, and
    :attr:`tabs` stays None until then."""

    def __init__(self, store=None, environ=None):
        self._store = store if store is not None else open_store()
        self.model = DashboardModel(self._store, wk.facilitator_passphrase(environ))
        self.view = widgets.VBox()
        self.view.add_class("kit-facilitator")
        self.tabs: widgets.Tab | None = None
        self._heading = widgets.HTML()
        self._password = widgets.Password(placeholder="合言葉", layout=widgets.Layout(width="20em"))
        self._enter = widgets.Button(description="開く", icon="unlock", button_style="primary")
        self._enter.on_click(lambda _b: self.unlock(self._password.value))
        self._login_status = widgets.HTML()

    def _repr_mimebundle_(self, **kwargs):
        return self.view._repr_mimebundle_(**kwargs)

    # -- phase 2 ----------------------------------------------------------------------
    def open(self) -> "FacilitatorScreen":
        if not self.model.configured or self.model.too_weak:
            problem = self.model.too_weak or "ファシリテーター用の合言葉が設定されていないため、このページは開けません。"
            self._heading.value = message(
                "warning", f"{problem}"
                "サーバーを止めて、python -m kit serve --facilitator-passphrase 合言葉 のように起動し直すか、"
                "環境変数 KIT_FACILITATOR_PASSPHRASE に合言葉を入れてから起動してください。")
            self.view.children = [page_style(), self._heading]
            return self
        self._heading.value = ("<p>研修を運営する方のページです。サーバーを起動したときに決めた"
                               "<b>合言葉</b>を入れてください。</p>")
        self.view.children = [page_style(), self._heading,
                              widgets.HBox([self._password, self._enter]), self._login_status]
        if wait := self.model.wait():
            self._say_wait(wait)
        return self

    def _say_wait(self, wait: int) -> None:
        self._login_status.value = message(
            "error", f"合言葉のまちがいが続いたため、{attempts.wait_text(wait)}は受け付けません。"
                     "時間をおいてから、もう一度入れてください。")

    def unlock(self, given: str) -> bool:
        """Check ``given``; on success the dashboard replaces the form."""
        ok = self.model.unlock(given)
        self._password.value = ""  # never keep the passphrase in the page's state
        if ok:
            self._build()
        elif wait := self.model.wait():
            self._say_wait(wait)
        else:
            self._login_status.value = message("warning", "合言葉がちがいます。")
        return ok

    # -- the dashboard ------------------------------------------------------------------
    def _build(self) -> None:
        self._choose = widgets.Dropdown(description="研修", layout=widgets.Layout(width="34em"))
        self._choose.observe(self._on_choose, "value")
        self._new_title = widgets.Text(placeholder="例: 令和7年度 SC研修（午後）", layout=widgets.Layout(width="24em"))
        create = widgets.Button(description="新しい研修を作る", icon="plus")
        create.on_click(self._on_create)
        self._code = widgets.HTML()
        refresh = widgets.Button(description="更新", icon="refresh")
        refresh.on_click(lambda _b: self.refresh())
        self._auto = widgets.Checkbox(value=True, description=f"自動更新（{REFRESH_SECONDS}秒ごと）", indent=False)
        self._updated = widgets.HTML()
        # Ticks once a second in the browser (started by the page template); the timer
        # face follows every tick, the rest every REFRESH_SECONDS.
        self._play = widgets.Play(min=0, max=REFRESH_SECONDS - 1, interval=1000, repeat=True, show_repeat=False,
                                  layout=widgets.Layout(display="none"))
        self._play.add_class("kit-autoplay")
        self._play.observe(self._on_tick, "value")
        self._action_status = widgets.HTML()
        self._timer = TimerPanel(self.model, report=self._report)
        self._panels = (ProgressPanel(self.model), GalleryPanel(self.model), self._timer,
                        UnderstandingPanel(self.model), TeamsPanel(self.model, done=self.refresh),
                        ExportPanel(self.model, purged=self._fill_workshops))
        self.tabs = widgets.Tab(list(self._panels), titles=_TABS)
        self.tabs.observe(lambda _c: self.refresh(), "selected_index")
        guesses = (f"開く前に、合言葉のまちがいが続けて{self.model.earlier_failures}回ありました"
                   "（サーバーの画面に記録があります）。" if self.model.earlier_failures else "")
        self._heading.value = message("warning" if guesses else "ok", f"ファシリテーター用ダッシュボードを開きました。{guesses}")
        self.view.add_class("kit-dashboard")
        self.view.children = [
            page_style(), self._heading,
            widgets.HBox([self._choose, self._new_title, create]), self._code,
            widgets.HBox([refresh, self._auto, self._updated]), self._action_status, self.tabs, self._play]
        self._fill_workshops()

    def _report(self, text: str) -> None:
        self._action_status.value = text

    def _fill_workshops(self, select: str | None = None) -> None:
        found = self.model.workshops()
        self._choose.options = [(f"{w.code} — {w.title}（{w.created.astimezone():%m/%d %H:%M} 作成）", w.code)
                                for w in found]
        if found:
            self._choose.value = select or found[0].code
        self._on_choose()

    def _on_choose(self, _change=None) -> None:
        if self._choose.value:
            self.model.select(self._choose.value)
        self.refresh()

    def _on_create(self, _button=None) -> None:
        try:
            created = self.model.create(self._new_title.value)
        except StoreError as error:
            self._report(message("error", str(error)))
            return
        self._new_title.value = ""
        self._fill_workshops(select=created.code)

    def _on_tick(self, change) -> None:
        if self.model.workshop is None:
            return
        if change["new"] == 0 and self._auto.value:
            self.refresh()
        else:
            self._timer.refresh()

    def refresh(self) -> None:
        """Read the store again and redraw the open tab."""
        if self.model.workshop is None:
            self._code.value = message("info", "研修を作ると、参加者に伝える研修コードが出ます。")
            return
        self.model.reload()
        workshop = self.model.workshop
        self._code.value = (
            f'<div class="kit-workshop-code">研修コード <b>{html.escape(workshop.code)}</b>'
            f"　{html.escape(workshop.title)}</div>"
            "<p>参加者は「はじめに」のページ（00_start.ipynb）で、この研修コードとチーム名を入れて参加します。</p>")
        # The open tab reads the store (the export reads it when asked); the timer face always follows.
        shown = self._panels[self.tabs.selected_index or 0]
        if shown is not self._timer and hasattr(shown, "refresh"):
            shown.refresh()
        self._timer.refresh()
        self._updated.value = f"<small>{datetime.now():%H:%M:%S} 更新</small>"
