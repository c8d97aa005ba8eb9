"""Small pieces every screen uses: message boxes, link buttons, autosaved text, page style."""

from __future__ import annotations

import base64
import html
import unicodedata
from collections.abc import Callable
from pathlib import Path
from datetime import datetime, timedelta, timezone

import ipywidgets as widgets

from kit import datasets
from kit import town as tw
from kit import workshop as wk
from kit.pages import LANDING
from kit.store import StoreError, Workspace, open_store
from kit.ui.controls import timer_state
from kit.workspace import DEFAULT_WORKSPACE, page_link

__all__ = ["Screen", "message", "link_button", "autosave_claim", "page_style", "resolve_workspace",
           "download_link", "clock_html", "WorkshopClock", "workshop_clock", "town_line", "MismatchBox",
           "RELOAD_PAGE"]

_STYLE_SHEET = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
_MESSAGE_KINDS = ("info", "ok", "warning", "error")

def message(kind: str, text: str, extra_html: str = "") -> str:
    """A coloured box around ``text`` (escaped here, so callers pass raw text) and
    ``extra_html`` (markup the caller built, such as :func:`autosave_claim`).
    ``kind`` is info, ok, warning or error (its colours are in style.css)."""
    if kind not in _MESSAGE_KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    return f'<div class="kit-message kit-{kind}">{html.escape(text)}{extra_html}</div>'


def autosave_claim(text: str) -> str:
    """A promise that work saves itself; the page template hides it while the page
    is disconnected from its server, when the promise does not hold."""
    return f'<span class="kit-autosave-claim">{html.escape(text)}</span>'


def link_button(href: str, label: str) -> str:
    """An HTML link styled as a button; a plain link keeps working without JavaScript."""
    return f'<a class="kit-link-button" href="{html.escape(href)}">{html.escape(label)}</a>'


# Put into an HTML widget, makes the browser load the page again (the template's
# script watches for it): the way a screen starts over on other data.
RELOAD_PAGE = '<span class="kit-reload-now"></span>'


def town_line(town: tw.Town) -> str:
    """The line under a page's banner naming the town the page shows."""
    if town.practice:
        kind, text = "warning", town.label
    elif town.own:
        kind, text = "info", f"このワークスペースのまち: {town.label}"
    else:
        kind, text = "info", (f"見本のまち「{tw.SAMPLE_NAME}」で学んでいます。"
                              "自分のまちは「はじめに」で選べます。")
    return message(kind, text).replace("kit-message", "kit-message kit-town-line", 1)


def page_style() -> widgets.HTML:
    """The kit's stylesheet (kit/ui/style.css): fonts, colours, tables and the classes
    screens use, system Japanese fonts only (no web fonts)."""
    return widgets.HTML(f"<style>{_STYLE_SHEET}</style>")


def resolve_workspace(store, requested: str | None):
    """The page's workspace and a banner saying where work is saved.

    ``requested`` is the URL's ``?ws=``: a self-study name, or a workshop team's
    ``@CODE:token`` (see :mod:`kit.workshop`), the only way to a team's workspace.
    Returns ``(workspace, banner_html)``; ``workspace`` is None when the value is
    unusable, in which case the banner explains why and nothing is saved."""
    back = link_button(page_link(LANDING.file, None), "はじめに に戻ってワークスペースを選ぶ")
    try:
        if requested and unicodedata.normalize("NFKC", requested).strip().startswith(wk.RESERVED_PREFIX):
            workspace = wk.resolve_access(store, unicodedata.normalize("NFKC", requested).strip())
        else:
            workspace = Workspace(store, wk.check_personal_name(requested or DEFAULT_WORKSPACE))
    except ValueError as error:
        return None, message("error", str(error)) + back
    home = html.escape(page_link(LANDING.file, wk.link_value(workspace)))
    if isinstance(workspace, wk.TeamWorkspace):
        where = html.escape(f"研修「{workspace.title}」のチーム「{workspace.team}」で作業中") + autosave_claim("・自動保存")
    else:
        note = ("" if requested else
                f"（ワークスペースを選ばずに開いたため「{DEFAULT_WORKSPACE}」に保存します）")
        where = (html.escape(f"ワークスペース「{workspace.name}」で作業中") + autosave_claim("・自動保存")
                 + html.escape(note))
    banner = f'<div class="kit-banner">{where} ｜ <a href="{home}">はじめに に戻る</a></div>'
    return workspace, banner


# A timer that ran out is shown as 「時間です」 this long, then disappears.
CLOCK_LINGER = timedelta(minutes=5)


def clock_html(timer: wk.Timer | None, now: datetime | None = None) -> str:
    """The workshop's countdown as a bar across the top of a team's page; empty
    when no timer is set or it ran out a while ago."""
    now = now or datetime.now(timezone.utc)
    if timer is None or now - timer.ends > CLOCK_LINGER:
        return ""
    left = wk.timer_remaining(timer, now)
    state = timer_state(left)
    what = html.escape(timer.label or "いまの作業")
    time_text = "時間です" if state == "up" else f"残り {left // 60}:{left % 60:02d}"
    until = timer.ends.astimezone().strftime("%H:%M")
    return (f'<div class="kit-workshop-timer kit-timer-{state}" data-left="{left}">'
            f'⏱ {what} ― <span class="kit-workshop-timer-left">{time_text}</span> <small>（{until} まで）</small></div>')


class WorkshopClock(widgets.VBox):
    """The countdown the facilitator starts, on every page of a workshop team.

    The browser keeps time: a hidden Play widget (started by the page template's
    ``kit-autoplay`` script) ticks, and each tick redraws the bar here. While no
    timer shows, it ticks every ``IDLE_MS`` and reads the workshop each time; while
    one runs, it ticks every second and reads the workshop every ``POLL_TICKS``
    ticks, so a timer started, extended or stopped on the dashboard shows within
    seconds. No thread runs in the kernel."""

    IDLE_MS, RUNNING_MS, POLL_TICKS = 5000, 1000, 5

    def __init__(self, store, code: str):
        self._store, self._code = store, code
        self._timer: wk.Timer | None = None
        self._ticks = 0
        self._face = widgets.HTML()
        self._play = widgets.Play(min=0, max=1, interval=self.IDLE_MS, repeat=True, show_repeat=False,
                                  layout=widgets.Layout(display="none"))
        self._play.add_class("kit-autoplay")
        self._play.observe(self._tick, "value")
        super().__init__([self._face, self._play])
        self.add_class("kit-workshop-clock")
        self.refresh()

    def refresh(self) -> None:
        """Read the workshop's timer now and redraw."""
        found = wk.find_workshop(self._store, self._code)
        self._timer = found.timer if found else None
        self._draw()

    def _draw(self) -> None:
        self._face.value = clock_html(self._timer)
        self._play.interval = self.RUNNING_MS if self._face.value else self.IDLE_MS

    def _tick(self, _change) -> None:
        self._ticks += 1
        if self._play.interval == self.IDLE_MS or self._ticks % self.POLL_TICKS == 0:
            self.refresh()
        else:
            self._draw()


def workshop_clock(workspace) -> widgets.Widget:
    """What every screen shows under its banner: the workshop's countdown for a
    workshop team, nothing (an empty box that never ticks) otherwise."""
    if isinstance(workspace, wk.TeamWorkspace):
        return WorkshopClock(workspace.store, workspace.code)
    return widgets.Box()


class MismatchBox(widgets.VBox):
    """The files of a workspace that disagree with each other, each with one click
    back to a consistent state (take the disagreeing file back, or restore the
    previous area list). Empty when everything agrees."""

    def __init__(self, on_fixed: Callable[[], None]):
        super().__init__()
        self._on_fixed = on_fixed
        self._workspace = None
        self.add_class("kit-mismatch")

    def show(self, workspace) -> list[datasets.Mismatch]:
        self._workspace = workspace
        found = datasets.mismatches(workspace)
        rows = []
        for problem in found:
            buttons = [self._button(f"{datasets.KIND_LABELS[problem.kind]}のファイルを取り消す",
                                    lambda k=problem.kind: datasets.delete_upload(workspace, k))]
            if datasets.has_previous_areas(workspace):
                buttons.append(self._button("地区の一覧を前のものに戻す",
                                            lambda: datasets.restore_previous_areas(workspace)))
            rows.append(widgets.VBox([widgets.HTML(message("error", problem.message)), widgets.HBox(buttons)]))
        self.children = rows
        return found

    def _button(self, label: str, fix: Callable[[], None]) -> widgets.Button:
        button = widgets.Button(description=label, icon="wrench", layout=widgets.Layout(width="auto"))

        def click(_button) -> None:
            try:
                fix()
            except StoreError as error:
                self.children = [*self.children, widgets.HTML(message("error", f"直せませんでした（{error}）"))]
                return
            self.show(self._workspace)
            self._on_fixed()

        button.on_click(click)
        return button


def download_link(data: bytes, filename: str, label: str, mime: str) -> str:
    """A link that saves ``data`` as ``filename`` in the browser.

    The file travels inside the page (a data: URL), never through a shared folder on
    the server, so one team's export cannot be fetched by another."""
    encoded = base64.b64encode(data).decode("ascii")
    return (f'<a class="kit-download" download="{html.escape(filename)}" '
            f'href="data:{mime};base64,{encoded}">{html.escape(label)}</a>')


class Screen:
    """A participant's page (the landing page and the four steps), in Voilà's two phases.

    A subclass builds its widgets in ``__init__``, before any visitor (the
    preheated kernel); :meth:`open` then binds them to the workspace named in the
    visitor's URL, under a banner saying where work is saved and the workshop's
    countdown. The page is :attr:`view`, and the screen displays as it; the
    screen is not itself a widget, as ``Widget.open`` is how a widget opens its comm.
    :attr:`sync` (a :class:`kit.ui.saving.PageSync`) tells the screen's parts when
    another device saved in the workspace."""

    def __init__(self, store=None, css_class: str = "", css: str = ""):
        self._store = store if store is not None else open_store()
        self.workspace = None
        self.sync = None
        self._style = widgets.VBox([page_style(), widgets.HTML(css)]) if css else page_style()
        self._banner = widgets.HTML()
        self._town_line = widgets.HTML()
        self._mismatch = MismatchBox(on_fixed=self._data_fixed)
        self.view = widgets.VBox([self._style, self._banner])
        if css_class:
            self.view.add_class(css_class)

    def _repr_mimebundle_(self, **kwargs):
        return self.view._repr_mimebundle_(**kwargs)

    def open(self, requested: str | None) -> "Screen":
        """Bind to the workspace named in the URL; an unusable name leaves only the
        banner, which says why, and nothing is read or saved."""
        workspace, banner = resolve_workspace(self._store, requested)
        self._banner.value = banner
        if workspace is None:
            self.view.children = [self._style, self._banner]
            return self
        from kit.ui.saving import PageSync  # saving builds on this module's message()

        self.workspace = workspace
        self.sync = PageSync(workspace)
        self._mismatch.show(workspace)
        self._town_line.value = town_line(tw.current(workspace))
        self.view.children = [self._style, self._banner, workshop_clock(workspace), self._town_line,
                              self._mismatch, *self._bind(workspace), self.sync]
        return self

    def _data_fixed(self) -> None:
        """After a click put the workspace's files right: start the page over on them.
        A screen that can re-read its data in place overrides this."""
        self._town_line.value += RELOAD_PAGE

    def _bind(self, workspace) -> list[widgets.Widget]:
        """Read ``workspace`` into the screen; return the widgets shown under the banner."""
        raise NotImplementedError
